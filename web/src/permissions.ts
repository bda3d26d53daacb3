// What the person's roles let them do in the app, as src/auth/permissions.ts grants it. The
// server decides every request; this only keeps the app from offering what would be refused.
import type { Person, Role } from './api/types';

export type AppPermission = 'people:read' | 'expenses:review' | 'expenses:manage' | 'payouts:manage';

const byRole: Record<Role, readonly AppPermission[]> = {
  admin: ['people:read', 'expenses:review', 'expenses:manage', 'payouts:manage'],
  bookkeeper: ['people:read', 'expenses:manage'],
  reviewer: ['people:read', 'expenses:review'],
  employee: [],
};

export function can(person: Person, permission: AppPermission): boolean {
  return person.roles.some((role) => byRole[role].includes(permission));
}
