// Sessions for people in the browser: a secure, httpOnly cookie holding a token, and a CSRF
// token derived from the session that cookie-authenticated writes must echo in a header.
import { burnPasswordCheck, verifyPassword } from '../auth/passwords.js';
import { permissionsOfRoles } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { formatToken, hashSecret, newSecret, parseToken, secretMatches } from '../auth/tokens.js';
import type { Db } from '../db/database.js';
import * as people from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import * as repo from './sessions.repository.js';

export type { SessionRow } from './sessions.repository.js';

const sessionPurpose = 'session';
const csrfPurpose = 'csrf';

export interface SessionSettings {
  sessionKey: Buffer;
  sessionTtlHours: number;
}

export interface StartedSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  person: people.UserRow;
}

export function csrfTokenFor(sessionKey: Buffer, sessionId: string): string {
  return hashSecret(sessionKey, csrfPurpose, sessionId);
}

export function csrfTokenMatches(sessionKey: Buffer, sessionId: string, candidate: string): boolean {
  return secretMatches(sessionKey, csrfPurpose, sessionId, candidate);
}

export async function startSession(db: Db, settings: SessionSettings, person: people.UserRow, now: Date): Promise<StartedSession> {
  const secret = newSecret();
  const session = await repo.insertSession(db, {
    company_id: person.company_id,
    id: newId('session'),
    user_id: person.id,
    secret_hash: hashSecret(settings.sessionKey, sessionPurpose, secret),
    expires_at: new Date(now.getTime() + settings.sessionTtlHours * 3600_000),
  });
  return {
    token: formatToken(person.company_id, session.id, secret),
    csrfToken: csrfTokenFor(settings.sessionKey, session.id),
    expiresAt: session.expires_at,
    person,
  };
}

export async function login(db: Db, settings: SessionSettings, email: string, password: string, now: Date): Promise<StartedSession> {
  const person = await people.findLogin(db, email.trim().toLowerCase());
  const refused = new DomainError('invalid_credentials', 'the e-mail address or password is wrong');
  if (!person || !person.password_hash) {
    await burnPasswordCheck(password);
    throw refused;
  }
  if (!(await verifyPassword(password, person.password_hash))) throw refused;
  if (person.status !== 'active') throw refused;
  return startSession(db, settings, person, now);
}

export interface ResolvedSession {
  principal: Principal & { kind: 'user' };
  session: repo.SessionRow;
  person: people.UserRow;
}

export async function resolveSession(db: Db, sessionKey: Buffer, token: string, now: Date): Promise<ResolvedSession | null> {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const session = await repo.findSession(db, parsed.companyId, parsed.id);
  if (!session || session.revoked_at || session.expires_at <= now) return null;
  if (!secretMatches(sessionKey, sessionPurpose, parsed.secret, session.secret_hash)) return null;
  const person = await people.findPerson(db, session.company_id, session.user_id);
  if (!person || person.status !== 'active') return null;
  return {
    session,
    person,
    principal: {
      kind: 'user',
      companyId: person.company_id,
      userId: person.id,
      sessionId: session.id,
      roles: person.roles,
      permissions: permissionsOfRoles(person.roles),
    },
  };
}

export async function endSession(db: Db, companyId: string, sessionId: string, now: Date): Promise<void> {
  await repo.revokeSession(db, companyId, sessionId, now);
}

/** Ends every session of a person, in the caller's transaction (a person deactivated). */
export async function endSessionsOf(trx: Db, companyId: string, userId: string, now: Date): Promise<void> {
  await repo.revokeSessionsOfUser(trx, companyId, userId, now);
}
