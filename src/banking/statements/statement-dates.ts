// Dates of statement files, checked against the calendar and written as YYYY-MM-DD.
import { StatementValueError } from './statement-parse-error.js';
import type { NoteUnusual } from './statement-warnings.js';

/** SWIFT writes years with two digits. 70-99 are read as 1970-1999 and 00-69 as 2000-2069:
 * MT940 is from the 1970s, so no statement predates 1970, and 2070 is far off. */
const centuryPivot = 70;

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** A day past the end of its month but not past 31 (banks that count every month as 30
 * days write "30 February") is read as the month's last day, and noted. */
function calendarDay(year: number, month: number, day: number, written: string, what: string, note: NoteUnusual | undefined): number | null {
  if (isCalendarDate(year, month, day)) return day;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const last = daysInMonth(year, month);
  note?.('date_not_in_calendar', `${what} "${written}" is day ${day} of a month of ${last} days; read as ${isoDate(year, month, last)}`);
  return last;
}

/** SWIFT 6!n YYMMDD. */
export function parseSwiftDate(text: string, what: string, note?: NoteUnusual): string {
  const match = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (match) {
    const yy = Number(match[1]);
    const year = yy >= centuryPivot ? 1900 + yy : 2000 + yy;
    const month = Number(match[2]);
    const day = calendarDay(year, month, Number(match[3]), text, what, note);
    if (day !== null) return isoDate(year, month, day);
  }
  throw new StatementValueError(`${what} "${text}" is not a date (YYMMDD)`);
}

function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}

/** The MT940 entry (booking) date is MMDD without a year; it lies within days of the value
 * date, so its year is the one of the value date's year, the one before or the one after
 * that puts it closest: value 2013-12-31 with entry 0102 is 2014-01-02, value 2014-01-02
 * with entry 1231 is 2013-12-31. */
export function parseSwiftEntryDate(text: string, valueDate: string, note?: NoteUnusual): string {
  const match = /^(\d{2})(\d{2})$/.exec(text);
  const valueYear = Number(valueDate.slice(0, 4));
  const month = Number(match?.[1]);
  const day = Number(match?.[2]);
  const candidates = match
    ? [valueYear - 1, valueYear, valueYear + 1]
        .filter((year) => isCalendarDate(year, month, day))
        .map((year) => isoDate(year, month, day))
    : [];
  if (candidates.length === 0) {
    // No year has this day (31 April): the last day of the month in the value date's year.
    const fitted = match ? calendarDay(valueYear, month, day, text, 'entry date', note) : null;
    if (fitted === null) throw new StatementValueError(`entry date "${text}" is not a date (MMDD)`);
    return isoDate(valueYear, month, fitted);
  }
  const distance = (date: string) => Math.abs(dayNumber(date) - dayNumber(valueDate));
  return candidates.reduce((best, date) => (distance(date) < distance(best) ? date : best));
}

/** ISO 20022 ISODate ("2014-12-31", xs:date may carry a time zone) or ISODateTime; the date
 * is taken as the bank wrote it, in the bank's time zone, not converted. */
export function parseIsoDate(text: string, what: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2}|T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  if (match && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    return `${match[1]}-${match[2]}-${match[3]}`;
  }
  throw new StatementValueError(`${what} "${text}" is not a date (YYYY-MM-DD or an ISO date-time)`);
}
