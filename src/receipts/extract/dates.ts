import type { FieldReading } from './field-reading.js';

/** Receipts dated before this year, or after next year, are taken as misreads. */
export const receiptYearMin = 2000;

export interface DateOptions {
  /** Read 03/04/2019 as 3 April (true, most of the world) or March 4 (false, US). */
  dayFirst?: boolean;
  /** Today, to reject dates in the far future; defaults to the system clock. */
  today?: Date;
}

const months: Record<string, number> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, SEPT: 9, OCT: 10, NOV: 11, DEC: 12,
};
const monthName = '(JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*\\.?';

export interface DateMatch {
  year: number;
  month: number;
  day: number;
  /** Numeric dates whose day and month could be swapped. */
  ambiguous: boolean;
  /** How clearly the form reads as a date: 2 for a full year or month name, less for guesses. */
  clarity: number;
}

function fullYear(text: string): number {
  const year = Number(text);
  return text.length === 2 ? 2000 + year : year;
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (year < receiptYearMin || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function numeric(first: number, second: number, yearText: string, dayFirst: boolean, clarity: number): DateMatch | null {
  const year = fullYear(yearText);
  const [day, month] = dayFirst ? [first, second] : [second, first];
  const yearClarity = yearText.length === 4 ? clarity : clarity - 1;
  if (isValidDate(year, month, day)) return { year, month, day, ambiguous: first <= 12 && second <= 12 && first !== second, clarity: yearClarity };
  // The other reading is the only possible one: 12/28/2017 can only be December 28.
  if (isValidDate(year, day, month)) return { year, month: day, day: month, ambiguous: false, clarity: yearClarity };
  return null;
}

type Reader = (m: RegExpExecArray, dayFirst: boolean) => DateMatch | null;

const readers: [RegExp, Reader][] = [
  // 2019-04-03, 2019/04/03
  [/(?<!\d)(\d{4})\s?([-/.])\s?(\d{1,2})\s?\2\s?(\d{1,2})(?!\d)/g, (m) => valid(Number(m[1]), Number(m[3]), Number(m[4]), 2)],
  // 03/04/2019, 03-04-19, 03.04.2019: the same separator twice.
  [/(?<![\d.])(\d{1,2})\s?([-/.])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d:]|\.\d)/g, (m, dayFirst) => numeric(Number(m[1]), Number(m[3]), m[4] ?? '', dayFirst, 2)],
  // 0304/2019: the first separator lost by OCR, a common misread; less clear.
  [/(?<![\d.])(\d{2})(\d{2})([-/.])(\d{4})(?!\d)/g, (m, dayFirst) => numeric(Number(m[1]), Number(m[2]), m[4] ?? '', dayFirst, 1)],
  // 27032018: all separators lost; least clear, so any other date wins over it.
  [/(?<![\d.])(\d{2})(\d{2})(20\d{2})(?![\d.])/g, (m, dayFirst) => numeric(Number(m[1]), Number(m[2]), m[3] ?? '', dayFirst, 0)],
  // 3 Apr 2019, 03-APR-19
  [new RegExp(`(?<!\\d)(\\d{1,2})\\s*[-/ ]?\\s*${monthName}\\s*[-/ ,]?\\s*(\\d{4}|\\d{2})(?![\\d:])`, 'g'), (m) => valid(fullYear(m[3] ?? ''), monthNumber(m[2]), Number(m[1]), 2)],
  // Apr 3, 2019
  [new RegExp(`\\b${monthName}\\s*(\\d{1,2})(?:ST|ND|RD|TH)?\\s*,?\\s*(\\d{4})(?!\\d)`, 'g'), (m) => valid(Number(m[3]), monthNumber(m[1]), Number(m[2]), 2)],
];

function monthNumber(name: string | undefined): number {
  return months[(name ?? '').slice(0, 3)] ?? 0;
}

function valid(year: number, month: number, day: number, clarity: number): DateMatch | null {
  return isValidDate(year, month, day) ? { year, month, day, ambiguous: false, clarity } : null;
}

export function isoDate(date: DateMatch): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Every date printed on one line, in the order of the readers above. */
export function findDates(line: string, options: DateOptions = {}): DateMatch[] {
  const upper = line.toUpperCase();
  const yearMax = (options.today ?? new Date()).getUTCFullYear() + 1;
  const found: DateMatch[] = [];
  for (const [pattern, read] of readers) {
    for (const match of upper.matchAll(pattern)) {
      const date = read(match as RegExpExecArray, options.dayFirst ?? true);
      if (date && date.year <= yearMax) found.push(date);
    }
  }
  return found;
}

const dateLabel = /\bDATE\b|\bDATED\b|\bTARIKH\b|\bDT\b/i;

/**
 * The purchase date: each date printed scores for a DATE label on its line, a clear form
 * (four-digit year, month name) and being printed more than once; the best wins and ties go
 * to the first printed, since receipts print the sale date in the header and later dates are
 * often expiry or return-by dates.
 */
export function findPurchaseDate(lines: readonly string[], options: DateOptions = {}): FieldReading | null {
  const candidates: { value: string; score: number; ambiguous: boolean }[] = [];
  for (const line of lines) {
    const labelled = dateLabel.test(line);
    for (const date of findDates(line, options)) {
      candidates.push({ value: isoDate(date), score: date.clarity + (labelled ? 2 : 0), ambiguous: date.ambiguous });
    }
  }
  for (const candidate of candidates) {
    if (candidates.some((other) => other !== candidate && other.value === candidate.value)) candidate.score += 1;
  }
  const best = candidates.reduce<(typeof candidates)[number] | null>((top, c) => (top === null || c.score > top.score ? c : top), null);
  if (!best) return null;
  const confidence = Math.min(0.95, 0.3 + best.score * 0.15) - (best.ambiguous ? 0.2 : 0);
  return { value: best.value, confidence: Math.round(confidence * 100) / 100 };
}
