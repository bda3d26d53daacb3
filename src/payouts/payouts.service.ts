// Reimbursements: approved out-of-pocket, mileage and per-diem expenses are owed to their
// people (each person's payable account in the ledger). An admin (payouts:manage) gathers
// what is owed into a batch, downloads it as a SEPA credit transfer order (pain.001) for the
// company's bank, and marks it paid once sent: that books the payment, payable against the
// company's bank account, exactly once. A batch cannot be paid twice, and an expense is in at
// most one batch. Paying a batch is payout-payment.service.ts; its file, payout-file.service.ts.
import { recordAudit } from '../audit/audit.service.js';
import { actorOf, principalId, type Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { getExpenseSettings } from '../expenses/expense-settings.service.js';
import * as reimbursement from '../expenses/expense-reimbursement.service.js';
import { recordEvent } from '../expenses/expense-history.service.js';
import { findPayeeAccounts } from '../expenses/payee-accounts.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { decideExecutionDate } from './execution-date.js';
import * as repo from './payouts.repository.js';

export type { PayoutBatchRow, PayoutItemRow } from './payouts.repository.js';

/** Credit transfers in one batch, at most (one per person). */
const payoutsPerBatchMax = 5_000;

/** What the company owes each person, in the company's currency, and whether the person has a bank account on file. */
export async function listOwed(db: Db, companyId: string) {
  const [owed, company] = await Promise.all([reimbursement.owedByPerson(db, companyId), getCompany(db, companyId)]);
  const accounts = new Map((await findPayeeAccounts(db, companyId, owed.map((row) => row.user_id))).map((row) => [row.user_id, row]));
  return { currency: company.currency, items: owed.map((row) => ({ ...row, hasPayeeAccount: accounts.has(row.user_id) })) };
}

export interface BatchInput {
  /** The day the bank is to pay, YYYY-MM-DD; today by default. */
  executionDate?: string;
}

export interface CreatedBatch {
  batch: repo.PayoutBatchRow;
  items: repo.PayoutItemRow[];
  /** People owed money who have no bank account on file: left for a later batch. */
  skipped: { userId: string; amount: bigint }[];
}

/** What is owed, summed per person, with the expenses it comes from. */
function perPersonOf(owed: readonly { id: string; user_id: string; amount: bigint }[]): Map<string, { amount: bigint; expenseIds: string[] }> {
  const perPerson = new Map<string, { amount: bigint; expenseIds: string[] }>();
  for (const expense of owed) {
    const person = perPerson.get(expense.user_id) ?? { amount: 0n, expenseIds: [] };
    person.amount += expense.amount;
    person.expenseIds.push(expense.id);
    perPerson.set(expense.user_id, person);
  }
  return perPerson;
}

/** Gathers everything owed (to people with a bank account on file) into one batch. */
export async function createPayoutBatch(db: Db, principal: Principal, input: BatchInput, now: Date): Promise<CreatedBatch> {
  const decided = decideExecutionDate(input.executionDate, now.toISOString().slice(0, 10));
  if (!decided.ok) throw new DomainError('validation_failed', 'the execution date is a day, YYYY-MM-DD, today or later', 'executionDate');
  const { executionDate } = decided;
  const created = await db.transaction().execute(async (trx) => {
    const settings = await getExpenseSettings(trx, principal.companyId);
    if (!settings.debtor_iban || !settings.debtor_name) throw new DomainError('validation_failed', 'set the company\'s paying bank account (expense settings, debtor) first', 'debtor');
    const owed = await reimbursement.lockOwedExpenses(trx, principal.companyId);
    const accounts = new Map((await findPayeeAccounts(trx, principal.companyId, [...new Set(owed.map((row) => row.user_id))])).map((row) => [row.user_id, row]));
    const perPerson = perPersonOf(owed);
    const payable = [...perPerson].filter(([userId, person]) => accounts.has(userId) && person.amount > 0n).slice(0, payoutsPerBatchMax);
    const skipped = [...perPerson].filter(([userId]) => !accounts.has(userId)).map(([userId, person]) => ({ userId, amount: person.amount }));
    if (payable.length === 0) throw new DomainError('nothing_to_pay', skipped.length > 0 ? 'what is owed is owed to people without a bank account on file' : 'nothing is owed');
    const company = await getCompany(trx, principal.companyId);
    const id = newId('payoutBatch', now.getTime());
    const batch = await repo.insertBatch(trx, {
      company_id: principal.companyId,
      id,
      state: 'created',
      currency: company.currency,
      total: payable.reduce((sum, [, person]) => sum + person.amount, 0n),
      item_count: payable.length,
      // pain.001 identifiers are at most 35 characters of the SEPA set (no "_"): 33 here.
      message_id: `OUTLAY-${id.slice(id.indexOf('_') + 1)}`,
      execution_date: executionDate,
      created_by: principalId(principal),
    });
    await repo.insertItems(trx, payable.map(([userId, person], index) => {
      const account = accounts.get(userId)!;
      return { company_id: principal.companyId, batch_id: id, user_id: userId, amount: person.amount, holder_name: account.holder_name, iban: account.iban, bic: account.bic, end_to_end_id: `${id.slice(4)}-${index + 1}` };
    }));
    for (const [, person] of payable) {
      await reimbursement.markInBatch(trx, principal.companyId, person.expenseIds, id);
      for (const expenseId of person.expenseIds) await recordEvent(trx, { company_id: principal.companyId, id: expenseId }, actorOf(principal), 'in_payout_batch', null, { batchId: id });
    }
    await recordAudit(trx, { companyId: principal.companyId, ...actorOf(principal), action: 'payout_batch.created', subjectType: 'payout_batch', subjectId: id, details: { currency: batch.currency, total: batch.total.toString(), people: batch.item_count, executionDate } });
    return { batch, skipped };
  });
  return { ...created, items: await repo.listItems(db, principal.companyId, created.batch.id) };
}

/** A batch by its id, or the newest with "latest". */
export async function getBatch(db: Db, companyId: string, id: string): Promise<repo.PayoutBatchRow> {
  const batch = id === 'latest' ? await repo.findLatestBatch(db, companyId) : await repo.findBatch(db, companyId, id);
  if (!batch) throw notFound('payout batch');
  return batch;
}

/** A batch with its credit transfers. */
export async function getBatchWithItems(db: Db, companyId: string, id: string): Promise<{ batch: repo.PayoutBatchRow; items: repo.PayoutItemRow[] }> {
  const batch = await getBatch(db, companyId, id);
  return { batch, items: await repo.listItems(db, companyId, batch.id) };
}

export const listBatches = repo.listBatches;
