// SQL of export batches and the export state of expenses.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { ExportBatchesTable } from '../db/schema.js';
import type { ExpenseRow } from '../expenses/expenses.repository.js';

export type ExportBatchRow = Selectable<ExportBatchesTable>;

/** Approved expenses of the period not yet exported (or whose export failed), locked. */
export async function lockExportable(db: Db, companyId: string, from: string, to: string, limit: number): Promise<ExpenseRow[]> {
  return db
    .selectFrom('expenses')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('state', '=', 'approved')
    .where('export_state', 'in', ['not_exported', 'failed'])
    .where('spent_on', '>=', from)
    .where('spent_on', '<=', to)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .execute();
}

export async function markQueued(db: Db, companyId: string, expenseIds: readonly string[], batchId: string): Promise<void> {
  if (expenseIds.length === 0) return;
  for (let start = 0; start < expenseIds.length; start += 10_000) {
    await db
      .updateTable('expenses')
      .set({ export_state: 'queued', export_batch_id: batchId, updated_at: sql<Date>`now()` })
      .where('company_id', '=', companyId)
      .where('id', 'in', expenseIds.slice(start, start + 10_000))
      .execute();
  }
}

async function setBatchExpenseState(db: Db, companyId: string, batchId: string, from: readonly ExpenseRow['export_state'][], to: ExpenseRow['export_state']): Promise<string[]> {
  const rows = await db
    .updateTable('expenses')
    .set({ export_state: to, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('export_batch_id', '=', batchId)
    .where('export_state', 'in', from)
    .where('state', '=', 'approved')
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export const markExpensesExporting = (db: Db, companyId: string, batchId: string) => setBatchExpenseState(db, companyId, batchId, ['queued'], 'exporting');
export const markExpensesExported = (db: Db, companyId: string, batchId: string) => setBatchExpenseState(db, companyId, batchId, ['queued', 'exporting'], 'exported');
export const markExpensesFailed = (db: Db, companyId: string, batchId: string) => setBatchExpenseState(db, companyId, batchId, ['queued', 'exporting'], 'failed');

/** Expenses voided while their batch was being written leave it without being exported. */
export async function releaseVoided(db: Db, companyId: string, batchId: string): Promise<void> {
  await db
    .updateTable('expenses')
    .set({ export_state: 'not_exported', export_batch_id: null, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('export_batch_id', '=', batchId)
    .where('state', '<>', 'approved')
    .where('export_state', 'in', ['queued', 'exporting'])
    .execute();
}

/** The batch's expenses that are still approved (one voided meanwhile goes to no file). */
export async function listBatchExpenses(db: Db, companyId: string, batchId: string): Promise<ExpenseRow[]> {
  return db.selectFrom('expenses').selectAll().where('company_id', '=', companyId).where('export_batch_id', '=', batchId).where('state', '=', 'approved').orderBy('spent_on').orderBy('id').execute();
}

export async function insertBatch(db: Db, row: Insertable<ExportBatchesTable>): Promise<ExportBatchRow> {
  return db.insertInto('export_batches').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findBatch(db: Db, companyId: string, id: string): Promise<ExportBatchRow | undefined> {
  return db.selectFrom('export_batches').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function findLatestBatch(db: Db, companyId: string): Promise<ExportBatchRow | undefined> {
  return db.selectFrom('export_batches').selectAll().where('company_id', '=', companyId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function updateBatch(db: Db, companyId: string, id: string, patch: Updateable<ExportBatchesTable>): Promise<ExportBatchRow> {
  return db.updateTable('export_batches').set(patch).where('company_id', '=', companyId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function listBatches(db: Db, companyId: string, before: string | undefined, limit: number): Promise<ExportBatchRow[]> {
  let query = db.selectFrom('export_batches').selectAll().where('company_id', '=', companyId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}
