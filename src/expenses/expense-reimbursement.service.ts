// What is owed to people for their approved out-of-pocket, mileage and per-diem expenses,
// and the reimbursement state of those expenses as src/payouts gathers them into a batch and
// pays it. Each function runs in the caller's transaction.
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import { recordEvent } from './expense-history.service.js';
import * as repo from './expenses.repository.js';

export type { OwedRow } from './expenses.repository.js';

/** Approved expenses still owed to each person, summed. */
export async function owedByPerson(db: Db, companyId: string): Promise<repo.OwedRow[]> {
  return repo.owedByPerson(db, companyId);
}

/** Locks the owed expenses of the company, so two batches can never take the same one. */
export async function lockOwedExpenses(trx: Db, companyId: string) {
  return repo.lockOwedExpenses(trx, companyId);
}

export async function markInBatch(trx: Db, companyId: string, expenseIds: readonly string[], batchId: string): Promise<void> {
  await repo.markExpensesInBatch(trx, companyId, expenseIds, batchId);
}

/** The batch was paid: its expenses are paid, each with a "paid" event in its history. */
export async function markBatchPaid(trx: Db, companyId: string, batchId: string, actor: Actor): Promise<string[]> {
  const paid = await repo.markBatchExpensesPaid(trx, companyId, batchId);
  for (const expenseId of paid) await recordEvent(trx, { company_id: companyId, id: expenseId }, actor, 'paid', null, { batchId });
  return paid;
}
