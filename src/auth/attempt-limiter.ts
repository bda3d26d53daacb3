// Counts an attempt against every limit it falls under, in one transaction, and refuses it
// with RateLimitedError while any of them is locked out. The callers name the subjects (an
// e-mail address, a client address, a person); only a keyed hash of each is stored.
import type { Db } from '../db/database.js';
import { RateLimitedError } from '../shared/errors.js';
import { decideAttempt, refundAttempt, type AttemptRule, type AttemptState } from './attempt-limits.js';
import * as repo from './attempt-limits.repository.js';
import { principalId, type Principal } from './principal.js';
import { hashSecret } from './tokens.js';

export interface AttemptSubject {
  rule: AttemptRule;
  /** What is counted: an e-mail address, a client address, a person's or company's id. */
  subject: string;
}

const attemptPurpose = 'attempt_limit';
/** Rows untouched this long are purged: longer than any rule remembers a subject. */
export const attemptStateRetentionMs = 2 * 24 * 60 * 60 * 1000;

/** Keys the hash of subjects worth hiding (e-mail and client addresses); null for ids, which
 * tell nothing a database reader does not see anyway. */
export type AttemptHashKey = Buffer | null;

const unkeyed = Buffer.alloc(0);

function keyed(hashKey: AttemptHashKey, subjects: readonly AttemptSubject[]) {
  // In one order everywhere, so two processes locking the same rows never wait on each other in a circle.
  return subjects
    .map((subject) => ({ ...subject, hash: hashSecret(hashKey ?? unkeyed, attemptPurpose, `${subject.rule.scope}:${subject.subject}`) }))
    .sort((a, b) => (a.rule.scope + a.hash < b.rule.scope + b.hash ? -1 : 1));
}

/** What the words of a refusal say about the wait. */
function inWords(seconds: number): string {
  return seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}

/**
 * Counts one attempt for each subject, or throws RateLimitedError (and counts nothing) when
 * one of them is locked out. Returns the subjects this attempt locked out, for the audit
 * trail. Runs in a transaction of its own: the count stays whatever the attempt's outcome.
 */
export async function takeAttempt(db: Db, hashKey: AttemptHashKey, subjects: readonly AttemptSubject[], now: Date, refusal: string): Promise<AttemptSubject[]> {
  return db.transaction().execute((trx) => takeAttemptIn(trx, hashKey, subjects, now, refusal));
}

/** takeAttempt in the caller's transaction: the attempt counts only if that commits (an
 * invitation counts once it is made, not when it is refused for a bad address). */
export async function takeAttemptIn(trx: Db, hashKey: AttemptHashKey, subjects: readonly AttemptSubject[], now: Date, refusal: string): Promise<AttemptSubject[]> {
  const decided: { subject: AttemptSubject & { hash: string }; next: AttemptState; lockedOut: boolean }[] = [];
  let retryAfterMs = 0;
  for (const subject of keyed(hashKey, subjects)) {
    const verdict = decideAttempt(subject.rule, await repo.lockState(trx, subject.rule.scope, subject.hash, now), now);
    if (verdict.allowed) decided.push({ subject, next: verdict.next, lockedOut: verdict.lockedOut });
    else retryAfterMs = Math.max(retryAfterMs, verdict.retryAfterMs);
  }
  if (retryAfterMs > 0) {
    const seconds = Math.ceil(retryAfterMs / 1000);
    // The caller's transaction rolls back with the refusal, the rows lockState made too.
    throw new RateLimitedError(`${refusal}; try again in ${inWords(seconds)}`, seconds);
  }
  for (const { subject, next } of decided) await repo.saveState(trx, subject.rule.scope, subject.hash, next);
  return decided.filter((entry) => entry.lockedOut).map(({ subject }) => ({ rule: subject.rule, subject: subject.subject }));
}

/** The limits an upload falls under: one for whoever sends it, one for their company. */
export interface UploadLimits {
  perUploader: AttemptRule;
  perCompany: AttemptRule;
}

/**
 * Counts one upload for the person or API key sending it and for their company, before its
 * file is read or anything is stored, in a transaction of its own: parallel uploads wait on
 * each other's count, so a flood cannot get past the limit, and an upload that fails later
 * still counts (reading it was the work). Throws RateLimitedError, counting nothing, while
 * either is locked out.
 */
export async function takeUploadAttempt(db: Db, principal: Principal, limits: UploadLimits, now: Date, refusal: string): Promise<void> {
  await takeAttempt(db, null, [
    { rule: limits.perUploader, subject: `${principal.companyId}:${principalId(principal)}` },
    { rule: limits.perCompany, subject: principal.companyId },
  ], now, refusal);
}

/** Forgets the subjects' attempts: a right password clears the count of its address. */
export async function clearAttempts(db: Db, hashKey: AttemptHashKey, subjects: readonly AttemptSubject[]): Promise<void> {
  for (const subject of keyed(hashKey, subjects)) await repo.deleteState(db, subject.rule.scope, subject.hash);
}

/** Gives back the attempt a success was counted as, where successes should not count. */
export async function refundAttempts(db: Db, hashKey: AttemptHashKey, subjects: readonly AttemptSubject[], now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const subject of keyed(hashKey, subjects)) {
      const state = await repo.lockState(trx, subject.rule.scope, subject.hash, now);
      if (state) await repo.saveState(trx, subject.rule.scope, subject.hash, refundAttempt(subject.rule, state, now));
    }
  });
}

/** Deletes the counts of subjects left alone longer than attemptStateRetentionMs, at most `limit`; how many went. */
export async function purgeIdleAttempts(db: Db, now: Date, limit: number): Promise<number> {
  return repo.deleteIdleStates(db, new Date(now.getTime() - attemptStateRetentionMs), limit);
}
