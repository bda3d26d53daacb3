// Card purchases become expenses, and stay in step with their transaction. Each change to a
// card transaction clears card_transactions.expense_synced; once the change commits, the
// process that made it brings that transaction's expense in step (syncTransaction, started
// beside the answer by src/server/listeners.ts), and a slow sweep (syncCardExpenses, once a
// minute across processes) takes whatever a process that died in between left. Both are safe
// to run twice at once. For each transaction, under its lock:
// - creates the expense of a new purchase, dated by its local day, for the amount held;
// - follows the amount as the purchase clears (a tip, an exchange-rate move) and is refunded
//   (expense-refunds.ts: cleared less refunds), and books the categorisation once it has
//   cleared, if the expense was approved before;
// - voids the expense of a purchase reversed or expired before it was approved, and undoes
//   the booking of one approved already;
// - works the policy flags out again (a receipt arrived or was declared lost).
// Lock order: card transaction, then expense, then ledger accounts — as clearing does.
import { systemActor } from '../auth/actor.js';
import { listUnsyncedForExpenses, lockTransactions, markExpensesSynced, type CardTransactionRow } from '../cards/card-transactions.service.js';
import { getCompany, type CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { localDateOf } from '../companies/company-calendar.js';
import { newId } from '../shared/ids.js';
import { loadBooks, type BooksLookup } from './books-lookup.js';
import { composeLines } from './expense-details.js';
import { recordEvent, recordEvents } from './expense-history.service.js';
import { followRefunds, type RefundsFollowed } from './expense-refunds.js';
import { settleExpense, settleFlagsOfCardExpenses } from './expense-settlement.js';
import * as repo from './expenses.repository.js';

const noRefunds: RefundsFollowed = { refunded: 0n, refundedBefore: 0n, exportedRefundWithdrawn: false };

/** Transactions brought in step per run; the rest waits for the next. */
export const expenseSyncBatchMax = 500;

/** Purchases and forced bookings have an expense; refunds, ATM withdrawals and declines do not. */
const hasExpense = (transaction: CardTransactionRow) => (transaction.kind === 'purchase' || transaction.kind === 'force_post') && transaction.state !== 'declined';
const isLive = (transaction: CardTransactionRow) => transaction.state === 'pending' || transaction.state === 'settled';
const bookedAmount = (transaction: CardTransactionRow) => transaction.settled_amount ?? transaction.wallet_amount;

/** The expenses of new purchases, as made, with one insert each for the expenses, their lines
 * and their history; followTransaction then takes in any refund made before them, and their
 * flags are worked out with the batch's (settleFlagsOfCardExpenses). */
async function createExpenses(trx: Db, transactions: readonly CardTransactionRow[], company: CompanyRow, lookup: BooksLookup, now: Date): Promise<repo.ExpenseRow[]> {
  if (transactions.length === 0) return [];
  const expenses = await repo.insertExpenses(
    trx,
    transactions.map((transaction) => ({
      company_id: company.id,
      id: newId('expense', now.getTime()),
      user_id: transaction.user_id,
      kind: 'card' as const,
      state: 'draft' as const,
      card_transaction_id: transaction.id,
      spent_on: localDateOf(transaction.occurred_at, company.time_zone),
      merchant: transaction.merchant_name,
      amount: bookedAmount(transaction),
      currency: transaction.wallet_currency,
      reimbursement_state: 'none' as const,
      export_state: 'not_exported' as const,
    })),
  );
  const lines = expenses.flatMap((expense) =>
    composeLines(expense.amount, [{ amount: expense.amount, categoryId: null, taxCodeId: null, note: null }], lookup).map((line) => ({ ...line, company_id: company.id, expense_id: expense.id })),
  );
  await repo.insertLinesOfMany(trx, lines);
  await recordEvents(trx, expenses.map((expense) => ({ expense, action: 'created_from_card', details: { transactionId: expense.card_transaction_id } })), systemActor);
  return expenses;
}

async function voidExpense(trx: Db, expense: repo.ExpenseRow, transaction: CardTransactionRow, lookup: BooksLookup, now: Date): Promise<void> {
  if (expense.state === 'voided') return;
  const voided = await repo.updateExpense(trx, expense.company_id, expense.id, { state: 'voided', decided_at: now });
  await recordEvent(trx, voided, systemActor, 'voided', null, { transactionState: transaction.state, wasApproved: expense.state === 'approved', wasExported: expense.export_state === 'exported' });
  await settleExpense(trx, voided, lookup, systemActor, now, { rebook: expense.booking_entry_id !== null });
}

/** The expense's lines follow a new amount: a single line takes it, a split keeps its lines and puts the difference on the first. */
async function followAmount(trx: Db, expense: repo.ExpenseRow, amount: bigint, lookup: BooksLookup): Promise<void> {
  const lines = await repo.listLines(trx, expense.company_id, [expense.id]);
  const difference = amount - expense.amount;
  const adjusted = lines.map((line, index) => ({ amount: index === 0 ? line.amount + difference : line.amount, categoryId: line.category_id, taxCodeId: line.tax_code_id, note: line.note }));
  // A clearing (or refund) below the split's other lines undoes the split: one line, the first's category.
  const fits = adjusted.length > 0 && adjusted[0]!.amount >= 0n;
  const first = lines[0];
  const next = fits ? adjusted : [{ amount, categoryId: first?.category_id ?? null, taxCodeId: first?.tax_code_id ?? null, note: first?.note ?? null }];
  await repo.replaceLines(trx, expense.company_id, expense.id, composeLines(amount, next, lookup, lines));
  if (!fits) await recordEvent(trx, expense, systemActor, 'split_reset', null, { reason: 'the purchase cleared or was refunded below the split', lines: lines.length });
}

/** Follows the transaction's changes; returns the expense when what is left is working out its
 * flags again (the caller does that for many at once), or null when it was settled here. */
async function followTransaction(trx: Db, expense: repo.ExpenseRow, transaction: CardTransactionRow, company: CompanyRow, lookup: BooksLookup, now: Date): Promise<repo.ExpenseRow | null> {
  if (!isLive(transaction)) {
    await voidExpense(trx, expense, transaction, lookup, now);
    return null;
  }
  // Refunds are tied only to a cleared purchase (src/cards/refund-allocation.ts), and a purchase
  // never goes back to pending: one still pending has none, and its expense never had any.
  const refunds = transaction.state === 'pending' ? noRefunds : await followRefunds(trx, expense, transaction.id, company.time_zone);
  const cleared = bookedAmount(transaction);
  const amount = cleared > refunds.refunded ? cleared - refunds.refunded : 0n;
  let current = expense;
  if (amount !== expense.amount && expense.state !== 'voided') {
    await followAmount(trx, expense, amount, lookup);
    // A new clearing amount changes the figure the books have: the expense goes to them again.
    // A refund does not: it goes to them as a voucher of its own (expense-refunds.ts).
    const booksChanged = cleared !== expense.amount + refunds.refundedBefore || refunds.exportedRefundWithdrawn;
    current = await repo.updateExpense(trx, expense.company_id, expense.id, {
      amount,
      ...(booksChanged && expense.export_state === 'exported' ? { export_state: 'not_exported' as const, export_batch_id: null } : {}),
    });
    await recordEvent(trx, current, systemActor, 'amount_changed', null, { from: String(expense.amount), to: String(amount), transactionState: transaction.state, refunded: String(refunds.refunded) });
  }
  const clearedSinceApproval = current.booking_entry_id === null && transaction.state === 'settled' && current.amount > 0n;
  const rebook = current.state === 'approved' && (clearedSinceApproval || amount !== expense.amount);
  if (!rebook) return current;
  await settleExpense(trx, current, lookup, systemActor, now, { rebook });
  return null;
}

/** Brings one card transaction's expense in step. */
export async function syncTransaction(db: Db, companyId: string, transactionId: string, now: Date): Promise<void> {
  await syncTransactions(db, companyId, [transactionId], now);
}

/**
 * Brings the expenses of many card transactions of one company in step, in one database
 * transaction: one statement locks the transactions and one their expenses, the company and
 * its books are read once, and one statement marks them all in step. A failure undoes the
 * whole batch; callers then go one by one (syncEach), so one bad transaction holds up no other.
 */
export async function syncTransactions(db: Db, companyId: string, transactionIds: readonly string[], now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const changed = (await lockTransactions(trx, companyId, transactionIds)).filter((transaction) => !transaction.expense_synced && hasExpense(transaction));
    if (changed.length === 0) return;
    const expenses = new Map((await repo.lockExpensesOfTransactions(trx, companyId, changed.map((transaction) => transaction.id))).map((expense) => [expense.card_transaction_id, expense]));
    const toFollow = changed.filter((transaction) => expenses.has(transaction.id) || isLive(transaction));
    if (toFollow.length > 0) {
      const [company, lookup] = await Promise.all([getCompany(trx, companyId), loadBooks(trx, companyId)]);
      for (const made of await createExpenses(trx, toFollow.filter((transaction) => !expenses.has(transaction.id)), company, lookup, now)) expenses.set(made.card_transaction_id, made);
      const toSettle: repo.ExpenseRow[] = [];
      for (const transaction of toFollow) {
        // A purchase refunded before its expense was made: the new expense takes the refunds in at once.
        const followed = await followTransaction(trx, expenses.get(transaction.id)!, transaction, company, lookup, now);
        if (followed) toSettle.push(followed);
      }
      // Their flags worked out after every amount has moved, all at once.
      await settleFlagsOfCardExpenses(trx, companyId, toSettle, lookup);
    }
    await markExpensesSynced(trx, companyId, changed.map((transaction) => transaction.id));
  });
}

/** Syncs the batch together, or, when that fails, each transaction on its own; returns how
 * many were brought in step and reports each one that could not be. */
async function syncEach(db: Db, companyId: string, transactionIds: readonly string[], now: Date, onError: (error: unknown, transaction: { companyId: string; id: string }) => void): Promise<number> {
  if (transactionIds.length > 1) {
    try {
      await syncTransactions(db, companyId, transactionIds, now);
      return transactionIds.length;
    } catch {
      // One of them (or a lock conflict) failed the batch: each on its own below.
    }
  }
  let synced = 0;
  for (const id of transactionIds) {
    try {
      await syncTransactions(db, companyId, [id], now);
      synced += 1;
    } catch (error) {
      onError(error, { companyId, id });
    }
  }
  return synced;
}

/** Transactions of one company synced in one database transaction. */
export const expenseSyncGroupMax = 100;

/** Syncs the changed transactions, a company's at a time in groups of expenseSyncGroupMax;
 * returns how many were brought in step. */
export async function syncChanged(db: Db, changed: readonly { companyId: string; id: string }[], now: Date, onError: (error: unknown, transaction: { companyId: string; id: string }) => void): Promise<number> {
  const byCompany = new Map<string, string[]>();
  for (const { companyId, id } of changed) byCompany.set(companyId, [...(byCompany.get(companyId) ?? []), id]);
  let synced = 0;
  for (const [companyId, ids] of byCompany) {
    for (let start = 0; start < ids.length; start += expenseSyncGroupMax) synced += await syncEach(db, companyId, ids.slice(start, start + expenseSyncGroupMax), now, onError);
  }
  return synced;
}

/**
 * Brings every changed card transaction's expense in step. One that cannot be (a fault to
 * look into) is reported and left for the next run; it never holds up the others.
 */
export async function syncCardExpenses(db: Db, now: Date, onError: (error: unknown, transaction: { companyId: string; id: string }) => void = () => undefined): Promise<number> {
  const changed = await listUnsyncedForExpenses(db, expenseSyncBatchMax);
  return syncChanged(db, changed.map((row) => ({ companyId: row.company_id, id: row.id })), now, onError);
}
