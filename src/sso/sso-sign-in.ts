// Who an OpenID Connect sign-in lets in, decided from the ID token's claims and what the
// company set: a verified address of one of the company's verified domains; an active person
// signs in, an invited one joins, nobody yet is provisioned only when the company asked for it;
// roles follow the mapped claim when the company maps one. Pure, so a table tests every case.
import type { Role } from '../db/schema.js';

export interface SsoPolicy {
  verifiedDomains: readonly string[];
  provisionPeople: boolean;
  defaultRoles: readonly Role[];
  roleClaim: string | null;
  /** A claim value (e.g. a group's name) to the role it gives. */
  roleMap: Readonly<Record<string, string>>;
}

export interface SsoClaims {
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
  [claim: string]: unknown;
}

export interface ExistingPerson {
  id: string;
  status: 'invited' | 'active' | 'deactivated';
  roles: readonly Role[];
}

export type SsoDecision =
  | { allowed: true; action: 'sign_in' | 'join' | 'provision'; email: string; name: string; roles: Role[] | null }
  | { allowed: false; reason: 'email_missing' | 'email_unverified' | 'domain_not_verified' | 'person_deactivated' | 'no_person' | 'no_role' };

const outlayRoles: readonly Role[] = ['admin', 'bookkeeper', 'reviewer', 'employee'];

/** The roles the claim maps to; null when the company maps none (roles stay as in Outlay). */
export function mappedRoles(policy: SsoPolicy, claims: SsoClaims): Role[] | null {
  if (policy.roleClaim === null) return null;
  const raw = claims[policy.roleClaim];
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const roles = values.flatMap((value) => {
    const role = typeof value === 'string' && Object.hasOwn(policy.roleMap, value) ? policy.roleMap[value] : undefined;
    return role !== undefined && (outlayRoles as readonly string[]).includes(role) ? [role as Role] : [];
  });
  return [...new Set(roles)];
}

export function decideSsoSignIn(policy: SsoPolicy, claims: SsoClaims, existing: ExistingPerson | null): SsoDecision {
  if (typeof claims.email !== 'string' || !claims.email.includes('@')) return { allowed: false, reason: 'email_missing' };
  // An address the provider has not verified could be anyone's (OpenID Connect Core, 5.1).
  if (claims.email_verified !== true) return { allowed: false, reason: 'email_unverified' };
  const email = claims.email.trim().toLowerCase();
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!policy.verifiedDomains.includes(domain)) return { allowed: false, reason: 'domain_not_verified' };
  const name = typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name.trim() : email;
  const mapped = mappedRoles(policy, claims);
  // A mapped claim that gives no role lets nobody in: the provider says they have no place here.
  if (mapped !== null && mapped.length === 0) return { allowed: false, reason: 'no_role' };
  if (existing?.status === 'deactivated') return { allowed: false, reason: 'person_deactivated' };
  if (existing) return { allowed: true, action: existing.status === 'invited' ? 'join' : 'sign_in', email, name, roles: mapped };
  if (!policy.provisionPeople) return { allowed: false, reason: 'no_person' };
  return { allowed: true, action: 'provision', email, name, roles: mapped ?? [...policy.defaultRoles] };
}
