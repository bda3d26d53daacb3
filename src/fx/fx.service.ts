// Foreign exchange rates: loading the ECB's reference rates, and finding the rate between two
// currencies on a day, derived through the euro when neither is the euro.
import type { Db } from '../db/database.js';
import { parseCurrency } from '../money/money.js';
import { DomainError } from '../shared/errors.js';
import type { EcbDay } from './ecb-rates.js';
import { checkRate, crossRate, formatRate, inverseRate, isRateInRange } from './exchange-rate.js';
import * as repo from './fx.repository.js';
import { daysBefore, isCalendarDate } from './rate-date.js';

/** Rows per INSERT: the full ECB history (about 200,000 rates) takes some 40 statements. */
export const rowsPerStatementMax = 5_000;
export const sourceCharsMax = 100;
/**
 * The ECB publishes on TARGET working days only; the longest pause (Good Friday to Easter
 * Monday) leaves a purchase on Easter Monday with Thursday's rates, 4 days old. A rate older
 * than this means rates stopped being loaded: the rate counts as missing rather than stale.
 */
export const rateAgeDaysMax = 7;

export interface LoadCounts {
  days: number;
  rates: number;
  /** Rates new to the table. */
  inserted: number;
  /** Rates stored before with another value or source, now replaced. */
  updated: number;
  /** Rates stored before exactly as loaded now. */
  unchanged: number;
}

/** Stores the EUR -> X rates of parsed ECB days, all of them or none (one transaction). */
export async function loadRates(db: Db, days: readonly EcbDay[], source: string): Promise<LoadCounts> {
  if (source.trim().length === 0 || source.length > sourceCharsMax) {
    throw new DomainError('validation_failed', `a rates source is named with 1 to ${sourceCharsMax} characters`, 'source');
  }
  const rows = rowsToStore(days);
  const counts = await db.transaction().execute(async (trx) => {
    let inserted = 0;
    let updated = 0;
    for (let start = 0; start < rows.length; start += rowsPerStatementMax) {
      const batch = await repo.upsertEurRates(trx, rows.slice(start, start + rowsPerStatementMax), source);
      inserted += batch.inserted;
      updated += batch.updated;
    }
    return { inserted, updated };
  });
  return { days: days.length, rates: rows.length, ...counts, unchanged: rows.length - counts.inserted - counts.updated };
}

/** Checks again what the parser checked, since days can be built by other code too, and that
 * no (day, currency) repeats, which one upsert statement could not write twice. */
function rowsToStore(days: readonly EcbDay[]): repo.EurRateToStore[] {
  const rows: repo.EurRateToStore[] = [];
  const seen = new Set<string>();
  for (const day of days) {
    if (!isCalendarDate(day.date)) throw new DomainError('validation_failed', `"${day.date}" is not a date in the form YYYY-MM-DD`);
    for (const { currency, rate } of day.rates) {
      parseCurrency(currency);
      if (currency === 'EUR') throw new DomainError('validation_failed', `a EUR -> EUR rate on ${day.date}`);
      const checked = checkRate(rate);
      if (!checked.ok) throw new DomainError('validation_failed', `the rate of ${currency} on ${day.date}: ${checked.problem}`);
      const key = `${day.date} ${currency}`;
      if (seen.has(key)) throw new DomainError('validation_failed', `two rates of ${currency} on ${day.date}`);
      seen.add(key);
      rows.push({ quote: currency, rate, rateDate: day.date });
    }
  }
  return rows;
}

export interface FxRate {
  from: string;
  to: string;
  /** Units of `to` one unit of `from` buys, an exact decimal with at most 10 decimals. */
  rate: string;
  /** The ECB publication day the rate comes from (the asked day itself for the same currency). */
  rateDate: string;
  derivation: 'same_currency' | 'direct' | 'inverse' | 'cross';
}

export interface FindRateOptions {
  rateAgeDaysMax?: number;
}

/**
 * The rate from -> to for a purchase on `onDate`, from the latest ECB day on or before it
 * (a purchase on a Sunday gets Friday's rates), at most `rateAgeDaysMax` days back. Stored
 * rates are EUR -> X; the others are derived and rounded half up to 10 decimals:
 * X -> EUR = 1 / (EUR -> X), and X -> Y = (EUR -> Y) / (EUR -> X), both legs from one day.
 */
export async function findRate(db: Db, from: string, to: string, onDate: string, options: FindRateOptions = {}): Promise<FxRate> {
  parseCurrency(from, 'from');
  parseCurrency(to, 'to');
  if (!isCalendarDate(onDate)) throw new DomainError('validation_failed', `"${onDate}" is not a date in the form YYYY-MM-DD`, 'onDate');
  const ageDaysMax = options.rateAgeDaysMax ?? rateAgeDaysMax;
  if (!Number.isSafeInteger(ageDaysMax) || ageDaysMax < 0 || ageDaysMax > 366) {
    throw new DomainError('validation_failed', `a rate's age limit is 0 to 366 days, not ${ageDaysMax}`, 'rateAgeDaysMax');
  }
  if (from === to) return { from, to, rate: '1', rateDate: onDate, derivation: 'same_currency' };

  const quotes = [from, to].filter((currency) => currency !== 'EUR');
  const firstDate = daysBefore(onDate, ageDaysMax);
  const day = latestDayWithAll(await repo.listEurRates(db, quotes, firstDate, onDate), quotes);
  if (!day) {
    throw new DomainError(
      'fx_rate_missing',
      `no ${from} -> ${to} rate for ${onDate}: no day from ${firstDate} to ${onDate} has an ECB rate for ${quotes.join(' and ')} loaded`,
    );
  }
  const eurTo = (currency: string) => storedRateUnits(day.rates.get(currency)!, currency, day.date);
  const derivation = from === 'EUR' ? 'direct' : to === 'EUR' ? 'inverse' : 'cross';
  const units = derivation === 'direct' ? eurTo(to) : derivation === 'inverse' ? inverseRate(eurTo(from)) : crossRate(eurTo(from), eurTo(to));
  if (!isRateInRange(units)) {
    throw new DomainError('fx_rate_missing', `the ${from} -> ${to} rate derived from the rates of ${day.date} is outside what Outlay can apply`);
  }
  return { from, to, rate: formatRate(units), rateDate: day.date, derivation };
}

/** The newest day that has a rate for every one of `quotes` (rows come newest first). */
function latestDayWithAll(rows: readonly repo.EurRateRow[], quotes: readonly string[]): { date: string; rates: Map<string, string> } | undefined {
  const byDate = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const rates = byDate.get(row.rate_date) ?? new Map<string, string>();
    rates.set(row.quote, row.rate);
    byDate.set(row.rate_date, rates);
  }
  for (const [date, rates] of byDate) {
    if (quotes.every((quote) => rates.has(quote))) return { date, rates };
  }
  return undefined;
}

function storedRateUnits(rate: string, currency: string, date: string): bigint {
  const checked = checkRate(rate);
  if (!checked.ok) throw new DomainError('fx_rate_missing', `the stored EUR -> ${currency} rate of ${date} is unusable: ${checked.problem}`);
  return checked.units;
}

/** How old the newest stored rate of each currency is at `now`, for the metrics: a rate dated
 * D counts from the start of D (UTC); the alert on it allows for weekends and holidays. */
export async function exchangeRateAges(db: Db, now: Date): Promise<{ currency: string; ageSeconds: number }[]> {
  const latest = await repo.latestEurRateDates(db);
  return latest.map((row) => ({ currency: row.quote, ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(`${row.rate_date}T00:00:00Z`)) / 1000)) }));
}
