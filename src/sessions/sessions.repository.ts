// All SQL of browser sessions.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { SessionsTable } from '../db/schema.js';

export type SessionRow = Selectable<SessionsTable>;

export async function insertSession(db: Db, row: Insertable<SessionsTable>): Promise<SessionRow> {
  return db.insertInto('sessions').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findSession(db: Db, companyId: string, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function revokeSession(db: Db, companyId: string, id: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeSessionsOfUser(db: Db, companyId: string, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Deletes up to `limit` sessions that expired or were revoked before `before`; how many went. */
export async function deleteEndedSessions(db: Db, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from sessions
    where (company_id, id) in (
      select company_id, id from sessions
      where expires_at < ${before} or revoked_at < ${before}
      limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
