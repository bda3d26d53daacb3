// Limits on attempts at something that can be guessed (a password) or abused (invitations,
// uploads), counted per subject: the e-mail address and the client address at sign-in, the
// person at a card reveal, the person (or API key) and the company inviting or uploading. Pure: the state of one subject in, the
// verdict and the next state out; attempt-limits.repository.ts keeps the states in
// PostgreSQL, so every process counts the same attempts.
//
// An attempt is counted before the password is checked (so a hundred attempts sent at once
// cannot all be checked before the first failure is written), and a success clears the count
// where it should (attemptLimits.clear). After failuresMax attempts within windowMs the
// subject is locked out for lockoutMs, twice as long for each lockout in a row, at most
// lockoutMsMax; a subject left alone for forgetAfterMs starts afresh.

export interface AttemptRule {
  /** Stored with the counts; one scope per rule. */
  scope: string;
  failuresMax: number;
  windowMs: number;
  lockoutMs: number;
  lockoutMsMax: number;
  forgetAfterMs: number;
}

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** Wrong passwords for one e-mail address, from anywhere: the 11th within 15 minutes is refused. */
export const signInPerAddress: AttemptRule = { scope: 'sign_in_address', failuresMax: 10, windowMs: 15 * minuteMs, lockoutMs: minuteMs, lockoutMsMax: hourMs, forgetAfterMs: dayMs };
/** Wrong passwords from one client address, for any e-mail address: wide enough for an office behind one address. */
export const signInPerClient: AttemptRule = { scope: 'sign_in_client', failuresMax: 50, windowMs: 15 * minuteMs, lockoutMs: minuteMs, lockoutMsMax: hourMs, forgetAfterMs: dayMs };
/** Password reset e-mails asked for one address: a few an hour, so no one floods a mailbox. */
export const passwordResetPerAddress: AttemptRule = { scope: 'password_reset_address', failuresMax: 5, windowMs: hourMs, lockoutMs: 15 * minuteMs, lockoutMsMax: dayMs, forgetAfterMs: dayMs };
/** Password reset e-mails asked from one client address, for any e-mail address. */
export const passwordResetPerClient: AttemptRule = { scope: 'password_reset_client', failuresMax: 30, windowMs: hourMs, lockoutMs: 15 * minuteMs, lockoutMsMax: dayMs, forgetAfterMs: dayMs };
/** Wrong passwords a signed-in person types again (to see a card's number, to change the password), per person. */
export const passwordRecheckPerPerson: AttemptRule = { scope: 'password_recheck_person', failuresMax: 5, windowMs: 15 * minuteMs, lockoutMs: 5 * minuteMs, lockoutMsMax: hourMs, forgetAfterMs: dayMs };
/** Wrong second-factor codes (TOTP or recovery) per person, at sign-in, card reveal and
 * enrolment: a 6-digit code with three steps accepted is one in 333,333 a guess, so 5 in
 * 15 minutes, then doubling lockouts, leave a guesser nowhere. */
export const secondFactorPerPerson: AttemptRule = { scope: 'second_factor_person', failuresMax: 5, windowMs: 15 * minuteMs, lockoutMs: 5 * minuteMs, lockoutMsMax: dayMs, forgetAfterMs: dayMs };
/** Invitations one person or API key sends in an hour. */
export const invitationsPerInviter: AttemptRule = { scope: 'invitation_inviter', failuresMax: 50, windowMs: hourMs, lockoutMs: 15 * minuteMs, lockoutMsMax: dayMs, forgetAfterMs: dayMs };
/** Invitations one company sends in an hour, by everyone together. */
export const invitationsPerCompany: AttemptRule = { scope: 'invitation_company', failuresMax: 200, windowMs: hourMs, lockoutMs: 15 * minuteMs, lockoutMsMax: dayMs, forgetAfterMs: dayMs };

/** Receipts one person or API key sends in an hour. Someone catching up on a year of paper
 * receipts photographs perhaps a hundred in a sitting, and an integration forwarding a
 * company's receipts is limited per company below; a script looping on the route is not. */
export const receiptUploadsPerUploader: AttemptRule = { scope: 'receipt_upload_uploader', failuresMax: 300, windowMs: hourMs, lockoutMs: 15 * minuteMs, lockoutMsMax: dayMs, forgetAfterMs: dayMs };
/** Receipts one company sends in an hour, by everyone together: a busy company's month of
 * card purchases in one hour, ten times what a month-end rush brings. */
export const receiptUploadsPerCompany: AttemptRule = { scope: 'receipt_upload_company', failuresMax: 3000, windowMs: hourMs, lockoutMs: 15 * minuteMs, lockoutMsMax: dayMs, forgetAfterMs: dayMs };
/** Bank statement files one person or API key imports in an hour: a bank gives one file a day
 * an account, so 50 is a month's files caught up at once and more; a longer backlog goes
 * through the bank-import command or the statement inbox, which are not limited. */
export const statementUploadsPerUploader: AttemptRule = { scope: 'statement_upload_uploader', failuresMax: 50, windowMs: hourMs, lockoutMs: 15 * minuteMs, lockoutMsMax: dayMs, forgetAfterMs: dayMs };
/** Bank statement files one company imports in an hour, by everyone together (the platform's
 * operators count as the platform company). */
export const statementUploadsPerCompany: AttemptRule = { scope: 'statement_upload_company', failuresMax: 200, windowMs: hourMs, lockoutMs: 15 * minuteMs, lockoutMsMax: dayMs, forgetAfterMs: dayMs };

export interface AttemptState {
  failures: number;
  windowStartedAt: Date;
  lockouts: number;
  lockedUntil: Date | null;
  updatedAt: Date;
}

export type AttemptVerdict =
  | { allowed: true; next: AttemptState; lockedOut: boolean }
  | { allowed: false; retryAfterMs: number };

/** How long the nth lockout in a row lasts (n from 1). */
export function lockoutMsOf(rule: AttemptRule, lockouts: number): number {
  return Math.min(rule.lockoutMs * 2 ** Math.min(lockouts - 1, 30), rule.lockoutMsMax);
}

/** Decides one attempt, in order: still locked out, then count it (a fresh window or
 * subject first), then lock out when it is the last one the window allows. */
export function decideAttempt(rule: AttemptRule, state: AttemptState | null, now: Date): AttemptVerdict {
  const at = now.getTime();
  if (state?.lockedUntil && state.lockedUntil.getTime() > at) return { allowed: false, retryAfterMs: state.lockedUntil.getTime() - at };
  const forgotten = !state || at - state.updatedAt.getTime() >= rule.forgetAfterMs;
  const current = forgotten ? { failures: 0, windowStartedAt: now, lockouts: 0 } : state;
  const windowOver = at - current.windowStartedAt.getTime() >= rule.windowMs;
  const failures = (windowOver ? 0 : current.failures) + 1;
  const windowStartedAt = windowOver ? now : current.windowStartedAt;
  if (failures < rule.failuresMax) {
    return { allowed: true, lockedOut: false, next: { failures, windowStartedAt, lockouts: current.lockouts, lockedUntil: null, updatedAt: now } };
  }
  const lockouts = current.lockouts + 1;
  return { allowed: true, lockedOut: true, next: { failures: 0, windowStartedAt: now, lockouts, lockedUntil: new Date(at + lockoutMsOf(rule, lockouts)), updatedAt: now } };
}

/** A success gives back the attempt it was counted as (sign-in from a client address): one
 * failure less, or the lockout that attempt started undone. */
export function refundAttempt(rule: AttemptRule, state: AttemptState, now: Date): AttemptState {
  if (state.failures > 0) return { ...state, failures: state.failures - 1, updatedAt: now };
  if (state.lockedUntil && state.lockedUntil > now && state.lockouts > 0) {
    return { ...state, failures: rule.failuresMax - 1, lockouts: state.lockouts - 1, lockedUntil: null, updatedAt: now };
  }
  return state;
}
