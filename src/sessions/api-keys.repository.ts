// All SQL of API keys.
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { ApiKeysTable } from '../db/schema.js';

export type ApiKeyRow = Selectable<ApiKeysTable>;

export async function countLiveKeys(db: Db, companyId: string): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('company_id', '=', companyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertKey(db: Db, row: Insertable<ApiKeysTable>): Promise<ApiKeyRow> {
  return db.insertInto('api_keys').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listKeys(db: Db, companyId: string, before: string | undefined, limit: number): Promise<ApiKeyRow[]> {
  let query = db.selectFrom('api_keys').selectAll().where('company_id', '=', companyId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

export async function findKey(db: Db, companyId: string, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function lockKey(db: Db, companyId: string, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function revokeKey(db: Db, companyId: string, id: string, now: Date): Promise<ApiKeyRow> {
  return db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Suspends the live keys the person made; the ids suspended. */
export async function suspendKeysMadeBy(db: Db, companyId: string, userId: string, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('api_keys')
    .set({ suspended_at: now })
    .where('company_id', '=', companyId)
    .where('created_by', '=', userId)
    .where('revoked_at', 'is', null)
    .where('suspended_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function touchKey(db: Db, companyId: string, id: string, now: Date): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('company_id', '=', companyId).where('id', '=', id).execute();
}

export async function listKeyNames(db: Db, companyId: string, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('api_keys').select(['id', 'name']).where('company_id', '=', companyId).where('id', 'in', [...new Set(ids)]).execute();
}
