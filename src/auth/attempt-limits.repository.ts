// All SQL of attempt limits: one row per rule and subject, locked while an attempt is decided.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { AttemptLimitsTable } from '../db/schema.js';
import type { AttemptState } from './attempt-limits.js';

type AttemptLimitRow = Selectable<AttemptLimitsTable>;

const stateOf = (row: AttemptLimitRow): AttemptState => ({
  failures: row.failures,
  windowStartedAt: row.window_started_at,
  lockouts: row.lockouts,
  lockedUntil: row.locked_until,
  updatedAt: row.updated_at,
});

/** The subject's state, its row locked until the transaction ends (made first if missing, so
 * two first attempts at once also wait on each other). */
export async function lockState(trx: Db, scope: string, subjectHash: string, now: Date): Promise<AttemptState | null> {
  await trx
    .insertInto('attempt_limits')
    .values({ scope, subject_hash: subjectHash, failures: 0, window_started_at: now, updated_at: now })
    .onConflict((conflict) => conflict.columns(['scope', 'subject_hash']).doNothing())
    .execute();
  const row = await trx.selectFrom('attempt_limits').selectAll().where('scope', '=', scope).where('subject_hash', '=', subjectHash).forUpdate().executeTakeFirstOrThrow();
  // A row just made holds no attempt yet: the same as none.
  return row.failures === 0 && row.lockouts === 0 && row.locked_until === null ? null : stateOf(row);
}

export async function saveState(trx: Db, scope: string, subjectHash: string, state: AttemptState): Promise<void> {
  await trx
    .updateTable('attempt_limits')
    .set({ failures: state.failures, window_started_at: state.windowStartedAt, lockouts: state.lockouts, locked_until: state.lockedUntil, updated_at: state.updatedAt })
    .where('scope', '=', scope)
    .where('subject_hash', '=', subjectHash)
    .execute();
}

export async function deleteState(db: Db, scope: string, subjectHash: string): Promise<void> {
  await db.deleteFrom('attempt_limits').where('scope', '=', scope).where('subject_hash', '=', subjectHash).execute();
}

/** Deletes up to `limit` rows untouched since `before`; how many went. */
export async function deleteIdleStates(db: Db, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from attempt_limits
    where (scope, subject_hash) in (
      select scope, subject_hash from attempt_limits where updated_at < ${before} limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
