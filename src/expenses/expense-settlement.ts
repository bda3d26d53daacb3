// What an expense needs after any change of its substance, in the transaction of the change:
// its policy flags worked out again and, when asked, its booking in the ledger brought in
// step (filing, editing, review and the card sync all end here).
import type { Actor } from '../auth/actor.js';
import { findTransaction } from '../cards/card-transactions.service.js';
import type { Db } from '../db/database.js';
import { getPerson } from '../people/people.service.js';
import * as books from './books.repository.js';
import type { BooksLookup } from './books-lookup.js';
import { rebookExpense } from './expense-booking.js';
import { bookingContextOf, flagsOf, flagsOfCardExpenses } from './expense-details.js';
import { recordEvent } from './expense-history.service.js';
import * as repo from './expenses.repository.js';

/**
 * Recomputes the flags of many card expenses of one company and stores those that changed,
 * in a few statements for all; for changes that need no booking (settleExpense with rebook
 * false, for each).
 */
export async function settleFlagsOfCardExpenses(trx: Db, companyId: string, expenses: readonly repo.ExpenseRow[], lookup: BooksLookup): Promise<void> {
  if (expenses.length === 0) return;
  const settings = await books.ensureSettings(trx, companyId);
  const flags = await flagsOfCardExpenses(trx, companyId, expenses, lookup, settings.review_threshold);
  const changed = new Map(expenses.filter((expense) => !sameFlags(expense.flags, flags.get(expense.id)!)).map((expense) => [expense.id, flags.get(expense.id)!]));
  await repo.updateFlagsOfMany(trx, companyId, changed);
}

const sameFlags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((flag) => b.includes(flag));

/**
 * Recomputes the flags, stores them, and books the expense anew when its booking changed.
 * Called in the transaction of every change of an expense's substance.
 */
export async function settleExpense(trx: Db, expense: repo.ExpenseRow, lookup: BooksLookup, actor: Actor, now: Date, options: { rebook: boolean }): Promise<repo.ExpenseRow> {
  const [lines, person, settings] = await Promise.all([
    repo.listLines(trx, expense.company_id, [expense.id]),
    getPerson(trx, expense.company_id, expense.user_id),
    books.ensureSettings(trx, expense.company_id),
  ]);
  const flags = await flagsOf(trx, expense, lines, lookup, person.team_id, settings.review_threshold);
  let updated = await repo.updateExpense(trx, expense.company_id, expense.id, { flags });
  if (options.rebook) {
    const transaction = updated.card_transaction_id ? await findTransaction(trx, updated.company_id, updated.card_transaction_id) : undefined;
    const bookingEntryId = await rebookExpense(trx, updated, lines, bookingContextOf(lookup, person.name, transaction?.state === 'settled'), now);
    if (bookingEntryId !== updated.booking_entry_id) {
      updated = await repo.updateExpense(trx, expense.company_id, expense.id, { booking_entry_id: bookingEntryId });
      await recordEvent(trx, updated, actor, bookingEntryId ? 'booked' : 'unbooked', null, { entryId: bookingEntryId });
    }
  }
  return updated;
}
