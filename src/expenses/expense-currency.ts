// An out-of-pocket expense may be paid in any currency: it keeps what was paid, as paid, and
// is paid back and booked in the company's currency, converted at the ECB reference rate of
// the day it was paid (the last publication day on or before it, src/fx). No markup: the
// person is paid back what it cost them at the reference rate, and a day without a rate is
// refused rather than guessed.
import type { Db } from '../db/database.js';
import { convert } from '../fx/convert.js';
import { findRate } from '../fx/fx.service.js';
import { formatAmount, parseAmount, parseCurrency } from '../money/money.js';
import { DomainError } from '../shared/errors.js';

/** An amount in the company's currency and, when it was paid in another, what was paid. */
export interface ConvertedAmount {
  amount: bigint;
  original_amount: bigint | null;
  original_currency: string | null;
  fx_rate: string | null;
  fx_rate_date: string | null;
}

/** What was paid ("20.00" in USD) in the company's currency on `spentOn`. */
export async function convertedAmount(db: Db, paid: { amount: string; currency: string }, companyCurrency: string, spentOn: string): Promise<ConvertedAmount> {
  const currency = parseCurrency(paid.currency, 'currency');
  const original = parseAmount(paid.amount, currency, { field: 'amount' });
  if (currency === companyCurrency) return { amount: original, original_amount: null, original_currency: null, fx_rate: null, fx_rate_date: null };
  let rate;
  try {
    rate = await findRate(db, currency, companyCurrency, spentOn);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'fx_rate_missing') throw error;
    throw new DomainError('fx_rate_missing', `there is no ${currency} to ${companyCurrency} exchange rate for ${spentOn} to pay it back at (${error.message}): enter the amount in ${companyCurrency}, or ask an admin to load the ECB rates`, 'currency');
  }
  const converted = convert(original, currency, companyCurrency, rate.rate, 0);
  if (converted.amount <= 0n) throw new DomainError('invalid_money', `${currency} ${formatAmount(original, currency)} is less than the smallest amount of ${companyCurrency}`, 'amount');
  return { amount: converted.amount, original_amount: original, original_currency: currency, fx_rate: rate.rate, fx_rate_date: rate.rateDate };
}

/** The amount as paid, and its currency: the original of a converted expense, else its own. */
export function paidOf(expense: { amount: bigint; currency: string; original_amount: bigint | null; original_currency: string | null }): { amount: bigint; currency: string } {
  return expense.original_amount !== null && expense.original_currency !== null ? { amount: expense.original_amount, currency: expense.original_currency } : { amount: expense.amount, currency: expense.currency };
}
