// What each role may do. API keys carry the same permissions as scopes, so one check
// covers people and machines alike.
import type { Role } from '../db/schema.js';

export const permissions = [
  'company:read',
  'company:manage',
  'audit:read',
  'people:read',
  'people:write',
  'people:provision',
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
  'analytics:read',
  'budgets:manage',
  'payouts:manage',
  'bank:operate',
  'flags:operate',
  'api_keys:manage',
  'webhooks:manage',
] as const;
export type Permission = (typeof permissions)[number];

/** Scopes an API key may hold: everything but managing API keys, so a leaked key cannot mint
 * more, and the platform's banking and feature flags, which only its operators do. */
export const apiKeyScopes = permissions.filter((p) => p !== 'api_keys:manage' && p !== 'bank:operate' && p !== 'flags:operate');

/** The roles companies give their people. */
export const roles: readonly Role[] = ['admin', 'bookkeeper', 'reviewer', 'employee'];
/** Operators are people of the platform itself (outlay operators create); no company gives the role. */
export const operatorRole: Role = 'operator';

/** What a permission (an API key's scope) allows, in words, and the group the web app shows it
 * in. A Record over Permission: a permission added without its description does not compile. */
export const permissionDescriptions: Record<Permission, { group: string; description: string }> = {
  'company:read': { group: 'Company', description: 'Read the company: its name, currency, time zone and locale' },
  'company:manage': { group: 'Company', description: 'Change the company\'s name, time zone and locale' },
  'audit:read': { group: 'Company', description: 'Read the audit trail of every change that matters' },
  'people:read': { group: 'People', description: 'List people and teams' },
  'people:write': { group: 'People', description: 'Invite people, change their roles and teams, deactivate them' },
  'people:provision': { group: 'People', description: 'Provision people and teams from an identity provider over SCIM 2.0 (/scim/v2), roles included' },
  'wallet:read': { group: 'Wallet and ledger', description: 'Read the wallet\'s balance and top-ups' },
  'wallet:write': { group: 'Wallet and ledger', description: 'Set the low-balance alert and import the company\'s own bank statements' },
  'ledger:read': { group: 'Wallet and ledger', description: 'Read ledger accounts, balances and journal entries' },
  'cards:read': { group: 'Cards', description: 'Read everyone\'s cards and the card defaults' },
  'cards:manage': { group: 'Cards', description: 'Issue, freeze and close cards; change their limits and the card defaults' },
  'transactions:read': { group: 'Cards', description: 'Read everyone\'s card transactions, declines included' },
  'receipts:read': { group: 'Receipts', description: 'Read everyone\'s receipts' },
  'receipts:write': { group: 'Receipts', description: 'Send receipts and match them to purchases for anyone' },
  'receipts:manage': { group: 'Receipts', description: 'Change the company\'s receipt rules' },
  'expenses:read': { group: 'Expenses', description: 'Read everyone\'s expenses and their history' },
  'expenses:review': { group: 'Expenses', description: 'Approve, reject or send back expenses in review' },
  'expenses:manage': { group: 'Expenses', description: 'Keep the books: categories, tax codes, tags, review rules, periods, exports and corrections' },
  'analytics:read': { group: 'Expenses', description: 'Read the spend overview: spend by month, category, team, person, merchant and tag, declines and missing receipts' },
  'budgets:manage': { group: 'Expenses', description: 'Set budgets per team, person or tag, their owners, thresholds and enforcement' },
  'payouts:manage': { group: 'Payouts', description: 'Pay back what people are owed' },
  'bank:operate': { group: 'Platform', description: 'Operate the platform\'s bank accounts (operators only)' },
  'flags:operate': { group: 'Platform', description: 'Change the platform\'s feature flags (operators only)' },
  'api_keys:manage': { group: 'Developers', description: 'Create and revoke API keys' },
  'webhooks:manage': { group: 'Developers', description: 'Manage webhook endpoints: their events, secrets and delivery log; replay deliveries' },
};

// Everyone may see their own cards, transactions, receipts and expenses; these permissions
// reach everyone's. receipts:write sends and matches receipts for anyone (integrations);
// receipts:manage sets the company's receipt rules. expenses:review decides expenses in
// review; expenses:manage keeps the books (chart of accounts, tax codes, tags, periods,
// exports, corrections); payouts:manage pays reimbursements. company:manage changes the
// company's settings and audit:read reads its audit trail: the admin's alone.
const byRole: Record<Role, readonly Permission[]> = {
  admin: permissions.filter((p) => p !== 'bank:operate' && p !== 'flags:operate'),
  operator: ['company:read', 'bank:operate', 'flags:operate'],
  bookkeeper: ['company:read', 'people:read', 'wallet:read', 'ledger:read', 'cards:read', 'transactions:read', 'receipts:read', 'expenses:read', 'expenses:manage', 'analytics:read'],
  reviewer: ['company:read', 'people:read', 'transactions:read', 'receipts:read', 'expenses:read', 'expenses:review'],
  employee: ['company:read'],
};

export function permissionsOfRoles(userRoles: readonly Role[]): Set<Permission> {
  return new Set(userRoles.flatMap((role) => byRole[role]));
}

/** The first permission the roles would give that the granter (a person's roles, an API
 * key's scopes) does not hold itself, or null: no one grants more than they have. */
export function permissionBeyond(granted: readonly Role[], granter: ReadonlySet<Permission>): Permission | null {
  return [...permissionsOfRoles(granted)].find((permission) => !granter.has(permission)) ?? null;
}
