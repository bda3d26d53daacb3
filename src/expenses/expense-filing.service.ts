// Filing an expense a person paid themselves: out of pocket (an amount in any currency,
// converted into the company's at the day's rate, ideally with its receipt), mileage (a distance at the company's rate per kilometre) or a per diem (days at
// the country's daily rate). Card expenses are not filed: they come from card purchases
// (expense-sync.ts).
import { actorOf, type Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { ExpenseKind } from '../db/schema.js';
import { toMoneyJson } from '../money/money.js';
import { attachReceiptToExpense } from '../receipts/expense-receipts.service.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import * as books from './books.repository.js';
import { loadBooks } from './books-lookup.js';
import { checkPeriodOpen } from './closed-periods.service.js';
import { ownerOf } from './expense-access.js';
import { mileageAmount, perDiemAmount } from './expense-amounts.js';
import { convertedAmount } from './expense-currency.js';
import { checkTags, claimOf, composeLines } from './expense-details.js';
import { checkAttendees, checkDate, checkText, kilometresToMeters, merchantLengthMax, noteLengthMax, routeLengthMax } from './expense-fields.js';
import { recordEvent } from './expense-history.service.js';
import { settleExpense } from './expense-settlement.js';
import * as repo from './expenses.repository.js';

export interface NewExpenseInput {
  kind: Exclude<ExpenseKind, 'card'>;
  spentOn: string;
  merchant?: string | null;
  note?: string | null;
  /** Out of pocket: what was paid, a decimal string in `currency`. */
  amount?: string;
  /** Out of pocket: the currency it was paid in; the company's when left out. */
  currency?: string;
  /** Mileage: kilometres as a decimal string, and the route taken. */
  distanceKm?: string;
  route?: string | null;
  /** Per diem: the country and the number of days. */
  country?: string;
  days?: number;
  categoryId?: string | null;
  taxCodeId?: string | null;
  tagIds?: string[];
  attendees?: string[];
  receiptId?: string | null;
  /** Why the receipt belongs to the expense although its reading disagrees with it. */
  receiptNote?: string | null;
}

async function amountOf(trx: Db, companyId: string, currency: string, spentOn: string, input: NewExpenseInput) {
  if (input.currency !== undefined && input.kind !== 'out_of_pocket') throw new DomainError('validation_failed', 'only an out-of-pocket expense is paid in a currency of its own', 'currency');
  switch (input.kind) {
    case 'out_of_pocket':
      if (input.amount === undefined) throw new DomainError('validation_failed', 'an out-of-pocket expense needs its amount', 'amount');
      return convertedAmount(trx, { amount: input.amount, currency: input.currency ?? currency }, currency, spentOn);
    case 'mileage': {
      if (input.distanceKm === undefined) throw new DomainError('validation_failed', 'a mileage expense needs the distance', 'distanceKm');
      const meters = kilometresToMeters(input.distanceKm);
      const settings = await books.ensureSettings(trx, companyId);
      if (settings.mileage_rate <= 0n) throw new DomainError('validation_failed', 'the company has no mileage rate yet: ask a bookkeeper to set one', 'distanceKm');
      return { amount: mileageAmount(meters, settings.mileage_rate), mileage_meters: meters, mileage_rate: settings.mileage_rate };
    }
    case 'per_diem': {
      const country = input.country?.toUpperCase() ?? '';
      const rate = /^[A-Z]{2}$/.test(country) ? await books.findPerDiemRate(trx, companyId, country) : undefined;
      if (!rate) throw new DomainError('validation_failed', `the company has no per diem rate for "${input.country ?? ''}"`, 'country');
      if (input.days === undefined || !Number.isInteger(input.days) || input.days < 1 || input.days > 366) throw new DomainError('validation_failed', 'a per diem covers 1 to 366 days', 'days');
      return { amount: perDiemAmount(input.days, rate.daily_rate), per_diem_country: country, per_diem_days: input.days, per_diem_rate: rate.daily_rate };
    }
  }
}

/** A person files an expense they paid themselves (or drove, or travelled). */
export async function fileExpense(db: Db, principal: Principal, input: NewExpenseInput, now: Date): Promise<repo.ExpenseRow> {
  const userId = ownerOf(principal);
  if (!userId) throw new DomainError('forbidden', 'expenses are filed by people; an API key has none of its own');
  const company = await getCompany(db, principal.companyId);
  const spentOn = checkDate(input.spentOn, 'spentOn', now);
  return db.transaction().execute(async (trx) => {
    await checkPeriodOpen(trx, principal.companyId, spentOn);
    const lookup = await loadBooks(trx, principal.companyId);
    const amounts = await amountOf(trx, principal.companyId, company.currency, spentOn, input);
    const filed = await repo.insertExpense(trx, {
      company_id: principal.companyId,
      id: newId('expense', now.getTime()),
      user_id: userId,
      kind: input.kind,
      state: 'draft',
      card_transaction_id: null,
      spent_on: spentOn,
      merchant: checkText(input.merchant, 'merchant', merchantLengthMax),
      note: checkText(input.note, 'note', noteLengthMax),
      currency: company.currency,
      route: checkText(input.route, 'route', routeLengthMax),
      attendees: checkAttendees(input.attendees) ?? [],
      // Nothing is owed until the expense is approved.
      reimbursement_state: 'none',
      export_state: 'not_exported',
      ...amounts,
    });
    await repo.replaceLines(trx, principal.companyId, filed.id, composeLines(filed.amount, [{ amount: filed.amount, categoryId: input.categoryId ?? null, taxCodeId: input.taxCodeId ?? null, note: null }], lookup));
    const tags = await checkTags(trx, principal.companyId, input.tagIds, []);
    if (tags) await repo.replaceTags(trx, principal.companyId, filed.id, tags);
    let withReceipt = filed;
    if (input.receiptId) {
      await attachReceiptToExpense(trx, principal.companyId, input.receiptId, { id: filed.id, userId, claim: claimOf(filed), note: input.receiptNote }, now);
      withReceipt = await repo.updateExpense(trx, principal.companyId, filed.id, { receipt_id: input.receiptId });
    }
    await recordEvent(trx, withReceipt, actorOf(principal), 'filed', null, {
      kind: input.kind,
      amount: String(withReceipt.amount),
      ...(withReceipt.original_currency ? { original: toMoneyJson(withReceipt.original_amount ?? 0n, withReceipt.original_currency), rate: withReceipt.fx_rate, rateDate: withReceipt.fx_rate_date } : {}),
    });
    return settleExpense(trx, withReceipt, lookup, actorOf(principal), now, { rebook: false });
  });
}
