// People of a company: invitations, roles, teams and deactivation.
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { clearAttempts, takeAttempt, takeAttemptIn, type AttemptSubject } from '../auth/attempt-limiter.js';
import { invitationsPerCompany, invitationsPerInviter, passwordRecheckPerPerson, type AttemptRule } from '../auth/attempt-limits.js';
import { hashPassword, passwordLengthMax, passwordLengthMin, verifyPassword, type PasswordCost } from '../auth/passwords.js';
import { permissionBeyond, type Permission } from '../auth/permissions.js';
import { passwordCostOwasp } from '../config/config.js';
import { formatToken, hashSecret, newSecret, parseToken, secretMatches } from '../auth/tokens.js';
import type { Db } from '../db/database.js';
import type { Role } from '../db/schema.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import * as repo from './people.repository.js';
import { mailInvitation, mailSignInLockout } from '../mail/mail.service.js';

export type { TeamRow, UserRow } from './people.repository.js';

const invitationPurpose = 'invitation';
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const emailLengthMax = 254;

export function normaliseEmail(email: string, field = 'email'): string {
  const normalised = email.trim().toLowerCase();
  if (normalised.length > emailLengthMax || !emailPattern.test(normalised)) {
    throw new DomainError('validation_failed', `"${email}" is not an e-mail address`, field);
  }
  return normalised;
}

function checkName(name: string, field = 'name'): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) throw new DomainError('validation_failed', 'a name has 1 to 200 characters', field);
  return trimmed;
}

function checkRoles(roles: readonly Role[]): Role[] {
  const unique = [...new Set(roles)];
  if (unique.length === 0) throw new DomainError('validation_failed', 'a person needs at least one role', 'roles');
  return unique;
}

export function checkPassword(password: string, field = 'password'): string {
  if (password.length < passwordLengthMin || password.length > passwordLengthMax) {
    throw new DomainError('validation_failed', `a password has ${passwordLengthMin} to ${passwordLengthMax} characters`, field);
  }
  return password;
}

async function checkTeam(db: Db, companyId: string, teamId: string | null | undefined): Promise<string | null> {
  if (!teamId) return null;
  // Another company's team id is simply not found here.
  if (!(await repo.findTeam(db, companyId, teamId))) throw new DomainError('not_found', 'team was not found', 'teamId');
  return teamId;
}

export interface PersonInput {
  email: string;
  name: string;
  roles: Role[];
  teamId?: string | null;
}

async function insertPerson(db: Db, companyId: string, input: PersonInput, status: 'invited' | 'active', passwordHash: string | null) {
  const email = normaliseEmail(input.email);
  // Only this company's people count: whether the address is a person of another company
  // is none of this one's business, and must not stop its owner's company inviting it.
  if (await repo.emailTaken(db, companyId, email)) {
    throw new DomainError('email_taken', `${email} is a person of this company already`, 'email');
  }
  return repo.insertUser(db, {
    companyId,
    id: newId('user'),
    email,
    name: checkName(input.name),
    roles: checkRoles(input.roles),
    teamId: await checkTeam(db, companyId, input.teamId),
    status,
    passwordHash,
  });
}

/** Who grants roles: the permissions of the person or API key doing it, or 'system' for
 * Outlay's own tools (the CLI's first admin of a company, the platform's operators). */
export type Grantor = ReadonlySet<Permission> | 'system';

/** No one grants a role that gives more than they hold: an API key with people:write cannot
 * make an admin (who could then mint keys with every scope). */
function checkGrant(roles: readonly Role[], grantor: Grantor): void {
  if (grantor === 'system') return;
  const beyond = permissionBeyond(roles, grantor);
  if (beyond) throw new DomainError('forbidden', `the roles ${roles.join(', ')} give ${beyond}, which you do not hold yourself`, 'roles');
}

/** Adds an active person with a password; used for a company's first admin and the demo. */
export async function addActivePerson(db: Db, companyId: string, input: PersonInput & { password: string }, passwordCost: PasswordCost = passwordCostOwasp): Promise<repo.UserRow> {
  const passwordHash = await hashPassword(checkPassword(input.password), passwordCost);
  return db.transaction().execute(async (trx) => {
    await repo.lockCompanyPeople(trx, companyId);
    const user = await insertPerson(trx, companyId, input, 'active', passwordHash);
    await recordAudit(trx, { companyId, actorType: 'system', actorId: null, action: 'person.created', subjectType: 'user', subjectId: user.id });
    return user;
  });
}

export interface InvitationSettings {
  sessionKey: Buffer;
  publicUrl: string;
  inviteTtlHours: number;
}

export interface CreatedInvitation {
  person: repo.UserRow;
  /** url and token are null for an API key: the link is a bearer secret that lets whoever
   * holds it in as the person, so it goes to a person (later by e-mail to the invitee), never
   * to a machine. */
  invitation: { id: string; url: string | null; token: string | null; expiresAt: Date };
}

export async function invitePerson(
  db: Db,
  settings: InvitationSettings,
  companyId: string,
  input: PersonInput,
  actor: Actor,
  now: Date,
  grantor: Grantor,
): Promise<CreatedInvitation> {
  checkGrant(checkRoles(input.roles), grantor);
  const inviter = { rule: invitationsPerInviter, subject: `${companyId}:${actor.actorId ?? 'system'}` };
  return db.transaction().execute(async (trx) => {
    await repo.lockCompanyPeople(trx, companyId);
    const person = await insertPerson(trx, companyId, input, 'invited', null);
    // Counted in the invitation's transaction: only invitations made count.
    const lockedOut = await takeAttemptIn(trx, null, [inviter, { rule: invitationsPerCompany, subject: companyId }], now, 'too many invitations were sent');
    await recordInvitationLockouts(trx, companyId, actor, lockedOut);
    const secret = newSecret();
    const invitation = await repo.insertInvitation(trx, {
      company_id: companyId,
      id: newId('invitation'),
      user_id: person.id,
      secret_hash: hashSecret(settings.sessionKey, invitationPurpose, secret),
      invited_by: actor.actorId ?? 'system',
      expires_at: new Date(now.getTime() + settings.inviteTtlHours * 3600_000),
    });
    await recordAudit(trx, { companyId, ...actor, action: 'person.invited', subjectType: 'user', subjectId: person.id, details: { email: person.email, roles: person.roles } });
    const link = formatToken(companyId, invitation.id, secret);
    // The invitee gets the link by e-mail, written with the invitation (it exists exactly when
    // the invitation does); an API key never sees it.
    await mailInvitation(trx, { companyId, userId: person.id, email: person.email, inviterName: await inviterNameOf(trx, companyId, actor), expiresAt: invitation.expires_at, linkPath: `/invite/${link}` }, now);
    const token = actor.actorType === 'api_key' ? null : link;
    return {
      person,
      invitation: { id: invitation.id, token, url: token === null ? null : `${settings.publicUrl}/invite/${token}`, expiresAt: invitation.expires_at },
    };
  });
}

/** Who the invitation e-mail says invited: the person; null for a key or Outlay (the company then). */
async function inviterNameOf(db: Db, companyId: string, actor: Actor): Promise<string | null> {
  if (actor.actorType !== 'user' || !actor.actorId) return null;
  return (await repo.findUser(db, companyId, actor.actorId))?.name ?? null;
}

async function openInvitation(db: Db, sessionKey: Buffer, token: string, now: Date) {
  const parsed = parseToken(token);
  const invalid = new DomainError('invitation_invalid', 'this invitation link is not valid, was used already or has expired');
  if (!parsed) throw invalid;
  const invitation = await repo.findInvitation(db, parsed.companyId, parsed.id);
  if (!invitation || !secretMatches(sessionKey, invitationPurpose, parsed.secret, invitation.secret_hash)) throw invalid;
  if (invitation.accepted_at || invitation.expires_at <= now) throw invalid;
  const person = await repo.findUser(db, invitation.company_id, invitation.user_id);
  if (!person || person.status !== 'invited') throw invalid;
  return { invitation, person };
}

export async function describeInvitation(db: Db, sessionKey: Buffer, token: string, now: Date) {
  return openInvitation(db, sessionKey, token, now);
}

/** Accepting sets the password and activates the person; a link works once. */
export async function acceptInvitation(db: Db, settings: { sessionKey: Buffer; passwordCost: PasswordCost }, token: string, password: string, now: Date): Promise<repo.UserRow> {
  const { sessionKey } = settings;
  const passwordHash = await hashPassword(checkPassword(password), settings.passwordCost);
  return db.transaction().execute(async (trx) => {
    const { invitation, person } = await openInvitation(trx, sessionKey, token, now);
    if (!(await repo.markInvitationAccepted(trx, invitation.company_id, invitation.id, now))) {
      throw new DomainError('invitation_invalid', 'this invitation link was used already');
    }
    const active = await repo.updateUser(trx, person.company_id, person.id, { status: 'active', password_hash: passwordHash });
    await recordAudit(trx, { companyId: person.company_id, actorType: 'user', actorId: person.id, action: 'person.joined', subjectType: 'user', subjectId: person.id });
    return active;
  });
}

/** How long a used or expired invitation is kept: its link answers "invalid" either way, and
 * the row helps no one after this. */
export const spentInvitationRetentionMs = 30 * 24 * 60 * 60 * 1000;

/** Deletes invitations used or expired longer than spentInvitationRetentionMs ago, at most `limit`; how many went. */
export async function purgeSpentInvitations(db: Db, now: Date, limit: number): Promise<number> {
  return repo.deleteSpentInvitations(db, new Date(now.getTime() - spentInvitationRetentionMs), limit);
}

async function keepAnAdmin(db: Db, companyId: string, person: repo.UserRow, nextRoles: Role[], nextStatus: string) {
  const wasAdmin = person.status === 'active' && person.roles.includes('admin');
  const staysAdmin = nextStatus === 'active' && nextRoles.includes('admin');
  if (wasAdmin && !staysAdmin && (await repo.countActiveAdmins(db, companyId)) <= 1) {
    throw new DomainError('last_admin', 'a company needs at least one active admin; make someone else admin first');
  }
}

export interface PersonPatch {
  name?: string;
  roles?: Role[];
  teamId?: string | null;
}

export async function updatePerson(db: Db, companyId: string, id: string, patch: PersonPatch, actor: Actor, grantor: Grantor): Promise<repo.UserRow> {
  if (patch.roles) checkGrant(checkRoles(patch.roles), grantor);
  return db.transaction().execute(async (trx) => {
    await repo.lockCompanyPeople(trx, companyId);
    const person = await repo.findUser(trx, companyId, id);
    if (!person) throw notFound('person');
    const roles = patch.roles ? checkRoles(patch.roles) : person.roles;
    await keepAnAdmin(trx, companyId, person, roles, person.status);
    const changes = {
      ...(patch.name !== undefined ? { name: checkName(patch.name) } : {}),
      ...(patch.roles ? { roles } : {}),
      ...(patch.teamId !== undefined ? { team_id: await checkTeam(trx, companyId, patch.teamId) } : {}),
    };
    const updated = await repo.updateUser(trx, companyId, id, changes);
    await recordAudit(trx, { companyId, ...actor, action: 'person.updated', subjectType: 'user', subjectId: id, details: { ...patch } });
    return updated;
  });
}

/** Ends what a person could still act through (their sessions, kept by the sessions module),
 * inside the deactivation's transaction. Given by whoever wires the modules together. */
export type EndAccess = (trx: Db, companyId: string, userId: string, now: Date) => Promise<void>;

/** Deactivation ends the person's sessions at once; their history stays. */
export async function deactivatePerson(db: Db, companyId: string, id: string, actor: Actor, endAccess: EndAccess, now: Date): Promise<repo.UserRow> {
  return db.transaction().execute(async (trx) => {
    await repo.lockCompanyPeople(trx, companyId);
    const person = await repo.findUser(trx, companyId, id);
    if (!person) throw notFound('person');
    if (person.status === 'deactivated') return person;
    await keepAnAdmin(trx, companyId, person, person.roles, 'deactivated');
    const updated = await repo.updateUser(trx, companyId, id, { status: 'deactivated' });
    await endAccess(trx, companyId, id, now);
    await recordAudit(trx, { companyId, ...actor, action: 'person.deactivated', subjectType: 'user', subjectId: id });
    return updated;
  });
}

export async function findPerson(db: Db, companyId: string, id: string): Promise<repo.UserRow | undefined> {
  return repo.findUser(db, companyId, id);
}

export async function getPerson(db: Db, companyId: string, id: string): Promise<repo.UserRow> {
  const person = await repo.findUser(db, companyId, id);
  if (!person) throw notFound('person');
  return person;
}

export async function createTeam(db: Db, companyId: string, name: string, actor: Actor): Promise<repo.TeamRow> {
  const teamName = checkName(name);
  return db.transaction().execute(async (trx) => {
    // Serialised like other changes to a company's people, so of two teams created at once
    // with one name the second is refused here with its field, not by the unique index.
    await repo.lockCompanyPeople(trx, companyId);
    if (await repo.findTeamByName(trx, companyId, teamName)) {
      throw new DomainError('conflict', `a team named "${teamName}" exists already`, 'name');
    }
    const team = await repo.insertTeam(trx, { companyId, id: newId('team'), name: teamName });
    await recordAudit(trx, { companyId, ...actor, action: 'team.created', subjectType: 'team', subjectId: team.id });
    return team;
  });
}

export const listPeople = repo.listUsers;
export const listTeams = repo.listTeams;

/** The companies one address may be a person of at sign-in: each is one password check. */
export const loginsPerAddressTriedMax = 10;

/** The people the address is, in every company (at most loginsPerAddressTriedMax). */
export async function findLogins(db: Db, email: string): Promise<repo.UserRow[]> {
  return repo.findLogins(db, email, loginsPerAddressTriedMax);
}

/** Stores a password's hash made again at a higher cost, unless the password changed meanwhile. */
export async function rehashPassword(db: Db, person: repo.UserRow, passwordHash: string): Promise<void> {
  if (person.password_hash) await repo.replacePasswordHash(db, person.company_id, person.id, person.password_hash, passwordHash);
}

async function recordLockout(db: Db, person: repo.UserRow, rule: AttemptRule): Promise<void> {
  await recordAudit(db, { companyId: person.company_id, actorType: 'system', actorId: null, action: 'person.locked_out', subjectType: 'user', subjectId: person.id, details: { limit: rule.scope } });
}

/** Writes a lockout of an address to the audit trail of every company the address is a person
 * of, and tells each active person by e-mail (with the way to reset the password): the attempt
 * that locks out happens once per lockout, so one e-mail does. */
export async function recordAddressLockout(db: Db, email: string, rule: AttemptRule, now: Date): Promise<void> {
  for (const person of await findLogins(db, email)) {
    await db.transaction().execute(async (trx) => {
      await recordLockout(trx, person, rule);
      if (person.status === 'active') await mailSignInLockout(trx, { companyId: person.company_id, userId: person.id, email: person.email }, now);
    });
  }
}

/** Sets a password chosen through a reset link (which proved the mailbox), in the caller's
 * transaction; the person must still be active with a password. Whether it was set. */
export async function resetPassword(trx: Db, companyId: string, userId: string, passwordHash: string): Promise<repo.UserRow | null> {
  const person = await repo.findUser(trx, companyId, userId);
  if (!person || person.status !== 'active' || !person.password_hash) return null;
  const updated = await repo.updateUser(trx, companyId, userId, { password_hash: passwordHash });
  await recordAudit(trx, { companyId, actorType: 'user', actorId: userId, action: 'person.password_reset', subjectType: 'user', subjectId: userId });
  return updated;
}

async function recordInvitationLockouts(db: Db, companyId: string, actor: Actor, lockedOut: readonly AttemptSubject[]): Promise<void> {
  for (const { rule } of lockedOut) {
    const byInviter = rule === invitationsPerInviter;
    await recordAudit(db, {
      companyId,
      actorType: 'system',
      actorId: null,
      action: 'invitations.locked_out',
      subjectType: byInviter ? actor.actorType : 'company',
      subjectId: byInviter ? (actor.actorId ?? 'system') : companyId,
      details: { limit: rule.scope },
    });
  }
}

/**
 * A signed-in person typing their password again (to see a card's number, to change the
 * password): limited per person, so a stolen session cannot be used to guess it.
 */
export async function recheckPassword(db: Db, companyId: string, userId: string, password: string, now: Date, field = 'password'): Promise<repo.UserRow> {
  const subjects = [{ rule: passwordRecheckPerPerson, subject: `${companyId}:${userId}` }];
  const lockedOut = await takeAttempt(db, null, subjects, now, 'too many wrong passwords');
  const person = await getPerson(db, companyId, userId);
  if (person.password_hash && (await verifyPassword(password, person.password_hash))) {
    await clearAttempts(db, null, subjects);
    return person;
  }
  if (lockedOut.length > 0) await recordLockout(db, person, passwordRecheckPerPerson);
  throw new DomainError('reauthentication_required', 'the password is not correct; type it again', field);
}

/** Changing the password needs the current one; `endOtherSessions` (the sessions module's)
 * ends the person's other sessions in the same transaction. */
export async function changePassword(
  db: Db,
  passwordCost: PasswordCost,
  person: { companyId: string; userId: string },
  passwords: { current: string; next: string },
  endOtherSessions: (trx: Db) => Promise<void>,
  now: Date,
): Promise<void> {
  const next = checkPassword(passwords.next, 'newPassword');
  await recheckPassword(db, person.companyId, person.userId, passwords.current, now, 'currentPassword');
  const passwordHash = await hashPassword(next, passwordCost);
  await db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, person.companyId, person.userId, { password_hash: passwordHash });
    await endOtherSessions(trx);
    await recordAudit(trx, { companyId: person.companyId, actorType: 'user', actorId: person.userId, action: 'person.password_changed', subjectType: 'user', subjectId: person.userId });
  });
}

/** How many people each company has, for the companies listed. */
export async function countPeopleByCompany(db: Db, companyIds: readonly string[]): Promise<Map<string, number>> {
  return new Map((await repo.countUsersByCompany(db, companyIds)).map((row) => [row.company_id, row.people]));
}

/** The team of each of the people (null for none), by person id. */
export async function teamsOf(db: Db, companyId: string, ids: readonly string[]): Promise<Map<string, string | null>> {
  return new Map((await repo.listTeamIds(db, companyId, ids)).map((row) => [row.id, row.team_id]));
}

/** The names of the people with these ids (those of another company are not found). */
export async function namesOf(db: Db, companyId: string, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await repo.listNames(db, companyId, ids)).map((row) => [row.id, row.name]));
}

/** The company's active admins (their ids), who are told of its money. */
export const listActiveAdmins = repo.listActiveAdminIds;

/** The company's teams with these ids (those of another company are not found). */
export async function findTeams(db: Db, companyId: string, ids: readonly string[]): Promise<repo.TeamRow[]> {
  return repo.findTeams(db, companyId, ids);
}

/** The names of the company's teams, by id. */
export async function teamNamesOf(db: Db, companyId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  return new Map((await repo.findTeams(db, companyId, ids)).map((team) => [team.id, team.name]));
}

/** The ids of the active people who review expenses (reviewers and admins). */
export async function activeReviewerIds(db: Db, companyId: string): Promise<string[]> {
  return repo.listActiveReviewerIds(db, companyId);
}

/** The company's person with this e-mail, whatever their state. */
export async function findPersonByEmail(db: Db, companyId: string, email: string): Promise<repo.UserRow | undefined> {
  return repo.findUserByEmail(db, companyId, normaliseEmail(email));
}

/**
 * Admits a person whom the company's identity provider vouched for (single sign-on): one who
 * was invited becomes active without a password, and nobody yet is added active, when the
 * company provisions people so. Audited as the invitation's acceptance or a creation.
 */
export async function admitBySingleSignOn(db: Db, companyId: string, person: { existingId: string | null; email: string; name: string; roles: Role[] }, now: Date): Promise<repo.UserRow> {
  return db.transaction().execute(async (trx) => {
    await repo.lockCompanyPeople(trx, companyId);
    if (person.existingId === null) {
      const created = await insertPerson(trx, companyId, { email: person.email, name: person.name, roles: person.roles }, 'active', null);
      await recordAudit(trx, { companyId, actorType: 'system', actorId: null, action: 'person.created', subjectType: 'user', subjectId: created.id, details: { via: 'single_sign_on', roles: created.roles } });
      return created;
    }
    const invited = await repo.findUser(trx, companyId, person.existingId);
    if (!invited) throw notFound('person');
    if (invited.status !== 'invited') return invited;
    const joined = await repo.updateUser(trx, companyId, invited.id, { status: 'active' });
    await repo.closeInvitationsOf(trx, companyId, invited.id, now);
    await recordAudit(trx, { companyId, actorType: 'user', actorId: invited.id, action: 'person.joined', subjectType: 'user', subjectId: invited.id, details: { via: 'single_sign_on' } });
    return joined;
  });
}
