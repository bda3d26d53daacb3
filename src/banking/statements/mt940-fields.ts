// The values of the MT940/MT942 fields that carry money, read by their SWIFT layout
// (SWIFT MT940/MT942 field specifications; the German DFÜ-Abkommen uses the same layout).
// Each reader throws a StatementValueError that names the part of the field; the caller adds
// the tag, the line and the statement.
import { parseSwiftAmount, type ExactAmount } from './statement-amount.js';
import { parseSwiftDate, parseSwiftEntryDate } from './statement-dates.js';
import { StatementValueError } from './statement-parse-error.js';
import type { NoteUnusual } from './statement-warnings.js';

export interface Mt940Balance {
  debit: boolean;
  date: string;
  currency: string;
  /** Unsigned, as written; `written` keeps the text for messages. */
  amount: ExactAmount;
  written: string;
}

const currencyPattern = /^[A-Z]{3}$/;

function currencyCode(text: string): string {
  if (!currencyPattern.test(text)) throw new StatementValueError(`currency "${text}" is not an ISO 4217 code`);
  return text;
}

/** :60F:, :60M:, :62F:, :62M:, :64:, :65: — 1!a6!n3!a15d: D/C mark, YYMMDD, currency, amount. */
export function parseBalance(value: string, note?: NoteUnusual): Mt940Balance {
  const mark = value.slice(0, 1);
  if (mark !== 'C' && mark !== 'D') throw new StatementValueError(`debit/credit mark "${mark}" is not C or D`);
  const date = parseSwiftDate(value.slice(1, 7), 'date', note);
  const currency = currencyCode(value.slice(7, 10));
  const written = value.slice(10);
  return { debit: mark === 'D', date, currency, amount: parseSwiftAmount(written, note), written };
}

/** C credit, D debit, RC reversal of a credit (a debit), RD reversal of a debit (a credit). */
export type Mt940Mark = 'C' | 'D' | 'RC' | 'RD';

export interface Mt940StatementLine {
  valueDate: string;
  entryDate: string | null;
  mark: Mt940Mark;
  /** Unsigned; `mark` gives the direction. */
  amount: ExactAmount;
  written: string;
  /** 1!a3!c: N (non-SWIFT), S (SWIFT) or F (first advice), then a code such as TRF; null
   * when the bank left it out. */
  typeCode: string | null;
  customerReference: string | null;
  bankReference: string | null;
  /** Subfield 9, the 34x line below the first. */
  supplementaryDetails: string | null;
}

const markPattern = /^(RC|RD|C|D)/;
/** Subfield 5, the funds code: the third letter of the currency code, before the amount. */
const fundsCodePattern = /^[A-Z](?=\d)/;
const typeCodePattern = /[NSF][A-Z0-9]{3}/;
/** Without a type code, the amount is the leading digits and commas; what follows must be
 * plainly not part of it: nothing, a blank, "//" or a type letter cut short ("S   X"). */
const untypedAmountPattern = /^([\d,.]+)(?=$|\s|\/|[NSF](?![A-Za-z0-9]))/;

function nonEmpty(text: string | undefined): string | null {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** :61: — 6!n[4!n]2a[1!a]15d1!a3!c16x[//16x] and [34x] on the next line. */
export function parseStatementLine(lines: readonly string[], note?: NoteUnusual): Mt940StatementLine {
  const value = lines[0]!;
  const valueDate = parseSwiftDate(value.slice(0, 6), 'value date', note);
  let rest = value.slice(6);
  let entryDate: string | null = null;
  if (/^\d{4}/.test(rest)) {
    entryDate = parseSwiftEntryDate(rest.slice(0, 4), valueDate, note);
    rest = rest.slice(4);
  }
  const mark = markPattern.exec(rest)?.[1] as Mt940Mark | undefined;
  if (!mark) throw new StatementValueError(`debit/credit mark "${rest.slice(0, 2)}" is not C, D, RC or RD`);
  rest = rest.slice(mark.length).replace(fundsCodePattern, '');
  const type = typeCodePattern.exec(rest);
  const untyped = type ? null : untypedAmountPattern.exec(rest);
  if (!type && !untyped) throw new StatementValueError(`no transaction type (N, S or F and three characters, e.g. NTRF) after the amount in "${value}"`);
  const written = type ? rest.slice(0, type.index) : untyped![1]!;
  const amount = parseSwiftAmount(written, note);
  if (amount.units === 0n) note?.('zero_amount', `the entry's amount is zero ("${written}")`);
  if (!type) note?.('transaction_type_missing', `no transaction type (N, S or F and three characters, e.g. NTRF) after the amount "${written}"`);
  const references = type ? rest.slice(type.index + type[0].length) : rest.slice(written.length);
  const split = references.indexOf('//');
  return {
    valueDate,
    entryDate,
    mark,
    amount,
    written,
    typeCode: type ? type[0] : null,
    customerReference: nonEmpty(split < 0 ? references : references.slice(0, split)),
    bankReference: split < 0 ? null : nonEmpty(references.slice(split + 2)),
    supplementaryDetails: nonEmpty(lines.slice(1).join(' ')),
  };
}

export interface Mt942FloorLimit {
  currency: string;
  debit: boolean | null;
  amount: ExactAmount;
  written: string;
}

/** :34F: — 3!a[1!a]15d: currency, optional D/C mark, amount. */
export function parseFloorLimit(value: string, note?: NoteUnusual): Mt942FloorLimit {
  const currency = currencyCode(value.slice(0, 3));
  const mark = /^[CD]/.exec(value.slice(3))?.[0];
  const written = value.slice(mark ? 4 : 3);
  return { currency, debit: mark === undefined ? null : mark === 'D', amount: parseSwiftAmount(written, note), written };
}

export interface Mt942EntryTotal {
  count: number;
  currency: string;
  amount: ExactAmount;
  written: string;
}

/** :90D:, :90C: — 5n3!a15d: number of entries, currency, sum. */
export function parseEntryTotal(value: string, note?: NoteUnusual): Mt942EntryTotal {
  const match = /^(\d{1,5})([A-Z]{3})(.*)$/.exec(value);
  if (!match) throw new StatementValueError(`"${value}" is not a number of entries, a currency and an amount`);
  return { count: Number(match[1]), currency: match[2]!, amount: parseSwiftAmount(match[3]!, note), written: match[3]! };
}

/** :13D: — 6!n4!n1!x4!n: YYMMDD, HHMM, a sign and the offset from UTC as HHMM. Null when it is
 * not so; the time of a report carries no money, so it is noted and left out, not refused. */
export function parseReportDateTime(value: string, note?: NoteUnusual): string | null {
  const match = /^(\d{6})([01]\d|2[0-3])([0-5]\d)([+-])(\d{2})(\d{2})$/.exec(value.trim());
  let date: string | null = null;
  try {
    date = match ? parseSwiftDate(match[1]!, 'date', note) : null;
  } catch {
    date = null;
  }
  if (!match || date === null) {
    note?.('date_time_unreadable', `:13D: "${value.slice(0, 40)}" is not YYMMDDHHMM and a UTC offset (+HHMM); left out`);
    return null;
  }
  return `${date}T${match[2]}:${match[3]}${match[4]}${match[5]}:${match[6]}`;
}
