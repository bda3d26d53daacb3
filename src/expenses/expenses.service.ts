// Reading expenses: one, a filtered page, and what presenting them needs (lines, tags and
// receipts). Filing is in expense-filing.service.ts, changing details in
// expense-editing.service.ts, review in expense-review.service.ts, card expenses in
// expense-sync.ts; who sees what in expense-access.ts.
import type { Principal } from '../auth/principal.js';
import { listReceiptStates, listRefundsOf } from '../cards/card-transactions.service.js';
import type { Db } from '../db/database.js';
import { listReceiptChecks, type Mismatch } from '../receipts/expense-receipts.service.js';
import { ownerOf, seesAllExpenses, visibleExpense } from './expense-access.js';
import { refundsOfExpenses, type ExpenseRefundRow } from './expense-refunds.js';
import * as repo from './expenses.repository.js';

export type { ExpenseEventRow, ExpenseLineRow, ExpenseRow } from './expenses.repository.js';

export async function getExpense(db: Db, principal: Principal, id: string): Promise<repo.ExpenseRow> {
  return visibleExpense(principal, await repo.findExpense(db, principal.companyId, id));
}

/** The principal's own expenses, or everyone's (optionally one person's) for expenses:read. */
export async function listExpenses(db: Db, principal: Principal, filter: Omit<repo.ExpenseFilter, 'companyId'>): Promise<repo.ExpenseRow[]> {
  const userId = seesAllExpenses(principal) ? filter.userId : (ownerOf(principal) ?? '-');
  return repo.listExpenses(db, { ...filter, companyId: principal.companyId, userId });
}

export interface ExpenseReceipt {
  state: 'attached' | 'lost' | 'missing' | 'not_required';
  receiptId: string | null;
  /** Where the attached receipt disagrees with the expense, and why it was attached all the same. */
  mismatches: Mismatch[];
  note: string | null;
}

/** What presenting expenses needs besides their rows, by expense id. */
export interface ExpenseDetails {
  lines(id: string): repo.ExpenseLineRow[];
  tags(id: string): string[];
  receipt(id: string): ExpenseReceipt;
  /** A card expense's refunds taken in (expense-refunds.ts), oldest first. */
  refunds(id: string): ExpenseRefundRow[];
  /** Refunds naming a card expense's purchase that were (in part) beyond it: flagged standalone merchant credits. */
  merchantCredits(id: string): MerchantCredit[];
}

export interface MerchantCredit {
  transactionId: string;
  amount: bigint;
  currency: string;
  reason: string | null;
  occurredAt: Date;
}

/** The flagged merchant credits of refunds that name each card expense's purchase. */
async function merchantCreditsOf(db: Db, companyId: string, expenses: readonly repo.ExpenseRow[]): Promise<(id: string) => MerchantCredit[]> {
  const purchases = new Map(expenses.flatMap((expense) => (expense.card_transaction_id ? [[expense.card_transaction_id, expense.id] as const] : [])));
  const refunds = await listRefundsOf(db, companyId, [...purchases.keys()]);
  const credits = refunds.flatMap((refund) => {
    const amount = (refund.settled_amount ?? refund.wallet_amount) - (refund.refunded_amount ?? 0n);
    if (refund.state !== 'settled' || amount <= 0n || !refund.refund_of) return [];
    return [{ expenseId: purchases.get(refund.refund_of), transactionId: refund.id, amount, currency: refund.wallet_currency, reason: refund.merchant_credit_reason, occurredAt: refund.occurred_at }];
  });
  return (id) => credits.filter((credit) => credit.expenseId === id).map(({ expenseId: _expenseId, ...credit }) => credit);
}

/** Each expense's receipt: a card expense's is its purchase's, others carry their own; a
 * voided expense needs none. Each with its check against the expense. */
async function receiptsOf(db: Db, companyId: string, expenses: readonly repo.ExpenseRow[]): Promise<(id: string) => ExpenseReceipt> {
  const transactionIds = expenses.flatMap((expense) => (expense.card_transaction_id ? [expense.card_transaction_id] : []));
  const states = new Map((await listReceiptStates(db, companyId, transactionIds)).map((row) => [row.id, row]));
  const receiptIdOf = (expense: repo.ExpenseRow) => (expense.card_transaction_id ? (states.get(expense.card_transaction_id)?.receipt_id ?? null) : expense.receipt_id);
  const checks = await listReceiptChecks(db, companyId, expenses.flatMap((expense) => receiptIdOf(expense) ?? []));
  const stateOf = (expense: repo.ExpenseRow): ExpenseReceipt['state'] => {
    if (expense.card_transaction_id) return states.get(expense.card_transaction_id)?.receipt_state ?? 'missing';
    if (expense.receipt_id) return 'attached';
    return expense.kind === 'out_of_pocket' && expense.state !== 'voided' ? 'missing' : 'not_required';
  };
  const byExpense = new Map(
    expenses.map((expense): [string, ExpenseReceipt] => {
      const receiptId = receiptIdOf(expense);
      const check = receiptId ? checks.get(receiptId) : undefined;
      return [expense.id, { state: stateOf(expense), receiptId, mismatches: check?.mismatches ?? [], note: check?.note ?? null }];
    }),
  );
  return (id) => byExpense.get(id) ?? { state: 'not_required', receiptId: null, mismatches: [], note: null };
}

/** Lines, tags and receipts of the expenses, for presenting them. */
export async function detailsOf(db: Db, companyId: string, expenses: readonly repo.ExpenseRow[]): Promise<ExpenseDetails> {
  const ids = expenses.map((expense) => expense.id);
  const [lines, tags, receipt, refunds, merchantCredits] = await Promise.all([
    repo.listLines(db, companyId, ids),
    repo.listTagIds(db, companyId, ids),
    receiptsOf(db, companyId, expenses),
    refundsOfExpenses(db, companyId, ids),
    merchantCreditsOf(db, companyId, expenses),
  ]);
  return {
    lines: (id) => lines.filter((line) => line.expense_id === id),
    refunds: (id) => refunds.filter((refund) => refund.expense_id === id),
    merchantCredits,
    tags: (id) => tags.filter((tag) => tag.expense_id === id).map((tag) => tag.tag_id),
    receipt,
  };
}
