// The export state of approved expenses as src/exports writes them into the books' files:
// not exported, queued in a batch, being written, exported, or failed (taken again later).
// Refunds that came after their expense was exported (expense-refunds.ts) go through the same
// states as vouchers of their own, in the batch of the period of their own day.
import { systemActor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import { recordEvent } from './expense-history.service.js';
import * as refundsRepo from './expense-refunds.repository.js';
import { separatelyRefunded } from './expense-refunds.js';
import * as repo from './expenses.repository.js';

export type { ExpenseRefundRow } from './expense-refunds.repository.js';

/** Approved expenses of the period not yet exported (or whose export failed), locked. */
export async function lockExportable(trx: Db, companyId: string, from: string, to: string, limit: number): Promise<repo.ExpenseRow[]> {
  return repo.lockExportable(trx, companyId, from, to, limit);
}

/** Refunds of the period (by their own day) waiting to be exported as vouchers of their own, locked. */
export async function lockExportableRefunds(trx: Db, companyId: string, from: string, to: string, limit: number): Promise<refundsRepo.ExpenseRefundRow[]> {
  return refundsRepo.lockExportableRefunds(trx, companyId, from, to, limit);
}

export async function markQueued(trx: Db, companyId: string, expenseIds: readonly string[], batchId: string, refundIds: readonly string[] = []): Promise<void> {
  await repo.markQueued(trx, companyId, expenseIds, batchId);
  await refundsRepo.markRefundsQueued(trx, companyId, refundIds, batchId);
}

/** The batch is being written: expenses voided meanwhile leave it, the rest are exporting. */
export async function startWriting(db: Db, companyId: string, batchId: string): Promise<void> {
  await repo.releaseVoided(db, companyId, batchId);
  await repo.markExpensesExporting(db, companyId, batchId);
  await refundsRepo.setBatchRefundState(db, companyId, batchId, ['queued'], 'exporting');
}

/** The batch's refunds (those withdrawn meanwhile go to no file), with the expenses they refund. */
export async function listBatchRefunds(db: Db, companyId: string, batchId: string): Promise<{ refunds: refundsRepo.ExpenseRefundRow[]; expenses: repo.ExpenseRow[] }> {
  const refunds = await refundsRepo.listBatchRefunds(db, companyId, batchId);
  const expenses = await repo.listExpensesByIds(db, companyId, [...new Set(refunds.map((refund) => refund.expense_id))]);
  return { refunds, expenses };
}

/** What of each expense's refunds goes to the books as vouchers of their own. */
export async function separateRefundsOf(db: Db, companyId: string, expenseIds: readonly string[]): Promise<Map<string, bigint>> {
  return separatelyRefunded(db, companyId, expenseIds);
}

/** The batch's expenses that are still approved (one voided meanwhile goes to no file). */
export async function listBatchExpenses(db: Db, companyId: string, batchId: string): Promise<repo.ExpenseRow[]> {
  return repo.listBatchExpenses(db, companyId, batchId);
}

/** What a file needs of the expenses besides their rows: their lines and tags. */
export async function exportDetailsOf(db: Db, companyId: string, expenseIds: readonly string[]) {
  const [lines, tagLinks] = await Promise.all([repo.listLines(db, companyId, expenseIds), repo.listTagIds(db, companyId, expenseIds)]);
  return { lines, tagLinks };
}

/** The file is written: the batch's expenses are exported, each with an event. */
export async function markExported(trx: Db, companyId: string, batch: { id: string; format: string }): Promise<string[]> {
  await refundsRepo.setBatchRefundState(trx, companyId, batch.id, ['queued', 'exporting'], 'exported');
  const exported = await repo.markExpensesExported(trx, companyId, batch.id);
  for (const expenseId of exported) await recordEvent(trx, { company_id: companyId, id: expenseId }, systemActor, 'exported', null, { batchId: batch.id, format: batch.format });
  return exported;
}

/** Writing failed: the batch's expenses wait for a later export. */
export async function markFailed(trx: Db, companyId: string, batchId: string): Promise<void> {
  await repo.markExpensesFailed(trx, companyId, batchId);
  await refundsRepo.setBatchRefundState(trx, companyId, batchId, ['queued', 'exporting'], 'failed');
}
