// Writes statements as MT940, the inverse of mt940.ts for what the neutral model holds: for
// test files and demo data that a bank would have sent. Money and dates are checked as the
// parser checks them, so that whatever is written is read back the same.
import { StatementValueError } from '../statement-parse-error.js';

export interface Mt940EntryInput {
  /** Signed decimal, e.g. "-250.00". */
  amount: string;
  valueDate: string;
  bookingDate: string | null;
  /** N, S or F and three characters, e.g. "NTRF". */
  typeCode: string;
  customerReference: string;
  bankReference: string | null;
  /** The :86: text; its lines (split at "\n") are at most 65 characters. */
  information: string | null;
}

export interface Mt940StatementInput {
  reference: string;
  sequence: string | null;
  account: string;
  currency: string;
  opening: { amount: string; date: string };
  closing: { amount: string; date: string };
  entries: Mt940EntryInput[];
}

export interface Mt940WriteOptions {
  lineBreak?: '\r\n' | '\n' | '\r';
  /** Wraps each statement in a SWIFT envelope ({1:}{2:}{4: ... -}). */
  envelope?: boolean;
}

const swiftLineChars = 65;

function swiftDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const year = match ? Number(match[1]) : NaN;
  if (!match || year < 1970 || year > 2069) throw new StatementValueError(`${date} cannot be written as YYMMDD (1970 to 2069)`);
  return match[1]!.slice(2) + match[2]! + match[3]!;
}

function markAndAmount(amount: string): { debit: boolean; digits: string } {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match) throw new StatementValueError(`"${amount}" is not a decimal amount`);
  return { debit: match[1] === '-', digits: `${match[2]},${match[3] ?? ''}` };
}

function balance(tag: string, figure: { amount: string; date: string }, currency: string): string {
  const { debit, digits } = markAndAmount(figure.amount);
  return `:${tag}:${debit ? 'D' : 'C'}${swiftDate(figure.date)}${currency}${digits}`;
}

function entryLines(entry: Mt940EntryInput): string[] {
  if (!/^[NSF][A-Z0-9]{3}$/.test(entry.typeCode)) throw new StatementValueError(`"${entry.typeCode}" is not an MT940 transaction type`);
  const { debit, digits } = markAndAmount(entry.amount);
  const booking = entry.bookingDate === null ? '' : swiftDate(entry.bookingDate).slice(2);
  const references = entry.customerReference + (entry.bankReference === null ? '' : `//${entry.bankReference}`);
  const lines = [`:61:${swiftDate(entry.valueDate)}${booking}${debit ? 'D' : 'C'}${digits}${entry.typeCode}${references}`];
  if (entry.information !== null) {
    const information = entry.information.split('\n');
    if (information.some((line) => line.length > swiftLineChars)) throw new StatementValueError(`a :86: line is longer than ${swiftLineChars} characters`);
    lines.push(`:86:${information[0]}`, ...information.slice(1));
  }
  return lines;
}

function statementLines(statement: Mt940StatementInput): string[] {
  return [
    `:20:${statement.reference}`,
    `:25:${statement.account}`,
    ...(statement.sequence === null ? [] : [`:28C:${statement.sequence}`]),
    balance('60F', statement.opening, statement.currency),
    ...statement.entries.flatMap(entryLines),
    balance('62F', statement.closing, statement.currency),
  ];
}

export function writeMt940(statements: readonly Mt940StatementInput[], options: Mt940WriteOptions = {}): string {
  const lineBreak = options.lineBreak ?? '\r\n';
  const messages = statements.map((statement) =>
    options.envelope
      ? ['{1:F01OUTLAYXXAXXX0000000000}{2:O9400000000000OUTLAYXXAXXX00000000000000000000N}{4:', ...statementLines(statement), '-}'].join(lineBreak)
      : [...statementLines(statement), '-'].join(lineBreak),
  );
  return messages.join(lineBreak) + lineBreak;
}
