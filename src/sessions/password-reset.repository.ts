// All SQL of password reset links.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { PasswordResetsTable } from '../db/schema.js';

export type PasswordResetRow = Selectable<PasswordResetsTable>;

export async function insertReset(db: Db, row: Insertable<PasswordResetsTable>): Promise<PasswordResetRow> {
  return db.insertInto('password_resets').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findReset(db: Db, companyId: string, id: string): Promise<PasswordResetRow | undefined> {
  return db.selectFrom('password_resets').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** Marks the link used unless it was already; whether this call did (of two at once, one does). */
export async function markUsed(db: Db, companyId: string, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Closes the person's other open links: once the password is reset, an older e-mail does nothing. */
export async function closeOpenResetsOf(db: Db, companyId: string, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

/** Deletes up to `limit` links used or expired before `before`; how many went. */
export async function deleteSpentResets(db: Db, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from password_resets
    where (company_id, id) in (
      select company_id, id from password_resets
      where expires_at < ${before} or used_at < ${before}
      limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
