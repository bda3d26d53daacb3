// The arithmetic of budgets, pure: the calendar period a moment falls in (month, quarter or
// year in the company's time zone), what is left of a budget, and which of its thresholds a
// new figure has reached. The service (budgets.service.ts) reads the figures; the decision
// engine (src/cards/authorize.ts) only sees what is left.
import { localTime, nextDate, startOfLocalDate } from '../companies/company-calendar.js';
import type { BudgetPeriod } from '../db/schema.js';

export const budgetPeriods: readonly BudgetPeriod[] = ['month', 'quarter', 'year'];

/** One period of a budget: its local dates (both included) and the instants [start, end). */
export interface PeriodRange {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** The month, quarter or year that contains `at`, in `timeZone`'s calendar. */
export function periodRange(period: BudgetPeriod, at: Date, timeZone: string): PeriodRange {
  const local = localTime(at, timeZone);
  const firstMonth = period === 'month' ? local.month : period === 'quarter' ? local.month - ((local.month - 1) % 3) : 1;
  const months = period === 'month' ? 1 : period === 'quarter' ? 3 : 12;
  const from = `${local.year}-${pad(firstMonth)}-01`;
  const endMonth = firstMonth + months;
  const next = endMonth > 12 ? `${local.year + 1}-${pad(endMonth - 12)}-01` : `${local.year}-${pad(endMonth)}-01`;
  const to = new Date(Date.parse(`${next}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { from, to, start: startOfLocalDate(from, timeZone), end: startOfLocalDate(nextDate(to), timeZone) };
}

/** A budget's figures in one period, minor units of its currency. */
export interface BudgetFigures {
  amount: bigint;
  /** Cleared card purchases (net of their refunds) and out-of-pocket expenses. */
  spent: bigint;
  /** Card purchases approved and not yet cleared: their holds. */
  pending: bigint;
}

/** What may still be spent; below zero when the budget is overspent (an unenforced one, or
 * clearings above their holds). */
export function remainingOf(figures: BudgetFigures): bigint {
  return figures.amount - figures.spent - figures.pending;
}

/** How much of the amount is used, in whole percent, rounded down (so 100 means all of it). */
export function percentUsed(figures: BudgetFigures): number {
  const used = figures.spent + figures.pending;
  if (used <= 0n) return 0;
  return Number((used * 100n) / figures.amount);
}

/** The thresholds (percent of the amount) that the used figure has reached, lowest first. */
export function thresholdsReached(figures: BudgetFigures, thresholds: readonly number[]): number[] {
  const used = figures.spent + figures.pending;
  return [...new Set(thresholds)].sort((a, b) => a - b).filter((threshold) => used * 100n >= figures.amount * BigInt(threshold));
}
