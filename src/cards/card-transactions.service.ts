// Card transactions as the rest of Outlay reads them: people see their own (or everyone's
// with transactions:read), expenses follow them, receipts mark them changed. The
// authorization engine and network messages write them (authorization.service.ts,
// network-events.service.ts).
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { notFound } from '../shared/errors.js';
import * as repo from './card-transactions.repository.js';

export type { CardTransactionRow, CardTransactionWithReceipt, ReceiptState } from './card-transactions.repository.js';
export { changingCardTransactions, onCardTransactionsChanged, type CardTransactionChange } from './card-transaction-changes.js';

/** Without transactions:read, a person sees their own transactions only. */
function ownOnly(principal: Principal): string | undefined {
  if (principal.permissions.has('transactions:read')) return undefined;
  return principal.kind === 'user' ? principal.userId : '-';
}

/** A transaction with its receipt's state and, for a purchase, the refunds that name it. */
export interface CardTransactionView extends repo.CardTransactionWithReceipt {
  refunds: repo.CardTransactionRow[];
}

/** The rows with, for each purchase, the refunds that name it (for lists and single reads). */
export async function withRefunds<Row extends repo.CardTransactionWithReceipt>(db: Db, companyId: string, rows: Row[]): Promise<(Row & { refunds: repo.CardTransactionRow[] })[]> {
  const purchases = rows.filter((row) => row.kind !== 'refund').map((row) => row.id);
  const refunds = purchases.length === 0 ? [] : await repo.listRefundsOf(db, companyId, purchases);
  return rows.map((row) => ({ ...row, refunds: refunds.filter((refund) => refund.refund_of === row.id) }));
}

export async function getTransaction(db: Db, principal: Principal, id: string): Promise<CardTransactionView> {
  const row = await repo.findTransactionWithReceipt(db, principal.companyId, id);
  const own = ownOnly(principal);
  if (!row || (own !== undefined && row.user_id !== own)) throw notFound('card transaction');
  return (await withRefunds(db, principal.companyId, [row]))[0]!;
}

/** The refunds that name each of the purchases (reversed ones too), oldest first: how a
 * purchase's expense follows its refunds. */
export async function listRefundsOf(db: Db, companyId: string, purchaseIds: readonly string[]): Promise<repo.CardTransactionRow[]> {
  return repo.listRefundsOf(db, companyId, purchaseIds);
}

/** The transaction as stored, for another module acting in the company (no access check). */
export async function findTransaction(db: Db, companyId: string, id: string): Promise<repo.CardTransactionRow | undefined> {
  return repo.findTransaction(db, companyId, id);
}

/** The receipt state of each of the transactions. */
export async function listReceiptStates(db: Db, companyId: string, ids: readonly string[]) {
  return repo.listReceiptStates(db, companyId, ids);
}

/** The transactions with their receipt states, in no particular order. */
export async function listTransactionsWithReceipts(db: Db, companyId: string, ids: readonly string[]) {
  return repo.listWithReceipts(db, companyId, ids);
}

/** Purchases held or booked since `since`, newest first, at most `limit` (subscription detection). */
export async function listChargesSince(db: Db, companyId: string, since: Date, limit: number) {
  return repo.listChargesSince(db, companyId, since, limit);
}

// --- Expenses follow their purchases (src/expenses/expense-sync.ts) -------------------------

/** Purchases changed since their expense was last brought in step, at most `limit`. */
export async function listUnsyncedForExpenses(db: Db, limit: number) {
  return repo.listUnsyncedForExpenses(db, limit);
}

/** Locks the transaction for the rest of the caller's transaction (lock order: transaction,
 * then expense, then ledger accounts, as clearing takes them). */
export async function lockTransaction(trx: Db, companyId: string, id: string): Promise<repo.CardTransactionRow | undefined> {
  return repo.lockTransaction(trx, companyId, id);
}

/** Locks the transactions for the rest of the caller's transaction, in id order (lock order:
 * transactions, then expenses, then ledger accounts, as clearing takes them). */
export async function lockTransactions(trx: Db, companyId: string, ids: readonly string[]): Promise<repo.CardTransactionRow[]> {
  return repo.lockTransactions(trx, companyId, ids);
}

/** The expenses agree with the transactions as they are now (the caller holds their locks). */
export async function markExpensesSynced(trx: Db, companyId: string, ids: readonly string[]): Promise<void> {
  await repo.markExpensesSynced(trx, companyId, ids);
}

/** Something the expense depends on changed (its receipt): bring it in step again. */
export async function markExpenseUnsynced(db: Db, companyId: string, id: string): Promise<void> {
  await repo.markExpensesUnsyncedOf(db, [{ companyId, id }]);
}
