// What the person's roles let them do in the app, as src/auth/permissions.ts grants it. The
// server decides every request; this only keeps the app from offering what would be refused.
import type { Person, Role } from './api/types';

export type AppPermission =
  | 'people:read'
  | 'expenses:review'
  | 'expenses:manage'
  | 'payouts:manage'
  | 'wallet:read'
  | 'wallet:write'
  | 'bank:operate';

const byRole: Record<Role, readonly AppPermission[]> = {
  admin: ['people:read', 'expenses:review', 'expenses:manage', 'payouts:manage', 'wallet:read', 'wallet:write'],
  bookkeeper: ['people:read', 'expenses:manage', 'wallet:read'],
  reviewer: ['people:read', 'expenses:review'],
  employee: [],
  operator: ['bank:operate'],
};

export function can(person: Person, permission: AppPermission): boolean {
  return person.roles.some((role) => byRole[role].includes(permission));
}

/** Whether the person works for a company (any role but the platform's operator), and so
 * has their own expenses, cards and receipts. */
export function worksForCompany(person: Person): boolean {
  return person.roles.some((role) => role !== 'operator');
}
