// Reimbursements: approved out-of-pocket, mileage and per-diem expenses are owed to their
// people (each person's payable account in the ledger). An admin (payouts:manage) gathers
// what is owed into a batch, downloads it as a SEPA credit transfer order (pain.001) for the
// company's bank, and marks it paid once sent: that books the payment, payable against the
// company's bank account, exactly once. A batch cannot be paid twice, and an expense is in at
// most one batch.
import { actorOf, principalId, type Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { getExpenseSettings } from '../expenses/expense-settings.service.js';
import * as reimbursement from '../expenses/expense-reimbursement.service.js';
import { recordEvent } from '../expenses/expense-history.service.js';
import { findPayeeAccounts } from '../expenses/payee-accounts.service.js';
import { companyBankAccount, payableAccount } from '../ledger/chart-of-accounts.js';
import { ensureAccount, postEntry } from '../ledger/ledger.service.js';
import { getPerson } from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { CreditTransferOrder } from '../exports/export-model.js';
import { writePain001 } from './pain001.js';
import * as repo from './payouts.repository.js';

export type { PayoutBatchRow, PayoutItemRow } from './payouts.repository.js';

/** Credit transfers in one batch, at most (one per person). */
export const payoutsPerBatchMax = 5_000;

export async function listOwed(db: Db, companyId: string) {
  const owed = await reimbursement.owedByPerson(db, companyId);
  const accounts = new Map((await findPayeeAccounts(db, companyId, owed.map((row) => row.user_id))).map((row) => [row.user_id, row]));
  return owed.map((row) => ({ ...row, hasPayeeAccount: accounts.has(row.user_id) }));
}

export interface BatchInput {
  /** The day the bank is to pay, YYYY-MM-DD; today by default. */
  executionDate?: string;
}

export interface CreatedBatch {
  batch: repo.PayoutBatchRow;
  /** People owed money who have no bank account on file: left for a later batch. */
  skipped: { userId: string; amount: bigint }[];
}

/** Gathers everything owed (to people with a bank account on file) into one batch. */
export async function createPayoutBatch(db: Db, principal: Principal, input: BatchInput, now = new Date()): Promise<CreatedBatch> {
  const executionDate = input.executionDate ?? now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(executionDate) || Number.isNaN(Date.parse(executionDate)) || executionDate < now.toISOString().slice(0, 10)) {
    throw new DomainError('validation_failed', 'the execution date is a day, YYYY-MM-DD, today or later', 'executionDate');
  }
  return db.transaction().execute(async (trx) => {
    const settings = await getExpenseSettings(trx, principal.companyId);
    if (!settings.debtor_iban || !settings.debtor_name) throw new DomainError('validation_failed', 'set the company\'s paying bank account (expense settings, debtor) first', 'debtor');
    const owed = await reimbursement.lockOwedExpenses(trx, principal.companyId);
    const accounts = new Map((await findPayeeAccounts(trx, principal.companyId, [...new Set(owed.map((row) => row.user_id))])).map((row) => [row.user_id, row]));
    const perPerson = new Map<string, { amount: bigint; expenseIds: string[] }>();
    for (const expense of owed) {
      const person = perPerson.get(expense.user_id) ?? { amount: 0n, expenseIds: [] };
      person.amount += expense.amount;
      person.expenseIds.push(expense.id);
      perPerson.set(expense.user_id, person);
    }
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
    return { batch, skipped };
  });
}

/** Paid batches whose transfers the company's bank statements may still show leaving. */
export async function listPaidBatches(trx: Db, companyId: string) {
  return repo.listPaidBatches(trx, companyId);
}

/** The bank statement shows the batch's transfers left the account. */
export async function markBatchExecuted(trx: Db, companyId: string, batchId: string, now: Date): Promise<repo.PayoutBatchRow> {
  return repo.updateBatch(trx, companyId, batchId, { state: 'executed', executed_at: now });
}

export async function getBatch(db: Db, companyId: string, id: string): Promise<repo.PayoutBatchRow> {
  const batch = id === 'latest' ? await repo.findLatestBatch(db, companyId) : await repo.findBatch(db, companyId, id);
  if (!batch) throw notFound('payout batch');
  return batch;
}

export const listBatches = repo.listBatches;
export const listItems = repo.listItems;

/** The batch as the SEPA credit transfer order the company's bank takes (pain.001.001.03). */
export async function pain001Of(db: Db, companyId: string, id: string, now = new Date()): Promise<{ batch: repo.PayoutBatchRow; xml: Buffer }> {
  const batch = await getBatch(db, companyId, id);
  const [items, settings] = await Promise.all([repo.listItems(db, companyId, batch.id), getExpenseSettings(db, companyId)]);
  if (!settings.debtor_iban || !settings.debtor_name) throw new DomainError('validation_failed', 'the company\'s paying bank account is not set', 'debtor');
  const order: CreditTransferOrder = {
    messageId: batch.message_id,
    createdAt: now,
    executionDate: batch.execution_date,
    currency: batch.currency,
    debtor: { name: settings.debtor_name, iban: settings.debtor_iban, bic: settings.debtor_bic },
    transfers: items.map((item) => ({
      endToEndId: item.end_to_end_id,
      amount: item.amount,
      creditor: { name: item.holder_name, iban: item.iban, bic: item.bic },
      remittance: `Expense reimbursement ${batch.execution_date}`,
    })),
  };
  return { batch, xml: writePain001(order) };
}

/** Books the batch as paid: each person's payable against the company's bank account. */
export async function markBatchPaid(db: Db, principal: Principal, id: string, now = new Date()): Promise<repo.PayoutBatchRow> {
  return db.transaction().execute(async (trx) => {
    const batch = await repo.lockBatch(trx, principal.companyId, id);
    if (!batch) throw notFound('payout batch');
    if (batch.state !== 'created') throw new DomainError('payout_already_paid', `the batch was marked paid on ${batch.paid_at?.toISOString().slice(0, 10) ?? 'an earlier day'}`);
    const items = await repo.listItems(trx, principal.companyId, batch.id);
    const bank = await ensureAccount(trx, { companyId: principal.companyId, currency: batch.currency, ...companyBankAccount });
    const postings = [];
    for (const item of items) {
      const person = await getPerson(trx, principal.companyId, item.user_id);
      const payable = await ensureAccount(trx, { companyId: principal.companyId, currency: batch.currency, ...payableAccount(item.user_id, person.name) });
      postings.push({ accountId: payable.id, amount: item.amount });
    }
    postings.push({ accountId: bank.id, amount: -batch.total });
    const entry = await postEntry(trx, {
      companyId: principal.companyId,
      kind: 'reimbursement_paid',
      description: `Reimbursements paid: batch ${batch.id}`,
      cause: { type: 'payout_batch', id: batch.id },
      effectiveAt: now,
      postings,
      // The company's bank account lives outside Outlay: it may go below zero here.
      allowOverdraft: true,
    });
    const paid = await repo.updateBatch(trx, principal.companyId, batch.id, { state: 'paid', paid_by: principalId(principal), paid_at: now, entry_id: entry.id });
    await reimbursement.markBatchPaid(trx, principal.companyId, batch.id, actorOf(principal));
    return paid;
  });
}
