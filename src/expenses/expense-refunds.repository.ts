// SQL of card expenses' refunds (expense_refunds, migration 0008): which refunds of its
// purchase an expense has taken in, and how each stands with the books.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { ExpenseRefundExportState, ExpenseRefundsTable } from '../db/schema.js';

export type ExpenseRefundRow = Selectable<ExpenseRefundsTable>;

export async function listExpenseRefunds(db: Db, companyId: string, expenseIds: readonly string[]): Promise<ExpenseRefundRow[]> {
  if (expenseIds.length === 0) return [];
  return db.selectFrom('expense_refunds').selectAll().where('company_id', '=', companyId).where('expense_id', 'in', expenseIds).orderBy('refunded_on').orderBy('transaction_id').execute();
}

export async function insertExpenseRefund(db: Db, row: Insertable<ExpenseRefundsTable>): Promise<void> {
  await db.insertInto('expense_refunds').values(row).execute();
}

export async function deleteExpenseRefund(db: Db, companyId: string, transactionId: string): Promise<void> {
  await db.deleteFrom('expense_refunds').where('company_id', '=', companyId).where('transaction_id', '=', transactionId).execute();
}

/** Refunds of the period that came after their expense was exported and wait for an export of
 * their own (or whose export failed), locked; only of expenses still approved. */
export async function lockExportableRefunds(db: Db, companyId: string, from: string, to: string, limit: number): Promise<ExpenseRefundRow[]> {
  return db
    .selectFrom('expense_refunds as r')
    .selectAll('r')
    .where('r.company_id', '=', companyId)
    .where('r.export_state', 'in', ['not_exported', 'failed'])
    .where('r.refunded_on', '>=', from)
    .where('r.refunded_on', '<=', to)
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('expenses as e').select('e.id').whereRef('e.company_id', '=', 'r.company_id').whereRef('e.id', '=', 'r.expense_id').where('e.state', '=', 'approved')),
    )
    .orderBy('r.refunded_on')
    .orderBy('r.transaction_id')
    .limit(limit)
    .forUpdate()
    .execute();
}

export async function markRefundsQueued(db: Db, companyId: string, transactionIds: readonly string[], batchId: string): Promise<void> {
  if (transactionIds.length === 0) return;
  await db.updateTable('expense_refunds').set({ export_state: 'queued', export_batch_id: batchId }).where('company_id', '=', companyId).where('transaction_id', 'in', transactionIds).execute();
}

export async function setBatchRefundState(db: Db, companyId: string, batchId: string, from: readonly ExpenseRefundExportState[], to: ExpenseRefundExportState): Promise<string[]> {
  const rows = await db
    .updateTable('expense_refunds')
    .set({ export_state: to })
    .where('company_id', '=', companyId)
    .where('export_batch_id', '=', batchId)
    .where('export_state', 'in', from)
    .returning('transaction_id')
    .execute();
  return rows.map((row) => row.transaction_id);
}

export async function listBatchRefunds(db: Db, companyId: string, batchId: string): Promise<ExpenseRefundRow[]> {
  return db
    .selectFrom('expense_refunds')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('export_batch_id', '=', batchId)
    .where('export_state', 'in', ['queued', 'exporting', 'exported'])
    .orderBy('refunded_on')
    .orderBy('transaction_id')
    .execute();
}

/** What of each expense's refunds the books get as vouchers of their own (not netted). */
export async function separatelyRefunded(db: Db, companyId: string, expenseIds: readonly string[]): Promise<Map<string, bigint>> {
  if (expenseIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('expense_refunds')
    .select(['expense_id', sql<bigint>`sum(amount)::bigint`.as('amount')])
    .where('company_id', '=', companyId)
    .where('expense_id', 'in', expenseIds)
    .where('export_state', '<>', 'netted')
    .groupBy('expense_id')
    .execute();
  return new Map(rows.map((row) => [row.expense_id, row.amount]));
}
