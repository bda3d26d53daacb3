import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { WalletCorrectionsTable, WalletTopUpsTable } from '../db/schema.js';

export type TopUpRow = Selectable<WalletTopUpsTable>;
export type CorrectionRow = Selectable<WalletCorrectionsTable>;

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

export async function insertCorrection(db: Db, row: CorrectionRow): Promise<CorrectionRow> {
  return db.insertInto('wallet_corrections').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Locks the correction until the transaction ends: two approvals of one take turns. */
export async function lockCorrection(db: Db, companyId: string, id: string): Promise<CorrectionRow | undefined> {
  return db.selectFrom('wallet_corrections').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function markCorrectionApproved(db: Db, companyId: string, id: string, approval: { approved_by: string; approved_at: Date; entry_id: string }): Promise<CorrectionRow> {
  return db
    .updateTable('wallet_corrections')
    .set({ ...approval, state: 'approved' })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('state', '=', 'proposed')
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Every company's corrections, for the platform's operators: newest first, optionally one state. */
export async function listCorrections(db: Db, state: CorrectionRow['state'] | undefined, before: string | undefined, limit: number): Promise<CorrectionRow[]> {
  let query = db.selectFrom('wallet_corrections').selectAll();
  if (state) query = query.where('state', '=', state);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

export async function findCorrection(db: Db, id: string): Promise<CorrectionRow | undefined> {
  return db.selectFrom('wallet_corrections').selectAll().where('id', '=', id).executeTakeFirst();
}
