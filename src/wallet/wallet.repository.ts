import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { WalletTopUpsTable } from '../db/schema.js';

export type TopUpRow = Selectable<WalletTopUpsTable>;

export async function insertTopUp(db: Db, row: Omit<TopUpRow, 'created_at'>): Promise<TopUpRow> {
  return db.insertInto('wallet_top_ups').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTopUpByReference(db: Db, companyId: string, bankReference: string): Promise<TopUpRow | undefined> {
  return db
    .selectFrom('wallet_top_ups')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('bank_reference', '=', bankReference)
    .executeTakeFirst();
}

export async function listTopUps(db: Db, companyId: string, before: string | undefined, limit: number): Promise<TopUpRow[]> {
  let query = db.selectFrom('wallet_top_ups').selectAll().where('company_id', '=', companyId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}
