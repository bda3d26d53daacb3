// Work that must run in one process at a time across every process on one database (seeding
// an empty database, setting up the job queue's schema), under a PostgreSQL session-level
// advisory lock held on a connection set aside for it; the work itself runs on the pool's
// other connections. PGlite serves one
// process only (its data folder is locked), so there the work simply runs.
import { sql } from 'kysely';
import type { Database, Db } from './database.js';

/** Numbers unlikely to collide with locks other applications on the same server take. */
export const advisoryLocks = {
  migrations: 7_112_024_001,
  seeding: 7_112_024_002,
  /** pg-boss creates its schema without a lock of its own: two processes starting together on
   * an empty database would both try. */
  jobQueueSetup: 7_112_024_003,
} as const;

export async function withAdvisoryLock<T>(database: Database, lockId: number, work: () => Promise<T>): Promise<T> {
  if (database.kind === 'pglite') return work();
  return database.db.connection().execute(async (connection) => {
    // Waiting for the other process is the point: the session's lock timeout would cut it short.
    await sql`set lock_timeout = 0`.execute(connection);
    try {
      await sql`select pg_advisory_lock(${lockId})`.execute(connection);
      try {
        return await work();
      } finally {
        await sql`select pg_advisory_unlock(${lockId})`.execute(connection);
      }
    } finally {
      // Back to the pool with the limit it started with.
      await sql`reset lock_timeout`.execute(connection);
    }
  });
}

/** Classes of transaction-scoped locks on one thing (the first key of the two-key form). */
export const advisoryLockClasses = {
  /** A subscription's own card: issued once, however many ask at the same time. */
  subscriptionCard: 7_302,
} as const;

/** Waits for, then holds until the caller's transaction ends, the lock of `key` within its
 * class. Keys are hashed to 32 bits: two that hash alike only wait on each other now and then. */
export async function lockWithinTransaction(trx: Db, lockClass: number, key: string): Promise<void> {
  if (!trx.isTransaction) throw new Error('a transaction-scoped lock is taken inside a transaction');
  await sql`select pg_advisory_xact_lock(${lockClass}, hashtext(${key}))`.execute(trx);
}
