// How the job queues stand, read from pg-boss's tables for the metrics at scrape time. The
// reading is bounded three ways: only the named queues, counts capped, and a statement timeout,
// so a queue grown huge slows no scrape past a couple of seconds.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { JobQueueState } from '../observability/metrics.js';
import { jobSchema } from './job-queue.js';

/** Counts stop here: past it the alert has long fired. */
export const queueCountMax = 100_000;
export const queueStatesTimeoutMs = 2_000;

export async function readQueueStates(db: Db, queues: readonly string[]): Promise<JobQueueState[]> {
  if (queues.length === 0) return [];
  const job = sql.table(`${jobSchema}.job`);
  return db.transaction().execute(async (trx) => {
    await sql`set local statement_timeout = ${sql.lit(queueStatesTimeoutMs)}`.execute(trx);
    // state < 'active' is pg-boss's "waiting" (created or retry), the condition of its own
    // index on (name, start_after); the oldest counts only jobs due now, not retries backing off.
    const result = await sql<{ queue: string; waiting: number; failed: number; oldest_seconds: number | null }>`
      select q.name as queue,
        (select count(*)::int from (select 1 from ${job} j where j.name = q.name and j.state < 'active' limit ${queueCountMax}) w) as waiting,
        (select count(*)::int from (select 1 from ${job} j where j.name = q.name and j.state = 'failed' limit ${queueCountMax}) f) as failed,
        (select extract(epoch from now() - min(j.created_on))::float8 from ${job} j
          where j.name = q.name and j.state < 'active' and j.start_after <= now()) as oldest_seconds
      from unnest(${[...queues]}::text[]) as q(name)`.execute(trx);
    return result.rows.map((row) => ({ queue: row.queue, waiting: row.waiting, failed: row.failed, oldestWaitingSeconds: row.oldest_seconds }));
  });
}
