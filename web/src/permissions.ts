// What the person may do in the app, as the server says in their session: it works the
// permissions out from their roles (src/auth/permissions.ts). The server still decides every
// request; this only keeps the app from offering what would be refused.
import type { Permission, Person, Session } from './api/types';

export function can(session: Session, permission: Permission): boolean {
  return session.permissions.includes(permission);
}

/** Whether the person works for a company (any role but the platform's operator), and so
 * has their own expenses, cards and receipts. */
export function worksForCompany(person: Person): boolean {
  return person.roles.some((role) => role !== 'operator');
}
