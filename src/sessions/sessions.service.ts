// Sessions for people in the browser: a secure, httpOnly cookie holding a token, and a CSRF
// token derived from the session that cookie-authenticated writes must echo in a header.
import { recordAudit } from '../audit/audit.service.js';
import { clearAttempts, refundAttempts, takeAttempt } from '../auth/attempt-limiter.js';
import { signInPerAddress, signInPerClient } from '../auth/attempt-limits.js';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword, type PasswordCost } from '../auth/passwords.js';
import { permissionsOfRoles } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { getCompany, type CompanyRow } from '../companies/companies.service.js';
import { formatToken, hashSecret, newSecret, parseToken, secretMatches } from '../auth/tokens.js';
import type { Db } from '../db/database.js';
import { flagsOf } from '../flags/feature-flags.js';
import * as mfa from '../mfa/mfa.service.js';
import * as people from '../people/people.service.js';
import { liveEvents } from '../shared/live-events.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { suspendApiKeysMadeBy } from './api-keys.service.js';
import { openChallenge, sealChallenge } from './mfa-challenge.js';
import * as repo from './sessions.repository.js';

export type { SessionRow } from './sessions.repository.js';

const sessionPurpose = 'session';
const csrfPurpose = 'csrf';

export interface SessionSettings {
  sessionKey: Buffer;
  sessionTtlHours: number;
  passwordCost: PasswordCost;
}

/** Where a session is started from, as its owner sees it in the list of their sessions. */
export interface SessionClient {
  ipAddress: string;
  userAgent: string | null;
}

/** Stored lengths of what a client says about itself. */
const userAgentLengthMax = 400;
const ipAddressLengthMax = 64;
/** Last use is informational: written at most this often per session. */
const lastUseWriteIntervalMs = 60_000;
/** Sessions listed to their owner at once: sessions expire within hours, so more is odd. */
export const sessionsListedMax = 100;

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

export async function startSession(db: Db, settings: Omit<SessionSettings, 'passwordCost'>, person: people.UserRow, client: SessionClient, now: Date): Promise<StartedSession> {
  const secret = newSecret();
  const session = await repo.insertSession(db, {
    company_id: person.company_id,
    id: newId('session'),
    user_id: person.id,
    secret_hash: hashSecret(settings.sessionKey, sessionPurpose, secret),
    expires_at: new Date(now.getTime() + settings.sessionTtlHours * 3600_000),
    client_ip: client.ipAddress.slice(0, ipAddressLengthMax),
    user_agent: client.userAgent?.slice(0, userAgentLengthMax) ?? null,
    created_at: now,
    last_used_at: now,
  });
  // Every sign-in (password, second factor, invitation, single sign-on) is in the trail, with
  // the request's address and user agent.
  await recordAudit(db, { companyId: person.company_id, actorType: 'user', actorId: person.id, action: 'person.signed_in', subjectType: 'user', subjectId: person.id, details: { sessionId: session.id } });
  return {
    token: formatToken(person.company_id, session.id, secret),
    csrfToken: csrfTokenFor(settings.sessionKey, session.id),
    expiresAt: session.expires_at,
    person,
  };
}

/** The person of one of the address's companies whose password this is, or null. The same
 * address may be a person of several companies, each with a password of its own: the first
 * company (in id order) whose password matches is signed in to. */
/** The active people of this address, one per company, whose password this is. */
async function peopleOfPassword(db: Db, settings: SessionSettings, email: string, password: string): Promise<people.UserRow[]> {
  const candidates = (await people.findLogins(db, email)).filter((person) => person.status === 'active' && person.password_hash);
  if (candidates.length === 0) await burnPasswordCheck(password, settings.passwordCost);
  const matching: people.UserRow[] = [];
  for (const person of candidates) if (await verifyPassword(password, person.password_hash!)) matching.push(person);
  return matching;
}

/** What a sign-in gives: a session, or (the person has a second factor) a challenge to send
 * back with a code. */
export type SignInOutcome =
  | { kind: 'session'; started: StartedSession }
  | { kind: 'mfa_required'; challenge: string; expiresAt: Date }
  // One address with this password in several companies (an accountant's clients): the
  // person chooses, and signs in again naming the company.
  | { kind: 'choose_company'; companies: { id: string; name: string }[] };

/** A person whose first factor checked out: a session, or the challenge when they have a second factor. */
export async function afterFirstFactor(db: Db, settings: Omit<SessionSettings, 'passwordCost'>, person: people.UserRow, client: SessionClient, now: Date): Promise<Exclude<SignInOutcome, { kind: 'choose_company' }>> {
  if (await mfa.hasSecondFactor(db, { companyId: person.company_id, userId: person.id })) return { kind: 'mfa_required', ...sealChallenge(settings.sessionKey, person, now) };
  return { kind: 'session', started: await startSession(db, settings, person, client, now) };
}

/** The active person a sealed sign-in challenge names; refused when expired, altered or gone. */
async function personOfChallenge(db: Db, sessionKey: Buffer, sealed: string, now: Date): Promise<people.UserRow> {
  const challenge = openChallenge(sessionKey, sealed, now);
  const person = await people.findPerson(db, challenge.companyId, challenge.userId);
  if (!person || person.status !== 'active') throw new DomainError('mfa_challenge_invalid', 'sign in again', 'challenge');
  return person;
}

/** Finishes a sign-in that asked for a second factor: the challenge and a code (the
 * authenticator's or a recovery code) or a passkey's answer to a challenge of this sign-in
 * start the session. Wrong codes and failed answers count against the person
 * (secondFactorPerPerson); a challenge expires after mfaChallengeTtlMs. */
export async function completeSignIn(db: Db, settings: Omit<SessionSettings, 'passwordCost'> & mfa.MfaSettings, sealed: string, given: Parameters<typeof mfa.proofOf>[0], client: SessionClient, now: Date): Promise<StartedSession> {
  const person = await personOfChallenge(db, settings.sessionKey, sealed, now);
  const proof = mfa.proofOf(given);
  if (!proof) throw new DomainError('validation_failed', 'give a code of your authenticator or a passkey\'s answer', 'code');
  await mfa.verifySecondFactor(db, settings, { companyId: person.company_id, userId: person.id }, proof, now, { purpose: 'sign_in', signIn: sealed });
  return startSession(db, settings, person, client, now);
}

/** Options for a passkey at a sign-in's second step, its challenge bound to this attempt. */
export async function startPasskeySignIn(db: Db, settings: { sessionKey: Buffer; relyingParty: mfa.MfaSettings['relyingParty'] }, sealed: string, now: Date) {
  const person = await personOfChallenge(db, settings.sessionKey, sealed, now);
  return mfa.startPasskeyAuthentication(db, settings.relyingParty, { companyId: person.company_id, userId: person.id }, { purpose: 'sign_in', signIn: sealed }, now);
}

/**
 * Signs in with an e-mail address and password. Every attempt counts against the address and
 * the client's address (signInPerAddress, signInPerClient) before the password is checked:
 * while either is locked out even the right password is refused (429). The right password
 * clears the address's count and gives the client's address its attempt back; a hash made at
 * less than the current cost is made again. A person with a second factor gets a challenge
 * instead of a session (afterFirstFactor).
 */
export async function login(db: Db, settings: SessionSettings, credentials: { email: string; password: string; companyId?: string }, client: SessionClient, now: Date): Promise<SignInOutcome> {
  const email = credentials.email.trim().toLowerCase();
  const byAddress = { rule: signInPerAddress, subject: email };
  const byClient = { rule: signInPerClient, subject: client.ipAddress };
  const lockedOut = await takeAttempt(db, settings.sessionKey, [byAddress, byClient], now, 'too many sign-in attempts for this address or from this network');
  const matching = await peopleOfPassword(db, settings, email, credentials.password);
  const person = credentials.companyId === undefined ? matching[0] : matching.find((candidate) => candidate.company_id === credentials.companyId);
  if (!person) {
    if (lockedOut.some((limit) => limit.rule === signInPerAddress)) await people.recordAddressLockout(db, email, signInPerAddress, now);
    throw new DomainError('invalid_credentials', 'the e-mail address or password is wrong');
  }
  await clearAttempts(db, settings.sessionKey, [byAddress]);
  await refundAttempts(db, settings.sessionKey, [byClient], now);
  for (const match of matching) {
    if (needsRehash(match.password_hash!, settings.passwordCost)) await people.rehashPassword(db, match, await hashPassword(credentials.password, settings.passwordCost));
  }
  if (credentials.companyId === undefined && matching.length > 1) {
    return { kind: 'choose_company', companies: await Promise.all(matching.map(async (match) => ({ id: match.company_id, name: (await getCompany(db, match.company_id)).name }))) };
  }
  return afterFirstFactor(db, settings, person, client, now);
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
  if (!session.last_used_at || now.getTime() - session.last_used_at.getTime() > lastUseWriteIntervalMs) {
    await repo.touchSession(db, session.company_id, session.id, now);
  }
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
      mfaPending: await mfa.mustEnrol(db, { companyId: person.company_id, userId: person.id, roles: person.roles }),
    },
  };
}

export async function endSession(db: Db, companyId: string, sessionId: string, now: Date): Promise<void> {
  await repo.revokeSession(db, companyId, sessionId, now);
  liveEvents.endSessions({ companyId, sessionId });
}

/** Ends every session of a person, in the caller's transaction. */
export async function endSessionsOf(trx: Db, companyId: string, userId: string, now: Date): Promise<void> {
  await repo.revokeSessionsOfUser(trx, companyId, userId, now);
  // Closing the person's live streams before the commit errs on the safe side.
  liveEvents.endSessions({ companyId, userId });
}

/** Ends all a deactivated person could still act through, in the deactivation's transaction:
 * their sessions, and the API keys they made (suspended). */
export async function endAccessOf(trx: Db, companyId: string, userId: string, now: Date): Promise<void> {
  await endSessionsOf(trx, companyId, userId, now);
  await suspendApiKeysMadeBy(trx, companyId, userId, now);
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
  /** The company requires a second factor of the person and they have none: they may only enrol. */
  mfaPending: boolean;
}

const flagsFor = async (db: Db, person: people.UserRow) => ({
  simulator: await flagsOf(db).isOn('simulator', { companyId: person.company_id, personId: person.id, roles: person.roles }),
});

const mustEnrol = (db: Db, person: people.UserRow) => mfa.mustEnrol(db, { companyId: person.company_id, userId: person.id, roles: person.roles });

export async function sessionViewOf(db: Db, person: people.UserRow): Promise<SessionView> {
  return { person, company: await getCompany(db, person.company_id), flags: await flagsFor(db, person), mfaPending: await mustEnrol(db, person) };
}

/** The session of the person making the request; API keys have none. */
export async function currentSession(db: Db, principal: Principal): Promise<SessionView & { sessionId: string }> {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'API keys have no session');
  const [person, company] = await Promise.all([people.getPerson(db, principal.companyId, principal.userId), getCompany(db, principal.companyId)]);
  return { person, company, flags: await flagsFor(db, person), mfaPending: await mustEnrol(db, person), sessionId: principal.sessionId };
}

export async function signOut(db: Db, principal: Principal, now: Date): Promise<void> {
  if (principal.kind !== 'user') return;
  await endSession(db, principal.companyId, principal.sessionId, now);
  await recordAudit(db, { companyId: principal.companyId, actorType: 'user', actorId: principal.userId, action: 'person.signed_out', subjectType: 'user', subjectId: principal.userId, details: { sessionId: principal.sessionId } });
}

// --- The signed-in person's own account: sessions and password ---------------------------

function personOf(principal: Principal): Principal & { kind: 'user' } {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'API keys have no sessions and no password');
  return principal;
}

/** The person's live sessions, newest first; `current` marks the one asking. */
export async function listOwnSessions(db: Db, principal: Principal, now: Date): Promise<(repo.SessionRow & { current: boolean })[]> {
  const person = personOf(principal);
  const rows = await repo.listLiveSessionsOfUser(db, person.companyId, person.userId, now, sessionsListedMax);
  return rows.map((row) => ({ ...row, current: row.id === person.sessionId }));
}

/** Ends one of the person's own sessions; another person's is not found. */
export async function endOwnSession(db: Db, principal: Principal, sessionId: string, now: Date): Promise<void> {
  const person = personOf(principal);
  if (!(await repo.revokeSessionOfUser(db, person.companyId, person.userId, sessionId, now))) throw notFound('session');
  liveEvents.endSessions({ companyId: person.companyId, sessionId });
}

/** Signs the person out everywhere, this session included. */
export async function endAllOwnSessions(db: Db, principal: Principal, now: Date): Promise<void> {
  const person = personOf(principal);
  await endSessionsOf(db, person.companyId, person.userId, now);
}

/** Changes the person's password (the current one required); their other sessions end, the
 * one asking stays signed in. */
export async function changeOwnPassword(db: Db, settings: SessionSettings, principal: Principal, passwords: { current: string; next: string }, now: Date): Promise<void> {
  const person = personOf(principal);
  await people.changePassword(db, settings.passwordCost, person, passwords, async (trx) => {
    for (const sessionId of await repo.revokeSessionsOfUser(trx, person.companyId, person.userId, now, person.sessionId)) {
      liveEvents.endSessions({ companyId: person.companyId, sessionId });
    }
  }, now);
}

// --- Invitation links --------------------------------------------------------------------

/** What an invitation link is for, before the person chooses a password. */
export async function describeInvitationLink(db: Db, sessionKey: Buffer, token: string, now: Date) {
  const { invitation, person } = await people.describeInvitation(db, sessionKey, token, now);
  const company = await getCompany(db, person.company_id);
  return { email: person.email, name: person.name, companyName: company.name, expiresAt: invitation.expires_at };
}

/** Accepting an invitation sets the password and signs the person in. */
export async function acceptInvitation(db: Db, settings: SessionSettings, token: string, password: string, client: SessionClient, now: Date): Promise<StartedSession> {
  const person = await people.acceptInvitation(db, settings, token, password, now);
  return startSession(db, settings, person, client, now);
}
