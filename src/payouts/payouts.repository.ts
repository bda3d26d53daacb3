// SQL of reimbursement payouts: batches and their credit transfers. What is owed is the
// expenses module's (expense-reimbursement.service.ts).
import { type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { PayoutBatchesTable, PayoutItemsTable } from '../db/schema.js';

export type PayoutBatchRow = Selectable<PayoutBatchesTable>;
export type PayoutItemRow = Selectable<PayoutItemsTable>;

export async function insertBatch(db: Db, row: Insertable<PayoutBatchesTable>): Promise<PayoutBatchRow> {
  return db.insertInto('payout_batches').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertItems(db: Db, rows: readonly Insertable<PayoutItemsTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('payout_items').values([...rows]).execute();
}

export async function findBatch(db: Db, companyId: string, id: string): Promise<PayoutBatchRow | undefined> {
  return db.selectFrom('payout_batches').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function lockBatch(db: Db, companyId: string, id: string): Promise<PayoutBatchRow | undefined> {
  return db.selectFrom('payout_batches').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findLatestBatch(db: Db, companyId: string): Promise<PayoutBatchRow | undefined> {
  return db.selectFrom('payout_batches').selectAll().where('company_id', '=', companyId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function updateBatch(db: Db, companyId: string, id: string, patch: Updateable<PayoutBatchesTable>): Promise<PayoutBatchRow> {
  return db.updateTable('payout_batches').set(patch).where('company_id', '=', companyId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function listBatches(db: Db, companyId: string, before: string | undefined, limit: number): Promise<PayoutBatchRow[]> {
  let query = db.selectFrom('payout_batches').selectAll().where('company_id', '=', companyId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

export async function listItems(db: Db, companyId: string, batchId: string): Promise<PayoutItemRow[]> {
  return db.selectFrom('payout_items').selectAll().where('company_id', '=', companyId).where('batch_id', '=', batchId).orderBy('end_to_end_id').execute();
}

/** Batches marked paid and not yet seen leaving the bank account, with their transfers' ids. */
export async function listPaidBatches(db: Db, companyId: string): Promise<{ batchId: string; messageId: string; total: bigint; endToEndIds: string[] }[]> {
  const batches = await db.selectFrom('payout_batches').selectAll().where('company_id', '=', companyId).where('state', '=', 'paid').orderBy('id').limit(500).execute();
  if (batches.length === 0) return [];
  const items = await db.selectFrom('payout_items').select(['batch_id', 'end_to_end_id']).where('company_id', '=', companyId).where('batch_id', 'in', batches.map((batch) => batch.id)).execute();
  return batches.map((batch) => ({ batchId: batch.id, messageId: batch.message_id, total: batch.total, endToEndIds: items.filter((item) => item.batch_id === batch.id).map((item) => item.end_to_end_id) }));
}
