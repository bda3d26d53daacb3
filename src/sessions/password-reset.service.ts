// Password reset by e-mailed link. Asking answers the same whether or not the address has an
// account (the link goes only to the mailbox, which is what proves the person); the link holds
// a secret of which only a keyed hash is stored, works once and for passwordResetValidMinutes.
// Setting the password through it ends the person's sessions everywhere.
import { clearAttempts, takeAttemptIn } from '../auth/attempt-limiter.js';
import { passwordResetPerAddress, passwordResetPerClient, signInPerAddress } from '../auth/attempt-limits.js';
import { hashPassword, type PasswordCost } from '../auth/passwords.js';
import { formatToken, hashSecret, newSecret, parseToken, secretMatches } from '../auth/tokens.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { mailPasswordReset } from '../mail/mail.service.js';
import * as people from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import * as repo from './password-reset.repository.js';
import { endSessionsOf, type SessionClient } from './sessions.service.js';

const resetPurpose = 'password_reset';
/** How long a reset link works after it was e-mailed. */
export const passwordResetValidMinutes = 60;
/** How long a used or expired link is kept: it answers "used" or "expired" meanwhile, then goes. */
export const spentResetRetentionMs = 7 * 24 * 60 * 60 * 1000;

export interface PasswordResetSettings {
  sessionKey: Buffer;
  passwordCost: PasswordCost;
}

/**
 * Asks for a reset link for an address: each active person with a password that the address
 * is (one per company) is e-mailed a link of their own. Counted against the address and the
 * client's address first; the answer is the same whether a link was sent or not, and the same
 * transaction commits either way, so the time taken differs by the rows written only.
 */
export async function requestPasswordReset(db: Db, sessionKey: Buffer, email: string, client: Pick<SessionClient, 'ipAddress'>, now: Date): Promise<void> {
  const address = people.normaliseEmail(email);
  const subjects = [{ rule: passwordResetPerAddress, subject: address }, { rule: passwordResetPerClient, subject: client.ipAddress }];
  await db.transaction().execute(async (trx) => {
    await takeAttemptIn(trx, sessionKey, subjects, now, 'too many password resets were asked for this address or from this network');
    for (const person of await people.findLogins(trx, address)) {
      if (person.status === 'active' && person.password_hash) await issueReset(trx, sessionKey, person, now);
    }
  });
}

async function issueReset(trx: Db, sessionKey: Buffer, person: people.UserRow, now: Date): Promise<void> {
  const secret = newSecret();
  const reset = await repo.insertReset(trx, {
    company_id: person.company_id,
    id: newId('passwordReset', now.getTime()),
    user_id: person.id,
    secret_hash: hashSecret(sessionKey, resetPurpose, secret),
    expires_at: new Date(now.getTime() + passwordResetValidMinutes * 60_000),
    created_at: now,
  });
  const linkPath = `/reset-password/${formatToken(person.company_id, reset.id, secret)}`;
  await mailPasswordReset(trx, { companyId: person.company_id, userId: person.id, email: person.email, validMinutes: passwordResetValidMinutes, linkPath }, now);
}

/** The link's row and person, or a problem: not a link (invalid), or a real one spent (used, expired). */
async function openReset(db: Db, sessionKey: Buffer, token: string, now: Date) {
  const invalid = new DomainError('password_reset_invalid', 'this password reset link is not valid');
  const parsed = parseToken(token);
  if (!parsed) throw invalid;
  const reset = await repo.findReset(db, parsed.companyId, parsed.id);
  if (!reset || !secretMatches(sessionKey, resetPurpose, parsed.secret, reset.secret_hash)) throw invalid;
  if (reset.used_at) throw new DomainError('password_reset_used', 'this password reset link was used already; ask for a new one');
  if (reset.expires_at <= now) throw new DomainError('password_reset_expired', 'this password reset link has expired; ask for a new one');
  const person = await people.findPerson(db, reset.company_id, reset.user_id);
  if (!person || person.status !== 'active' || !person.password_hash) throw invalid;
  return { reset, person };
}

/** Whether a link still works, for the page that sets the password. */
export async function describeReset(db: Db, sessionKey: Buffer, token: string, now: Date): Promise<{ companyName: string; expiresAt: Date }> {
  const { reset } = await openReset(db, sessionKey, token, now);
  return { companyName: (await getCompany(db, reset.company_id)).name, expiresAt: reset.expires_at };
}

/**
 * Sets the new password through a link: the link is spent (and the person's other open links
 * with it), every session of the person ends, and the address's count of wrong passwords is
 * forgotten (whoever holds the mailbox chose the password now in force). Nobody is signed in:
 * the person signs in with the new password, through every step sign-in asks for.
 */
export async function completeReset(db: Db, settings: PasswordResetSettings, token: string, password: string, now: Date): Promise<void> {
  const next = people.checkPassword(password);
  // The link is checked before the costly hash, so made-up links cost the server little.
  await openReset(db, settings.sessionKey, token, now);
  const passwordHash = await hashPassword(next, settings.passwordCost);
  const email = await db.transaction().execute(async (trx) => {
    const { reset } = await openReset(trx, settings.sessionKey, token, now);
    if (!(await repo.markUsed(trx, reset.company_id, reset.id, now))) throw new DomainError('password_reset_used', 'this password reset link was used already; ask for a new one');
    const person = await people.resetPassword(trx, reset.company_id, reset.user_id, passwordHash);
    if (!person) throw new DomainError('password_reset_invalid', 'this password reset link is not valid');
    await repo.closeOpenResetsOf(trx, reset.company_id, reset.user_id, now);
    await endSessionsOf(trx, reset.company_id, reset.user_id, now);
    return person.email;
  });
  await clearAttempts(db, settings.sessionKey, [{ rule: signInPerAddress, subject: email }]);
}

/** Deletes links used or expired longer than spentResetRetentionMs ago, at most `limit`; how many went. */
export async function purgeSpentResets(db: Db, now: Date, limit: number): Promise<number> {
  return repo.deleteSpentResets(db, new Date(now.getTime() - spentResetRetentionMs), limit);
}
