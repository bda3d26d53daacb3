// Who is making a request: a person through a session cookie, or a machine with an API key.
import type { Role } from '../db/schema.js';
import { DomainError } from '../shared/errors.js';
import type { Actor } from './actor.js';
import type { Permission } from './permissions.js';

export type Principal =
  // mfaPending: the company requires a second factor of this person and they have none yet;
  // their session may only enrol (routes marked whileEnrolling).
  | { kind: 'user'; companyId: string; userId: string; sessionId: string; roles: Role[]; permissions: Set<Permission>; mfaPending?: boolean }
  | { kind: 'api_key'; companyId: string; apiKeyId: string; permissions: Set<Permission> };

export function principalId(principal: Principal): string {
  return principal.kind === 'user' ? principal.userId : principal.apiKeyId;
}

export function actorOf(principal: Principal): Actor & { actorType: 'user' | 'api_key'; actorId: string } {
  return { actorType: principal.kind, actorId: principalId(principal) };
}

export function requirePermission(principal: Principal, permission: Permission): void {
  if (!principal.permissions.has(permission)) {
    throw new DomainError('forbidden', `this needs the ${permission} permission`);
  }
}
