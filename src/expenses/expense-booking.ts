// How an approved expense is booked in the ledger, in the transaction of its approval:
// each line's category account is debited with the line minus its deductible VAT, the input
// VAT account with the deductible VAT, and the total is credited to
// - card_spend for a card purchase (where the card clearing booked it, "to be categorised"),
//   once the purchase has cleared: a pending hold is not booked money yet;
// - the employee's payable account for out-of-pocket, mileage and per diem: the company now
//   owes them that much, until a payout pays it.
// A correction reverses the booking entry and books the expense anew.
import { cardSpendAccountCode } from '../cards/authorization.service.js';
import type { Db } from '../db/database.js';
import { ensureAccount, postEntry, reverseEntry } from '../ledger/ledger.service.js';
import type { CategoryRow, TaxCodeRow } from './books.repository.js';
import * as repo from './expenses.repository.js';

export const categoryAccountCode = (accountCode: string) => `coa:${accountCode}`;
export const vatAccountCode = (accountCode: string) => `vat:${accountCode}`;
export const payableAccountCode = (userId: string) => `payable:${userId}`;

export interface BookingContext {
  categories: ReadonlyMap<string, CategoryRow>;
  taxCodes: ReadonlyMap<string, TaxCodeRow>;
  personName: string;
  /** For card expenses: whether the purchase has cleared. */
  transactionSettled: boolean;
}

/** What a booking would post, as account specs and signed amounts (debits positive). */
export function bookingLines(expense: repo.ExpenseRow, lines: readonly repo.ExpenseLineRow[], context: BookingContext) {
  const postings: { code: string; name: string; type: 'expense' | 'asset' | 'liability'; amount: bigint }[] = [];
  for (const line of lines) {
    const category = line.category_id ? context.categories.get(line.category_id) : undefined;
    if (!category) throw new Error(`expense ${expense.id} line ${line.line} has no category`);
    const taxCode = line.tax_code_id ? context.taxCodes.get(line.tax_code_id) : undefined;
    const expenseAmount = line.amount - line.deductible_vat;
    if (expenseAmount > 0n) postings.push({ code: categoryAccountCode(category.account_code), name: `${category.account_code} ${category.name}`, type: 'expense', amount: expenseAmount });
    if (line.deductible_vat > 0n) {
      if (!taxCode?.vat_account_code) throw new Error(`expense ${expense.id} line ${line.line} has deductible VAT without a VAT account`);
      postings.push({ code: vatAccountCode(taxCode.vat_account_code), name: `${taxCode.vat_account_code} Input VAT`, type: 'asset', amount: line.deductible_vat });
    }
  }
  const credit =
    expense.kind === 'card'
      ? { code: cardSpendAccountCode, name: 'Card spend (to be categorised)', type: 'expense' as const }
      : { code: payableAccountCode(expense.user_id), name: `Owed to ${context.personName}`, type: 'liability' as const };
  if (expense.amount > 0n) postings.push({ ...credit, amount: -expense.amount });
  return postings;
}

/** Whether the expense is ready to be booked: card purchases only once they cleared. */
export function isBookable(expense: repo.ExpenseRow, context: Pick<BookingContext, 'transactionSettled'>): boolean {
  return expense.state === 'approved' && expense.amount > 0n && (expense.kind !== 'card' || context.transactionSettled);
}

/**
 * Brings the ledger in step with the expense: reverses a booking that no longer applies and
 * books the expense as it is now when it is bookable. Returns the booking entry id (or null).
 */
export async function rebookExpense(trx: Db, expense: repo.ExpenseRow, lines: readonly repo.ExpenseLineRow[], context: BookingContext, now: Date): Promise<string | null> {
  const cause = { type: 'expense', id: expense.id };
  if (expense.booking_entry_id) {
    await reverseEntry(trx, { companyId: expense.company_id, entryId: expense.booking_entry_id, kind: 'expense_correction', description: `Correction of expense ${expense.id}`, cause, effectiveAt: now });
  }
  if (!isBookable(expense, context)) return null;
  const postings = [];
  for (const line of bookingLines(expense, lines, context)) {
    const account = await ensureAccount(trx, { companyId: expense.company_id, code: line.code, name: line.name, type: line.type, currency: expense.currency });
    postings.push({ accountId: account.id, amount: line.amount });
  }
  const entry = await postEntry(trx, {
    companyId: expense.company_id,
    kind: expense.kind === 'card' ? 'expense_categorised' : 'expense_owed',
    description: `${expense.merchant ?? expense.kind.replace('_', ' ')}: expense ${expense.id}`,
    cause,
    effectiveAt: now,
    postings,
  });
  return entry.id;
}
