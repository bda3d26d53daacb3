// The spend overview's use cases: each reads the company's currency and calendar, checks the
// shared filters and asks the repository for one series. Read-only; no transaction needed.
import type { Principal } from '../auth/principal.js';
import { localDateOf, localDateRange } from '../companies/company-calendar.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { getLowBalanceAlert } from '../banking/low-balance-alerts.service.js';
import { getWallet } from '../wallet/wallet.service.js';
import * as repo from './analytics.repository.js';
import { burnRate, daysBefore, type BurnRate } from './runway.js';
import { monthEnd, monthsBetween, monthStart, readComparedMonth, readOverviewFilter, seriesItemsMax, type OverviewFilter, type OverviewFilterInput } from './overview-filter.js';

export type { SeriesRow, SpendDimension } from './analytics.repository.js';

export interface Series {
  currency: string;
  filter: OverviewFilter;
  rows: repo.SeriesRow[];
}

async function companyToday(db: Db, principal: Principal, now: Date) {
  const company = await getCompany(db, principal.companyId);
  return { currency: company.currency, timeZone: company.time_zone, today: localDateOf(now, company.time_zone) };
}

const limitOf = (limit: number | undefined) => Math.min(limit ?? seriesItemsMax, seriesItemsMax);

/** Every month of the period, those without spend at zero, so a chart's axis has no gaps. */
function everyMonth(rows: repo.SeriesRow[], filter: OverviewFilter): repo.SeriesRow[] {
  const found = new Map(rows.map((row) => [row.key, row]));
  return monthsBetween(filter.from, filter.to).map((month) => found.get(month) ?? { key: month, label: null, amount: 0n, count: 0, original: null });
}

export async function spendBy(db: Db, principal: Principal, by: repo.SpendDimension, input: OverviewFilterInput & { limit?: number }, now: Date): Promise<Series> {
  const { currency, today } = await companyToday(db, principal, now);
  const filter = readOverviewFilter(input, today);
  const rows = await repo.spendSeries(db, principal.companyId, filter, by, limitOf(input.limit));
  return { currency, filter, rows: by === 'month' ? everyMonth(rows, filter) : rows };
}

export interface MonthComparison {
  currency: string;
  /** YYYY-MM of each month compared. */
  months: { thisMonth: string; lastMonth: string; sameMonthLastYear: string };
  sums: repo.ComparisonRow;
}

export async function compareMonths(db: Db, principal: Principal, input: OverviewFilterInput & { month?: string }, now: Date): Promise<MonthComparison> {
  const { currency, today } = await companyToday(db, principal, now);
  const first = readComparedMonth(input.month, today);
  const month = (start: string): [string, string] => [start, monthEnd(start)];
  const months = { thisMonth: month(first), lastMonth: month(monthStart(first, 1)), sameMonthLastYear: month(monthStart(first, 12)) };
  // The other filters are checked as always; the period is the three months'.
  const filter = readOverviewFilter({ ...input, from: months.sameMonthLastYear[0], to: months.thisMonth[1] }, today);
  const sums = await repo.compareMonths(db, principal.companyId, filter, months);
  const yearMonth = (range: [string, string]) => range[0].slice(0, 7);
  return { currency, months: { thisMonth: yearMonth(months.thisMonth), lastMonth: yearMonth(months.lastMonth), sameMonthLastYear: yearMonth(months.sameMonthLastYear) }, sums };
}

export async function missingReceipts(db: Db, principal: Principal, input: OverviewFilterInput & { limit?: number }, now: Date): Promise<Series> {
  const { currency, today } = await companyToday(db, principal, now);
  const filter = readOverviewFilter(input, today);
  return { currency, filter, rows: await repo.missingReceiptsByPerson(db, principal.companyId, filter, limitOf(input.limit)) };
}

export async function declines(db: Db, principal: Principal, input: Omit<OverviewFilterInput, 'categoryId' | 'tagId'> & { limit?: number }, now: Date): Promise<Series> {
  const { currency, timeZone, today } = await companyToday(db, principal, now);
  const filter = readOverviewFilter(input, today);
  const period = localDateRange(filter.from, filter.to, timeZone);
  return { currency, filter, rows: await repo.declinesByReason(db, principal.companyId, filter, period, limitOf(input.limit)) };
}

/** The trailing windows the burn rate is averaged over, in days. */
export const burnWindowsDays = [30, 90] as const;

export interface HomeOverview {
  currency: string;
  today: string;
  balance: bigint;
  available: bigint;
  /** One per burn window, shortest first. */
  burn: BurnRate[];
  spentThisMonth: bigint;
  spentThisMonthCount: number;
  pendingReviews: number;
  missingReceipts: number;
  lowBalance: { below: bigint | null; alertedAt: Date | null; isLow: boolean };
}

/** The admin's home: the wallet, its runway at each window's burn rate, this month's spend and
 * what waits. A wallet is low when its available balance is under the alert's threshold now,
 * whether or not the sweep has told the admins yet. */
export async function homeOverview(db: Db, principal: Principal, now: Date): Promise<HomeOverview> {
  const { currency, today } = await companyToday(db, principal, now);
  const [wallet, alert, sums] = await Promise.all([
    getWallet(db, principal.companyId),
    getLowBalanceAlert(db, principal.companyId),
    repo.homeSums(db, principal.companyId, { today, monthStart: monthStart(today), last30From: daysBefore(today, burnWindowsDays[0] - 1), last90From: daysBefore(today, burnWindowsDays[1] - 1) }),
  ]);
  return {
    currency,
    today,
    balance: wallet.balance,
    available: wallet.available,
    burn: [burnRate(wallet.available, sums.spentLast30Days, burnWindowsDays[0]), burnRate(wallet.available, sums.spentLast90Days, burnWindowsDays[1])],
    spentThisMonth: sums.spentThisMonth,
    spentThisMonthCount: sums.spentThisMonthCount,
    pendingReviews: sums.pendingReviews,
    missingReceipts: sums.missingReceipts,
    lowBalance: { below: alert.below, alertedAt: alert.alertedAt, isLow: alert.below !== null && wallet.available < alert.below },
  };
}
