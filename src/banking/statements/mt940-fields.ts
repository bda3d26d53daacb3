// The values of the MT940/MT942 fields that carry money, read by their SWIFT layout
// (SWIFT MT940/MT942 field specifications; the German DFÜ-Abkommen uses the same layout).
// Each reader throws a StatementValueError that names the part of the field; the caller adds
// the tag, the line and the statement.
import { parseSwiftAmount, type ExactAmount } from './statement-amount.js';
import { parseSwiftDate, parseSwiftEntryDate } from './statement-dates.js';
import { StatementValueError } from './statement-parse-error.js';

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
export function parseBalance(value: string): Mt940Balance {
  const mark = value.slice(0, 1);
  if (mark !== 'C' && mark !== 'D') throw new StatementValueError(`debit/credit mark "${mark}" is not C or D`);
  const date = parseSwiftDate(value.slice(1, 7), 'date');
  const currency = currencyCode(value.slice(7, 10));
  const written = value.slice(10);
  return { debit: mark === 'D', date, currency, amount: parseSwiftAmount(written), written };
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
  /** 1!a3!c: N (non-SWIFT), S (SWIFT) or F (first advice), then a code such as TRF. */
  typeCode: string;
  customerReference: string | null;
  bankReference: string | null;
  /** Subfield 9, the 34x line below the first. */
  supplementaryDetails: string | null;
}

const markPattern = /^(RC|RD|C|D)/;
/** Subfield 5, the funds code: the third letter of the currency code, before the amount. */
const fundsCodePattern = /^[A-Z](?=\d)/;
const typeCodePattern = /[NSF][A-Z0-9]{3}/;

function nonEmpty(text: string | undefined): string | null {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** :61: — 6!n[4!n]2a[1!a]15d1!a3!c16x[//16x] and [34x] on the next line. */
export function parseStatementLine(lines: readonly string[]): Mt940StatementLine {
  const value = lines[0]!;
  const valueDate = parseSwiftDate(value.slice(0, 6), 'value date');
  let rest = value.slice(6);
  let entryDate: string | null = null;
  if (/^\d{4}/.test(rest)) {
    entryDate = parseSwiftEntryDate(rest.slice(0, 4), valueDate);
    rest = rest.slice(4);
  }
  const mark = markPattern.exec(rest)?.[1] as Mt940Mark | undefined;
  if (!mark) throw new StatementValueError(`debit/credit mark "${rest.slice(0, 2)}" is not C, D, RC or RD`);
  rest = rest.slice(mark.length);
  rest = rest.replace(fundsCodePattern, '');
  const type = typeCodePattern.exec(rest);
  if (!type) throw new StatementValueError(`no transaction type (N, S or F and three characters, e.g. NTRF) after the amount in "${value}"`);
  const written = rest.slice(0, type.index);
  const amount = parseSwiftAmount(written);
  const references = rest.slice(type.index + type[0].length);
  const split = references.indexOf('//');
  return {
    valueDate,
    entryDate,
    mark,
    amount,
    written,
    typeCode: type[0],
    customerReference: nonEmpty(split < 0 ? references : references.slice(0, split)),
    bankReference: split < 0 ? null : nonEmpty(references.slice(split + 2)),
    supplementaryDetails: nonEmpty(lines.slice(1).join(' ')),
  };
}

export interface Mt942FloorLimit {
  currency: string;
  debit: boolean | null;
  amount: ExactAmount;
}

/** :34F: — 3!a[1!a]15d: currency, optional D/C mark, amount. */
export function parseFloorLimit(value: string): Mt942FloorLimit {
  const currency = currencyCode(value.slice(0, 3));
  const mark = /^[CD]/.exec(value.slice(3))?.[0];
  return { currency, debit: mark === undefined ? null : mark === 'D', amount: parseSwiftAmount(value.slice(mark ? 4 : 3)) };
}

export interface Mt942EntryTotal {
  count: number;
  currency: string;
  amount: ExactAmount;
  written: string;
}

/** :90D:, :90C: — 5n3!a15d: number of entries, currency, sum. */
export function parseEntryTotal(value: string): Mt942EntryTotal {
  const match = /^(\d{1,5})([A-Z]{3})(.*)$/.exec(value);
  if (!match) throw new StatementValueError(`"${value}" is not a number of entries, a currency and an amount`);
  return { count: Number(match[1]), currency: match[2]!, amount: parseSwiftAmount(match[3]!), written: match[3]! };
}
