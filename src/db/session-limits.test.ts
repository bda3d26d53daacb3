import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { isTimeoutOrLockFailure } from './unique-violation.js';

// PGlite has no timer to cancel a statement with: the limits are the server's.
describe.skipIf(!process.env.DATABASE_URL)('session limits on a PostgreSQL server', () => {
  it('cancels a statement past its timeout and a lock wait past its own, both as retryable', async () => {
    const limits = { statementTimeoutMs: 300, lockTimeoutMs: 200, idleInTransactionTimeoutMs: 60_000 };
    const database = await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL!, poolSize: 3 }, limits);
    try {
      const slow = await sql`select pg_sleep(2)`.execute(database.db).catch((error: unknown) => error);
      expect((slow as { code?: string }).code).toBe('57014');
      expect(isTimeoutOrLockFailure(slow)).toBe(true);

      const lockId = 7_112_024_999;
      const waited = await database.db.connection().execute(async (holder) => {
        await sql`select pg_advisory_lock(${lockId})`.execute(holder);
        try {
          return await database.db.transaction().execute(async (trx) => sql`select pg_advisory_xact_lock(${lockId})`.execute(trx)).catch((error: unknown) => error);
        } finally {
          await sql`select pg_advisory_unlock(${lockId})`.execute(holder);
        }
      });
      expect((waited as { code?: string }).code).toBe('55P03');
      expect(isTimeoutOrLockFailure(waited)).toBe(true);
      const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(database.db);
      expect(shown.rows[0]!.statement_timeout).toBe('300ms');
    } finally {
      await database.close();
    }
  });
});
