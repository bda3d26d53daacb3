// MT940 customer statements and MT942 interim reports, read into the neutral model. A file
// holds one or more messages (enveloped or separated by "-"); a message holds one or more
// statements, a new one starting at each :20: (and at an opening balance where one is
// already open, as in files that run statements together). Money fields are read strictly;
// fields that carry no money and that Outlay does not use (:13D:, :21:, :NS:, tags it does
// not know) are skipped, as is :86: that is not about an entry.
import { isCurrency } from '../../money/money.js';
import { entriesPerStatementMax, statementsPerFileMax } from './limits.js';
import { parseBalance, parseEntryTotal, parseFloorLimit, parseReportDateTime, parseStatementLine, type Mt940Balance, type Mt940StatementLine, type Mt942EntryTotal, type Mt942FloorLimit } from './mt940-fields.js';
import { readInformation, type Mt940Information } from './mt940-information.js';
import { readMt940Messages, type Mt940Field } from './mt940-lines.js';
import { reconcile, type BalanceFigure, type EntryTotal } from './reconcile.js';
import type { InterimReport, ParsedStatementFile, Statement, StatementBalance, StatementEntry } from './statement.js';
import { formatExactAmount, inCurrency, negate, type ExactAmount } from './statement-amount.js';
import { StatementParseError, StatementValueError } from './statement-parse-error.js';
import { StatementWarnings, type NoteUnusual } from './statement-warnings.js';

interface Located<T> {
  value: T;
  tag: string;
  line: number;
}

interface EntryDraft {
  line: number;
  statementLine: Mt940StatementLine;
  information: Mt940Information | null;
}

interface StatementDraft {
  index: number;
  fields: number;
  reference: string | null;
  sequence: string | null;
  account: string | null;
  opening: Located<Mt940Balance> | null;
  closing: Located<Mt940Balance> | null;
  available: Located<Mt940Balance> | null;
  forward: Located<Mt940Balance>[];
  floorLimits: Located<Mt942FloorLimit>[];
  totals: Located<Mt942EntryTotal>[];
  reportedAt: string | null;
  entries: EntryDraft[];
  lastTag: string | null;
}

function newDraft(index: number): StatementDraft {
  return { index, fields: 0, reference: null, sequence: null, account: null, opening: null, closing: null, available: null, forward: [], floorLimits: [], totals: [], reportedAt: null, entries: [], lastTag: null };
}

function label(draft: StatementDraft): string | null {
  return draft.reference === null ? null : `:20: ${draft.reference}`;
}

function refuse(draft: StatementDraft, line: number, detail: string): StatementParseError {
  return new StatementParseError({ statementIndex: draft.index, statementLabel: label(draft), line }, detail);
}

const openingTags = new Set(['60F', '60M']);
const closingTags = new Set(['62F', '62M']);

function startsStatement(draft: StatementDraft, tag: string): boolean {
  if (draft.fields === 0) return false;
  if (tag === '20') return true;
  return openingTags.has(tag) && (draft.opening !== null || draft.entries.length > 0 || draft.closing !== null);
}

function text(field: Mt940Field): string {
  return field.lines.join(' ').trim();
}

function once<T>(draft: StatementDraft, field: Mt940Field, current: T | null, what: string): void {
  if (current !== null) throw refuse(draft, field.line, `:${field.tag}: ${what} appears twice in one statement`);
}

/** Fields whose value is one line; what a bank puts below them is not part of them. */
const singleLineTags = new Set(['28C', '28', '60F', '60M', '62F', '62M', '64', '65', '34F', '13D', '90D', '90C']);

function applyField(draft: StatementDraft, field: Mt940Field, warnings: StatementWarnings): void {
  const { tag } = field;
  const value = field.lines[0]!.trim();
  const note: NoteUnusual = (code, message) => warnings.add(code, { line: field.line }, `:${tag}: ${message}`);
  const located = <T>(parsed: T): Located<T> => ({ value: parsed, tag, line: field.line });
  const extra = field.lines.slice(1).filter((line) => line.trim() !== '');
  if (singleLineTags.has(tag) && extra.length > 0) note('continuation_line_ignored', `${extra.length} line(s) below the field are not part of it, starting "${extra[0]!.slice(0, 40)}"`);
  if (tag === '20') draft.reference = text(field);
  else if (tag === '25') {
    once(draft, field, draft.account, `the account (already "${draft.account}")`);
    draft.account = text(field);
  } else if (tag === '28C' || tag === '28') {
    once(draft, field, draft.sequence, 'the statement number');
    draft.sequence = value;
  } else if (openingTags.has(tag)) draft.opening = located(parseBalance(value, note));
  else if (closingTags.has(tag)) {
    once(draft, field, draft.closing, 'the closing balance');
    draft.closing = located(parseBalance(value, note));
  } else if (tag === '64') {
    once(draft, field, draft.available, 'the available balance');
    draft.available = located(parseBalance(value, note));
  } else if (tag === '65') draft.forward.push(located(parseBalance(value, note)));
  else if (tag === '61') addEntry(draft, field, note);
  else if (tag === '86') addInformation(draft, field);
  else if (tag === '34F') draft.floorLimits.push(located(parseFloorLimit(value, note)));
  else if (tag === '13D') draft.reportedAt = parseReportDateTime(value, note);
  else if (tag === '90D' || tag === '90C') {
    once(draft, field, draft.totals.find((total) => total.tag === tag) ?? null, 'the entry total');
    draft.totals.push(located(parseEntryTotal(value, note)));
  }
  if (tag !== 'NS') draft.lastTag = tag;
  draft.fields += 1;
}

function addEntry(draft: StatementDraft, field: Mt940Field, note: NoteUnusual): void {
  if (draft.closing) throw refuse(draft, field.line, `:61: comes after the closing balance (:${draft.closing.tag}: on line ${draft.closing.line})`);
  if (draft.entries.length >= entriesPerStatementMax) throw refuse(draft, field.line, `the statement has more than ${entriesPerStatementMax} entries`);
  draft.entries.push({ line: field.line, statementLine: parseStatementLine(field.lines, note), information: null });
}

/** :86: after a :61: describes that entry; elsewhere it is about the statement as a whole
 * ("information to account owner" at the end of the message), which the model does not keep. */
function addInformation(draft: StatementDraft, field: Mt940Field): void {
  const entry = draft.entries.at(-1);
  if (draft.lastTag === '61' && entry && entry.information === null) entry.information = readInformation(field.lines, entry.statementLine.mark === 'D' || entry.statementLine.mark === 'RC');
}

/** "51210600/9223382012EUR": some banks append the account's currency to :25:. */
function currencyOfAccount(account: string | null): string | null {
  const code = account === null ? undefined : /\d([A-Z]{3})$/.exec(account)?.[1];
  return code !== undefined && isCurrency(code) ? code : null;
}

function statementCurrency(draft: StatementDraft): string | null {
  const stated = [draft.opening, draft.closing, draft.available, ...draft.forward, ...draft.floorLimits, ...draft.totals];
  return stated.find((field) => field !== null)?.value.currency ?? currencyOfAccount(draft.account);
}

function exact(draft: StatementDraft, line: number, tag: string, amount: ExactAmount, written: string, currency: string | null): ExactAmount {
  try {
    return inCurrency(amount, currency, written);
  } catch (error) {
    if (error instanceof StatementValueError) throw refuse(draft, line, `:${tag}: ${error.message}`);
    throw error;
  }
}

function balanceFigure(draft: StatementDraft, balance: Located<Mt940Balance>, name: string): BalanceFigure {
  const amount = exact(draft, balance.line, balance.tag, balance.value.amount, balance.value.written, balance.value.currency);
  return { label: `${name} (:${balance.tag}:)`, amount: balance.value.debit ? negate(amount) : amount, currency: balance.value.currency };
}

function modelBalance(figure: BalanceFigure | null, balance: Located<Mt940Balance> | null): StatementBalance | null {
  return figure && balance ? { amount: formatExactAmount(figure.amount, figure.currency), date: balance.value.date } : null;
}

function finishEntry(draft: StatementDraft, entry: EntryDraft, currency: string | null): { amount: ExactAmount; debit: boolean; model: StatementEntry } {
  const line = entry.statementLine;
  const unsigned = exact(draft, entry.line, '61', line.amount, line.written, currency);
  // SWIFT: RC is the reversal of a credit, so money leaves the account; RD gives it back.
  const debit = line.mark === 'D' || line.mark === 'RC';
  const amount = debit ? negate(unsigned) : unsigned;
  const information = entry.information;
  return {
    amount,
    debit,
    model: {
      amount: formatExactAmount(amount, currency),
      currency,
      bookingDate: line.entryDate,
      valueDate: line.valueDate,
      bankReference: line.bankReference,
      customerReference: line.customerReference,
      endToEndId: information?.endToEndId ?? null,
      // Without :86:, the supplementary details of :61: are all the bank says about the entry.
      remittanceInformation: information ? information.remittanceInformation : line.supplementaryDetails,
      counterparty: information?.counterparty ?? null,
      typeCode: line.typeCode,
      information: information?.information ?? null,
    },
  };
}

function finishStatement(draft: StatementDraft): Statement {
  const currency = statementCurrency(draft);
  const opening = draft.opening && balanceFigure(draft, draft.opening, 'opening balance');
  const closing = draft.closing && balanceFigure(draft, draft.closing, 'closing balance');
  const otherBalances = [
    ...(draft.available ? [balanceFigure(draft, draft.available, 'available balance')] : []),
    ...draft.forward.map((balance) => balanceFigure(draft, balance, 'forward available balance')),
    ...draft.floorLimits.map((limit) => ({ label: `floor limit (:${limit.tag}:)`, amount: limit.value.amount, currency: limit.value.currency })),
  ];
  const totals: EntryTotal[] = draft.totals.map((total) => ({
    label: `:${total.tag}:`,
    debit: total.tag === '90D',
    count: total.value.count,
    amount: exact(draft, total.line, total.tag, total.value.amount, total.value.written, total.value.currency),
    currency: total.value.currency,
  }));
  const entries = draft.entries.map((entry) => finishEntry(draft, entry, currency));
  const reconciliation = reconcile({ currency, opening, closing, otherBalances, entries: entries.map((entry) => ({ amount: entry.amount, debit: entry.debit, currency })), totals });
  const id = [draft.reference, draft.sequence].filter((part) => part !== null && part !== '').join('/');
  const interim = interimReport(draft, totals);
  return {
    id: id === '' ? null : id,
    account: draft.account,
    currency,
    opening: modelBalance(opening, draft.opening),
    closing: modelBalance(closing, draft.closing),
    entries: entries.map((entry) => entry.model),
    ...reconciliation,
    ...(interim ? { interim } : {}),
  };
}

/** The MT942 fields of a statement, or null when it has none (an MT940 statement). */
function interimReport(draft: StatementDraft, totals: EntryTotal[]): InterimReport | null {
  if (draft.reportedAt === null && draft.floorLimits.length === 0 && totals.length === 0) return null;
  const total = (debit: boolean) => {
    const found = totals.find((candidate) => candidate.debit === debit);
    return found ? { count: found.count, amount: formatExactAmount(found.amount, found.currency) } : null;
  };
  return {
    reportedAt: draft.reportedAt,
    floorLimits: draft.floorLimits.map((limit) => ({
      side: limit.value.debit === null ? ('both' as const) : limit.value.debit ? ('debit' as const) : ('credit' as const),
      amount: formatExactAmount(exact(draft, limit.line, limit.tag, limit.value.amount, limit.value.written, limit.value.currency), limit.value.currency),
    })),
    debits: total(true),
    credits: total(false),
  };
}

export function parseMt940(text: string, warnings = new StatementWarnings()): ParsedStatementFile {
  const statements: Statement[] = [];
  let draft = newDraft(1);
  const finish = () => {
    if (draft.fields === 0) return;
    if (statements.length >= statementsPerFileMax) throw new StatementParseError({}, `the file has more than ${statementsPerFileMax} statements`);
    statements.push(finishStatement(draft));
    draft = newDraft(statements.length + 1);
  };
  for (const message of readMt940Messages(text, warnings)) {
    for (const field of message.fields) {
      if (startsStatement(draft, field.tag)) finish();
      try {
        applyField(draft, field, warnings);
      } catch (error) {
        if (error instanceof StatementValueError) throw refuse(draft, field.line, `:${field.tag}: ${error.message}`);
        throw error;
      }
    }
    finish();
  }
  if (statements.length === 0) throw new StatementParseError({}, 'the file holds no MT940 fields');
  return { format: 'mt940', statements, warnings: warnings.list() };
}
