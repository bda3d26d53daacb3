// What each role may do. API keys carry the same permissions as scopes, so one check
// covers people and machines alike.
import type { Role } from '../db/schema.js';

export const permissions = [
  'company:read',
  'people:read',
  'people:write',
  'wallet:read',
  'wallet:write',
  'ledger:read',
  'cards:read',
  'cards:manage',
  'transactions:read',
  'receipts:read',
  'receipts:write',
  'receipts:manage',
  'expenses:read',
  'expenses:review',
  'expenses:manage',
  'payouts:manage',
  'bank:operate',
  'api_keys:manage',
] as const;
export type Permission = (typeof permissions)[number];

/** Scopes an API key may hold: everything but managing API keys, so a leaked key cannot mint
 * more, and the platform's banking, which only its operators do. */
export const apiKeyScopes = permissions.filter((p) => p !== 'api_keys:manage' && p !== 'bank:operate');

/** The roles companies give their people. */
export const roles: readonly Role[] = ['admin', 'bookkeeper', 'reviewer', 'employee'];
/** Operators are people of the platform itself (outlay operators create); no company gives the role. */
export const operatorRole: Role = 'operator';

// Everyone may see their own cards, transactions, receipts and expenses; these permissions
// reach everyone's. receipts:write sends and matches receipts for anyone (integrations);
// receipts:manage sets the company's receipt rules. expenses:review decides expenses in
// review; expenses:manage keeps the books (chart of accounts, tax codes, tags, periods,
// exports, corrections); payouts:manage pays reimbursements.
const byRole: Record<Role, readonly Permission[]> = {
  admin: permissions.filter((p) => p !== 'bank:operate'),
  operator: ['company:read', 'bank:operate'],
  bookkeeper: ['company:read', 'people:read', 'wallet:read', 'ledger:read', 'cards:read', 'transactions:read', 'receipts:read', 'expenses:read', 'expenses:manage'],
  reviewer: ['company:read', 'people:read', 'transactions:read', 'receipts:read', 'expenses:read', 'expenses:review'],
  employee: ['company:read'],
};

export function permissionsOfRoles(userRoles: readonly Role[]): Set<Permission> {
  return new Set(userRoles.flatMap((role) => byRole[role]));
}
