// Reading expenses: one, a filtered page, and what presenting them needs (lines, tags and
// receipts). Filing is in expense-filing.service.ts, changing details in
// expense-editing.service.ts, review in expense-review.service.ts, card expenses in
// expense-sync.ts; who sees what in expense-access.ts.
import type { Principal } from '../auth/principal.js';
import { listReceiptStates } from '../cards/card-transactions.service.js';
import type { Db } from '../db/database.js';
import { ownerOf, seesAllExpenses, visibleExpense } from './expense-access.js';
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
}

/** What presenting expenses needs besides their rows, by expense id. */
export interface ExpenseDetails {
  lines(id: string): repo.ExpenseLineRow[];
  tags(id: string): string[];
  receipt(id: string): ExpenseReceipt;
}

/** Each expense's receipt: a card expense's is its purchase's, others carry their own. */
async function receiptsOf(db: Db, companyId: string, expenses: readonly repo.ExpenseRow[]): Promise<(id: string) => ExpenseReceipt> {
  const transactionIds = expenses.flatMap((expense) => (expense.card_transaction_id ? [expense.card_transaction_id] : []));
  const states = new Map((await listReceiptStates(db, companyId, transactionIds)).map((row) => [row.id, row]));
  const byExpense = new Map(
    expenses.map((expense): [string, ExpenseReceipt] => {
      if (expense.card_transaction_id) {
        const state = states.get(expense.card_transaction_id);
        return [expense.id, { state: state?.receipt_state ?? 'missing', receiptId: state?.receipt_id ?? null }];
      }
      if (expense.receipt_id) return [expense.id, { state: 'attached', receiptId: expense.receipt_id }];
      return [expense.id, { state: expense.kind === 'out_of_pocket' ? 'missing' : 'not_required', receiptId: null }];
    }),
  );
  return (id) => byExpense.get(id) ?? { state: 'not_required', receiptId: null };
}

/** Lines, tags and receipts of the expenses, for presenting them. */
export async function detailsOf(db: Db, companyId: string, expenses: readonly repo.ExpenseRow[]): Promise<ExpenseDetails> {
  const ids = expenses.map((expense) => expense.id);
  const [lines, tags, receipt] = await Promise.all([repo.listLines(db, companyId, ids), repo.listTagIds(db, companyId, ids), receiptsOf(db, companyId, expenses)]);
  return {
    lines: (id) => lines.filter((line) => line.expense_id === id),
    tags: (id) => tags.filter((tag) => tag.expense_id === id).map((tag) => tag.tag_id),
    receipt,
  };
}
