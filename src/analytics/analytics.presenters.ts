// The spend overview as JSON (amounts as exact decimal strings with their currency, like the
// rest of the API) and as CSV downloads (one header row, amounts as plain numbers).
import type { CsvColumn } from '../http/csv-download.js';
import { iso } from '../http/schemas.js';
import { formatAmount, toMoneyJson } from '../money/money.js';
import type { HomeOverview, MonthComparison, Series, SeriesRow } from './analytics.service.js';

export function presentSeries(series: Series, name: string) {
  const { currency, filter } = series;
  return {
    series: name,
    currency,
    from: filter.from,
    to: filter.to,
    items: series.rows.map((row) => ({
      key: row.key,
      label: row.label,
      amount: toMoneyJson(row.amount, currency),
      count: row.count,
      original: row.original === null || row.key === null ? null : toMoneyJson(row.original, row.key),
    })),
  };
}

export function seriesCsvColumns(series: Series): CsvColumn<SeriesRow>[] {
  const { currency } = series;
  const columns: CsvColumn<SeriesRow>[] = [
    { header: 'key', cell: (row) => row.key },
    { header: 'name', cell: (row) => row.label },
    { header: 'amount', cell: (row) => formatAmount(row.amount, currency), numeric: true },
    { header: 'currency', cell: () => currency },
    { header: 'count', cell: (row) => String(row.count), numeric: true },
  ];
  if (!series.rows.some((row) => row.original !== null)) return columns;
  return [
    ...columns,
    { header: 'original_amount', cell: (row) => (row.original === null || row.key === null ? null : formatAmount(row.original, row.key)), numeric: true },
    { header: 'original_currency', cell: (row) => row.key },
  ];
}

type ComparedMonth = keyof MonthComparison['months'];
const comparedMonths: readonly ComparedMonth[] = ['thisMonth', 'lastMonth', 'sameMonthLastYear'];
const countOf = (sums: MonthComparison['sums'], month: ComparedMonth) => sums[`${month}Count`];

export function presentComparison(comparison: MonthComparison) {
  const { currency, months, sums } = comparison;
  const one = (month: ComparedMonth) => ({ month: months[month], amount: toMoneyJson(sums[month], currency), count: countOf(sums, month) });
  return { currency, thisMonth: one('thisMonth'), lastMonth: one('lastMonth'), sameMonthLastYear: one('sameMonthLastYear') };
}

export interface ComparisonCsvRow {
  period: ComparedMonth;
  comparison: MonthComparison;
}

export const comparisonCsvRows = (comparison: MonthComparison): ComparisonCsvRow[] => comparedMonths.map((period) => ({ period, comparison }));

export const comparisonCsvColumns: CsvColumn<ComparisonCsvRow>[] = [
  { header: 'period', cell: (row) => row.period },
  { header: 'month', cell: (row) => row.comparison.months[row.period] },
  { header: 'amount', cell: (row) => formatAmount(row.comparison.sums[row.period], row.comparison.currency), numeric: true },
  { header: 'currency', cell: (row) => row.comparison.currency },
  { header: 'count', cell: (row) => String(countOf(row.comparison.sums, row.period)), numeric: true },
];

export function presentHome(home: HomeOverview) {
  const { currency } = home;
  const money = (amount: bigint) => toMoneyJson(amount, currency);
  return {
    currency,
    today: home.today,
    balance: money(home.balance),
    available: money(home.available),
    burn: home.burn.map((rate) => ({ windowDays: rate.windowDays, spent: money(rate.spent), dailyAverage: money(rate.dailyAverage), runwayDays: rate.runwayDays })),
    spentThisMonth: { amount: money(home.spentThisMonth), count: home.spentThisMonthCount },
    pendingReviews: home.pendingReviews,
    missingReceipts: home.missingReceipts,
    lowBalance: { below: home.lowBalance.below === null ? null : money(home.lowBalance.below), alertedAt: home.lowBalance.alertedAt ? iso(home.lowBalance.alertedAt) : null, isLow: home.lowBalance.isLow },
  };
}
