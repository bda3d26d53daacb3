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

/** Ends the person's sessions, but the one `keptSessionId` names (null: all); the ids ended. */
export async function revokeSessionsOfUser(db: Db, companyId: string, userId: string, now: Date, keptSessionId: string | null = null): Promise<string[]> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keptSessionId !== null) query = query.where('id', '<>', keptSessionId);
  return (await query.returning('id').execute()).map((row) => row.id);
}

/** The person's sessions neither ended nor expired, newest first, at most `limit`. */
export async function listLiveSessionsOfUser(db: Db, companyId: string, userId: string, now: Date, limit: number): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Ends one session of the person's; whether there was such a live session. */
export async function revokeSessionOfUser(db: Db, companyId: string, userId: string, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .execute();
  return rows.length > 0;
}

export async function touchSession(db: Db, companyId: string, id: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: now }).where('company_id', '=', companyId).where('id', '=', id).execute();
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
