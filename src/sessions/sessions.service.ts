// Sessions for people in the browser: a secure, httpOnly cookie holding a token, and a CSRF
// token derived from the session that cookie-authenticated writes must echo in a header.
import { burnPasswordCheck, verifyPassword } from '../auth/passwords.js';
import { permissionsOfRoles } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { getCompany, type CompanyRow } from '../companies/companies.service.js';
import { formatToken, hashSecret, newSecret, parseToken, secretMatches } from '../auth/tokens.js';
import type { Db } from '../db/database.js';
import { flagsOf } from '../flags/feature-flags.js';
import * as people from '../people/people.service.js';
import { liveEvents } from '../shared/live-events.js';
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
  liveEvents.endSessions({ companyId, sessionId });
}

/** Ends every session of a person, in the caller's transaction (a person deactivated). */
export async function endSessionsOf(trx: Db, companyId: string, userId: string, now: Date): Promise<void> {
  await repo.revokeSessionsOfUser(trx, companyId, userId, now);
  // Closing the person's live streams before the commit errs on the safe side.
  liveEvents.endSessions({ companyId, userId });
}

/** How long a session is kept after it expired or was signed out: long enough to answer
 * "when did this session end" while looking into something, then it goes. */
export const endedSessionRetentionMs = 7 * 24 * 60 * 60 * 1000;

/** Deletes sessions ended longer than endedSessionRetentionMs ago, at most `limit`; how many went. */
export async function purgeEndedSessions(db: Db, now: Date, limit: number): Promise<number> {
  return repo.deleteEndedSessions(db, new Date(now.getTime() - endedSessionRetentionMs), limit);
}

/** Whether the session still lets its person in (not signed out, not expired). */
export async function isSessionLive(db: Db, companyId: string, sessionId: string, now: Date): Promise<boolean> {
  const session = await repo.findSession(db, companyId, sessionId);
  return session !== undefined && session.revoked_at === null && session.expires_at > now;
}

// --- What the web app is told about the signed-in person -----------------------------------

export interface SessionView {
  person: people.UserRow;
  company: CompanyRow;
  /** What the feature flags give this person (the server's own switches apply on top). */
  flags: { simulator: boolean };
}

const flagsFor = async (db: Db, person: people.UserRow) => ({
  simulator: await flagsOf(db).isOn('simulator', { companyId: person.company_id, personId: person.id, roles: person.roles }),
});

export async function sessionViewOf(db: Db, person: people.UserRow): Promise<SessionView> {
  return { person, company: await getCompany(db, person.company_id), flags: await flagsFor(db, person) };
}

/** The session of the person making the request; API keys have none. */
export async function currentSession(db: Db, principal: Principal): Promise<SessionView & { sessionId: string }> {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'API keys have no session');
  const [person, company] = await Promise.all([people.getPerson(db, principal.companyId, principal.userId), getCompany(db, principal.companyId)]);
  return { person, company, flags: await flagsFor(db, person), sessionId: principal.sessionId };
}

export async function signOut(db: Db, principal: Principal, now: Date): Promise<void> {
  if (principal.kind === 'user') await endSession(db, principal.companyId, principal.sessionId, now);
}

// --- Invitation links --------------------------------------------------------------------

/** What an invitation link is for, before the person chooses a password. */
export async function describeInvitationLink(db: Db, sessionKey: Buffer, token: string, now: Date) {
  const { invitation, person } = await people.describeInvitation(db, sessionKey, token, now);
  const company = await getCompany(db, person.company_id);
  return { email: person.email, name: person.name, companyName: company.name, expiresAt: invitation.expires_at };
}

/** Accepting an invitation sets the password and signs the person in. */
export async function acceptInvitation(db: Db, settings: SessionSettings, token: string, password: string, now: Date): Promise<StartedSession> {
  const person = await people.acceptInvitation(db, settings.sessionKey, token, password, now);
  return startSession(db, settings, person, now);
}
