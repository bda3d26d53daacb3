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
  'api_keys:manage',
] as const;
export type Permission = (typeof permissions)[number];

/** Scopes an API key may hold: everything but managing API keys, so a leaked key cannot mint more. */
export const apiKeyScopes = permissions.filter((p) => p !== 'api_keys:manage');

export const roles: readonly Role[] = ['admin', 'bookkeeper', 'reviewer', 'employee'];

const byRole: Record<Role, readonly Permission[]> = {
  admin: permissions,
  bookkeeper: ['company:read', 'people:read', 'wallet:read', 'ledger:read'],
  reviewer: ['company:read', 'people:read'],
  employee: ['company:read'],
};

export function permissionsOfRoles(userRoles: readonly Role[]): Set<Permission> {
  return new Set(userRoles.flatMap((role) => byRole[role]));
}
