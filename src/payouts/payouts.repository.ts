// SQL of reimbursement payouts: what is owed, batches and their credit transfers.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { PayoutBatchesTable, PayoutItemsTable } from '../db/schema.js';

export type PayoutBatchRow = Selectable<PayoutBatchesTable>;
export type PayoutItemRow = Selectable<PayoutItemsTable>;

export interface OwedRow {
  user_id: string;
  amount: bigint;
  expense_count: number;
}

/** Approved expenses still owed to each person, summed. */
export async function owedByPerson(db: Db, companyId: string): Promise<OwedRow[]> {
  const rows = await sql<{ user_id: string; amount: string; expense_count: string }>`
    select user_id, sum(amount) as amount, count(*) as expense_count
    from expenses
    where company_id = ${companyId} and state = 'approved' and reimbursement_state = 'owed'
    group by user_id
    order by user_id`.execute(db);
  return rows.rows.map((row) => ({ user_id: row.user_id, amount: BigInt(row.amount), expense_count: Number(row.expense_count) }));
}

/** Locks the owed expenses of the company, so two batches can never take the same one. */
export async function lockOwedExpenses(db: Db, companyId: string) {
  return db
    .selectFrom('expenses')
    .select(['id', 'user_id', 'amount', 'currency'])
    .where('company_id', '=', companyId)
    .where('state', '=', 'approved')
    .where('reimbursement_state', '=', 'owed')
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function markExpensesInBatch(db: Db, companyId: string, expenseIds: readonly string[], batchId: string): Promise<void> {
  if (expenseIds.length === 0) return;
  await db
    .updateTable('expenses')
    .set({ reimbursement_state: 'in_batch', payout_batch_id: batchId, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', 'in', expenseIds)
    .execute();
}

export async function markBatchExpensesPaid(db: Db, companyId: string, batchId: string): Promise<string[]> {
  const rows = await db
    .updateTable('expenses')
    .set({ reimbursement_state: 'paid', updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('payout_batch_id', '=', batchId)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

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
