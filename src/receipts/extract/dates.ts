import type { FieldReading } from './field-reading.js';

/** Receipts dated before this year, or after next year, are taken as misreads. */
export const receiptYearMin = 2000;

export interface DateOptions {
  /** Read 03/04/2019 as 3 April (true, most of the world) or March 4 (false, US); 03.04.2019
   * is 3 April either way. */
  dayFirst?: boolean;
  /** Today, to reject dates in the far future; defaults to the system clock. */
  today?: Date;
}

/**
 * English month names, and the German, Danish and Swedish ones that differ (MAI/MAJ, MÄRZ and
 * its short form MRZ, OKT, DEZ); the rest share their first three letters with English.
 */
const months: Record<string, number> = {
  JAN: 1, FEB: 2, MAR: 3, MÄR: 3, MRZ: 3, APR: 4, MAY: 5, MAI: 5, MAJ: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, OKT: 10, NOV: 11, DEC: 12, DEZ: 12,
};
const monthName = '(JAN|FEB|MAR|MÄR|MRZ|APR|MAY|MAI|MAJ|JUN|JUL|AUG|SEP|OCT|OKT|NOV|DEC|DEZ)[A-ZÄ]*\\.?';

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
  // 03/04/2019, 03-04-19, 03.04.2019: the same separator twice. Dots are day first wherever
  // they are printed (the month-first habit is the US's, written with slashes).
  [/(?<![\d.])(\d{1,2})\s?([-/.])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d:]|\.\d)/g, (m, dayFirst) => numeric(Number(m[1]), Number(m[3]), m[4] ?? '', dayFirst || m[2] === '.', 2)],
  // 27:03:2018: OCR reads a slash as a colon; a four-digit year tells it from a time.
  [/(?<![\d.:])(\d{1,2})\s?:\s?(\d{1,2})\s?:\s?(\d{4})(?![\d:])/g, (m, dayFirst) => numeric(Number(m[1]), Number(m[2]), m[3] ?? '', dayFirst, 1)],
  // 0304/2019: the first separator lost by OCR, a common misread; less clear.
  [/(?<![\d.])(\d{2})(\d{2})([-/.])(\d{4})(?!\d)/g, (m, dayFirst) => numeric(Number(m[1]), Number(m[2]), m[4] ?? '', dayFirst || m[3] === '.', 1)],
  // 27032018: all separators lost; least clear, so any other date wins over it.
  [/(?<![\d.])(\d{2})(\d{2})(20\d{2})(?![\d.])/g, (m, dayFirst) => numeric(Number(m[1]), Number(m[2]), m[3] ?? '', dayFirst, 0)],
  // 3 Apr 2019, 03-APR-19, 30. November 2026
  [new RegExp(`(?<!\\d)(\\d{1,2})\\.?\\s*[-/ ]?\\s*${monthName}\\s*[-/ ,]?\\s*(\\d{4}|\\d{2})(?![\\d:])`, 'g'), (m) => valid(fullYear(m[3] ?? ''), monthNumber(m[2]), Number(m[1]), 2)],
  // Apr 3, 2019
  [new RegExp(`\\b${monthName}\\s*(\\d{1,2})(?:ST|ND|RD|TH)?\\s*,?\\s*(\\d{4})(?!\\d)`, 'g'), (m) => valid(Number(m[3]), monthNumber(m[1]), Number(m[2]), 2)],  // 14/4UN/2017: a month name with one letter misread, between two separators and before a
  // four-digit year; less clear, and only where one month alone has the other two letters.
  [/(?<!\d)(\d{1,2})\s?([-/])\s?([A-Z0-9]{3})\s?\2\s?(\d{4})(?!\d)/g, (m) => valid(Number(m[4]), misreadMonthNumber(m[3] ?? ''), Number(m[1]), 1)],
];

/** The month whose three-letter name differs from `name` in exactly one place, when only one does. */
function misreadMonthNumber(name: string): number {
  if (months[name] !== undefined) return 0;
  const near = new Set(Object.entries(months).filter(([month]) => [...month].filter((c, i) => c === name[i]).length === 2).map(([, number]) => number));
  return near.size === 1 ? ([...near][0] ?? 0) : 0;
}

function monthNumber(name: string | undefined): number {
  return months[(name ?? '').slice(0, 3)] ?? 0;
}

function valid(year: number, month: number, day: number, clarity: number): DateMatch | null {
  return isValidDate(year, month, day) ? { year, month, day, ambiguous: false, clarity } : null;
}

export function isoDate(date: DateMatch): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/**
 * Letters that OCR puts for digits inside a date-like token ("1O/O5/2O17", "l2/03/2018"):
 * only in tokens made otherwise of digits and date separators, so words are left alone.
 */
const digitLookalikes: Record<string, string> = { O: '0', Q: '0', D: '0', I: '1', L: '1', '|': '1', '!': '1', S: '5', B: '8', Z: '2' };

function withDigitsRestored(upper: string): string {
  return upper.replace(/[\dOQDILSBZ|!/.-]{6,}/g, (token) => {
    const digits = (token.match(/\d/g) ?? []).length;
    const letters = token.length - digits - (token.match(/[/.-]/g) ?? []).length;
    if (digits < 4 || letters > 2 || !/[/.-]/.test(token)) return token;
    return token.replace(/[OQDILSBZ|!]/g, (c) => digitLookalikes[c] ?? c);
  });
}

/** Every date printed on one line, in the order of the readers above. */
export function findDates(line: string, options: DateOptions = {}): DateMatch[] {
  const upper = withDigitsRestored(line.toUpperCase());
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

/** DATE, and in compounds: "Bestelldatum", "Købsdato", "Order date". */
const dateLabel = /DAT(E|ED|UM|O)\b|\bTARIKH\b|\bDT\b/i;
/** Dates that are not the purchase: expiry, validity, due and delivery dates. */
const otherDateLabel = /\b(EXP(IRY|IRES)?|VALID|UNTIL|DUE|BEST\s*BEFORE|DELIVERY|BIRTH|RETURN\s*BY)\b/i;

export interface DateCandidate {
  value: string;
  score: number;
  /** Line of the first printing, for ties. */
  line: number;
  ambiguous: boolean;
}

/**
 * Every date printed, scored: a DATE label on its line, a clear form (four-digit year, month
 * name) and being printed more than once count for it; an expiry or due label against it.
 * Best first; ties go to the first printed, since receipts print the sale date in the header
 * and later dates are often expiry or return-by dates.
 */
export function dateCandidates(lines: readonly string[], options: DateOptions = {}): DateCandidate[] {
  const byValue = new Map<string, DateCandidate>();
  lines.forEach((line, index) => {
    const label = dateLabel.test(line) ? 2 : otherDateLabel.test(line) ? -2 : 0;
    for (const date of findDates(line, options)) {
      const value = isoDate(date);
      const score = date.clarity + label;
      const seen = byValue.get(value);
      if (!seen) byValue.set(value, { value, score, line: index, ambiguous: date.ambiguous });
      else {
        // Printed again (header and footer): one point more, on the better of the two printings.
        seen.score = Math.max(seen.score, score) + (seen.line === index ? 0 : 1);
        seen.ambiguous &&= date.ambiguous;
      }
    }
  });
  return [...byValue.values()].sort((a, b) => b.score - a.score || a.line - b.line);
}

export const dateConfidenceMax = 0.95;

/** The best candidate, with a confidence from its score; an ambiguous day and month cost some. */
export function pickDate(ranked: readonly DateCandidate[]): FieldReading | null {
  const best = ranked[0];
  if (!best) return null;
  const contested = ranked[1] && ranked[1].score >= best.score ? 0.15 : 0;
  const confidence = Math.min(dateConfidenceMax, 0.3 + best.score * 0.15) - (best.ambiguous ? 0.2 : 0) - contested;
  return { value: best.value, confidence: Math.round(Math.max(0, confidence) * 100) / 100 };
}
