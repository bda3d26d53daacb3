// The filters every chart of the spend overview shares, checked once: a period of the
// company's calendar dates (by default the twelve months up to today), and optionally one
// team, category, tag, person or card. Ids are not looked up: every query is scoped to the
// caller's company, so another company's id (or one that never existed) finds nothing.
import { DomainError } from '../shared/errors.js';

/** The longest period one request sums over, in days: three years and a leap day. */
export const overviewPeriodDaysMax = 3 * 365 + 1;
/** Rows of one series, at most (the largest first); also the most a CSV download holds. */
export const seriesItemsMax = 1000;

export interface OverviewFilterInput {
  from?: string | undefined;
  to?: string | undefined;
  teamId?: string | undefined;
  categoryId?: string | undefined;
  tagId?: string | undefined;
  userId?: string | undefined;
  cardId?: string | undefined;
}

export interface OverviewFilter {
  /** YYYY-MM-DD, both included. */
  from: string;
  to: string;
  teamId: string | null;
  categoryId: string | null;
  tagId: string | null;
  userId: string | null;
  cardId: string | null;
}

const dayMs = 24 * 60 * 60 * 1000;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date (no 2026-02-30), as days since 1970, or null. */
function dayNumber(text: string): number | null {
  const match = datePattern.exec(text);
  if (!match) return null;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(time).toISOString().slice(0, 10) === text ? time / dayMs : null;
}

/** The first day of the month `months` before the month of `date` (YYYY-MM-DD). */
export function monthStart(date: string, monthsBack = 0): string {
  const first = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1 - monthsBack, 1));
  return first.toISOString().slice(0, 10);
}

/** The last day of the month of `date`. */
export function monthEnd(date: string): string {
  const last = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0));
  return last.toISOString().slice(0, 10);
}

/** Every month (YYYY-MM) from the month of `from` to the month of `to`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = monthStart(from); month <= to; month = monthStart(monthEnd(month), -1)) months.push(month.slice(0, 7));
  return months;
}

/** Checks the filters against `today` (the company's date); a bad one is validation_failed naming its field. */
export function readOverviewFilter(input: OverviewFilterInput, today: string): OverviewFilter {
  const to = input.to ?? today;
  const toDay = dayNumber(to);
  if (toDay === null) throw new DomainError('validation_failed', `to must be a calendar date (YYYY-MM-DD), not ${JSON.stringify(to)}`, 'to');
  const from = input.from ?? monthStart(to, 11);
  const fromDay = dayNumber(from);
  if (fromDay === null) throw new DomainError('validation_failed', `from must be a calendar date (YYYY-MM-DD), not ${JSON.stringify(from)}`, 'from');
  if (fromDay > toDay) throw new DomainError('validation_failed', `the period runs backwards: from ${from} is after to ${to}`, 'from');
  if (toDay - fromDay + 1 > overviewPeriodDaysMax) throw new DomainError('validation_failed', `the period is longer than ${overviewPeriodDaysMax} days; narrow it`, 'from');
  return {
    from,
    to,
    teamId: input.teamId ?? null,
    categoryId: input.categoryId ?? null,
    tagId: input.tagId ?? null,
    userId: input.userId ?? null,
    cardId: input.cardId ?? null,
  };
}

/** A month (YYYY-MM) to compare, by default the month of `today`; its first day. */
export function readComparedMonth(month: string | undefined, today: string): string {
  if (month === undefined) return monthStart(today);
  if (!/^\d{4}-\d{2}$/.test(month) || dayNumber(`${month}-01`) === null) throw new DomainError('validation_failed', `month must be YYYY-MM, not ${JSON.stringify(month)}`, 'month');
  return `${month}-01`;
}

/** The `limit` query parameter: how many of the largest items, 1 to seriesItemsMax. */
export function readSeriesLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const limit = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= seriesItemsMax)) throw new DomainError('validation_failed', `limit must be a whole number from 1 to ${seriesItemsMax}`, 'limit');
  return limit;
}
