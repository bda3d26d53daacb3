// The export state of approved expenses as src/exports writes them into the books' files:
// not exported, queued in a batch, being written, exported, or failed (taken again later).
import { systemActor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import { recordEvent } from './expense-history.service.js';
import * as repo from './expenses.repository.js';

/** Approved expenses of the period not yet exported (or whose export failed), locked. */
export async function lockExportable(trx: Db, companyId: string, from: string, to: string, limit: number): Promise<repo.ExpenseRow[]> {
  return repo.lockExportable(trx, companyId, from, to, limit);
}

export async function markQueued(trx: Db, companyId: string, expenseIds: readonly string[], batchId: string): Promise<void> {
  await repo.markQueued(trx, companyId, expenseIds, batchId);
}

/** The batch is being written: expenses voided meanwhile leave it, the rest are exporting. */
export async function startWriting(db: Db, companyId: string, batchId: string): Promise<void> {
  await repo.releaseVoided(db, companyId, batchId);
  await repo.markExpensesExporting(db, companyId, batchId);
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
  const exported = await repo.markExpensesExported(trx, companyId, batch.id);
  for (const expenseId of exported) await recordEvent(trx, { company_id: companyId, id: expenseId }, systemActor, 'exported', null, { batchId: batch.id, format: batch.format });
  return exported;
}

/** Writing failed: the batch's expenses wait for a later export. */
export async function markFailed(trx: Db, companyId: string, batchId: string): Promise<void> {
  await repo.markExpensesFailed(trx, companyId, batchId);
}
