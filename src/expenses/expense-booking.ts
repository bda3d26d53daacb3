// How an approved expense is booked in the ledger, in the transaction of its approval:
// each line's category account is debited with the line minus its deductible VAT, the input
// VAT account with the deductible VAT, and the total is credited to
// - card_spend for a card purchase (where the card clearing booked it, "to be categorised"),
//   once the purchase has cleared: a pending hold is not booked money yet;
// - the employee's payable account for out-of-pocket, mileage and per diem: the company now
//   owes them that much, until a payout pays it.
// A correction reverses the booking entry and books the expense anew.
import type { Db } from '../db/database.js';
import { cardSpendAccount, categoryAccount, inputVatAccount, payableAccount, type AccountSpec } from '../ledger/chart-of-accounts.js';
import { ensureAccount, postEntry, reverseEntry } from '../ledger/ledger.service.js';
import type { CategoryRow, TaxCodeRow } from './books.repository.js';
import * as repo from './expenses.repository.js';

export interface BookingContext {
  categories: ReadonlyMap<string, CategoryRow>;
  taxCodes: ReadonlyMap<string, TaxCodeRow>;
  personName: string;
  /** For card expenses: whether the purchase has cleared. */
  transactionSettled: boolean;
}

/** What a booking would post, as account specs and signed amounts (debits positive). */
export function bookingLines(expense: repo.ExpenseRow, lines: readonly repo.ExpenseLineRow[], context: BookingContext) {
  const postings: { account: AccountSpec; amount: bigint }[] = [];
  for (const line of lines) {
    const category = line.category_id ? context.categories.get(line.category_id) : undefined;
    if (!category) throw new Error(`expense ${expense.id} line ${line.line} has no category`);
    const taxCode = line.tax_code_id ? context.taxCodes.get(line.tax_code_id) : undefined;
    const expenseAmount = line.amount - line.deductible_vat;
    if (expenseAmount > 0n) postings.push({ account: categoryAccount(category.account_code, category.name), amount: expenseAmount });
    if (line.deductible_vat > 0n) {
      if (!taxCode?.vat_account_code) throw new Error(`expense ${expense.id} line ${line.line} has deductible VAT without a VAT account`);
      postings.push({ account: inputVatAccount(taxCode.vat_account_code), amount: line.deductible_vat });
    }
  }
  const credit = expense.kind === 'card' ? cardSpendAccount : payableAccount(expense.user_id, context.personName);
  if (expense.amount > 0n) postings.push({ account: credit, amount: -expense.amount });
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
    const account = await ensureAccount(trx, { companyId: expense.company_id, currency: expense.currency, ...line.account });
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
