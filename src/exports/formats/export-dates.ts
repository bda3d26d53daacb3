// Calendar dates of the export model (YYYY-MM-DD) as the formats write them, and the fiscal
// year a date falls in. Dates are plain calendar days: no time zone is involved.

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  const match = isoDatePattern.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** "2024-01-05" -> "20240105" (SIE, DATEV header). */
export function compactDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export interface FiscalYear {
  start: string;
  end: string;
}

/** The fiscal year that contains the date, for a year starting on the 1st of startMonth
 * (1-12): with startMonth 7, 2024-03-10 lies in 2023-07-01..2024-06-30. */
export function fiscalYearContaining(isoDate: string, startMonth: number): FiscalYear {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const startYear = month >= startMonth ? year : year - 1;
  const start = new Date(Date.UTC(startYear, startMonth - 1, 1));
  // Day 0 of a month is the last day of the month before it.
  const end = new Date(Date.UTC(startYear + 1, startMonth - 1, 0));
  return { start: isoDay(start), end: isoDay(end) };
}

/** The fiscal year before the given one. */
export function previousFiscalYear(year: FiscalYear, startMonth: number): FiscalYear {
  const dayBefore = new Date(Date.UTC(Number(year.start.slice(0, 4)), Number(year.start.slice(5, 7)) - 1, 0));
  return fiscalYearContaining(isoDay(dayBefore), startMonth);
}
