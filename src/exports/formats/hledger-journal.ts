// Journal entries as an hledger journal (hledger manual, "Journal format"; checked against
// hledger 1.25 as Debian ships it), so that anyone can recompute the books with a program
// Outlay did not write. The accounting export writes a period's vouchers so (the same
// expenses and refunds as its CSV, SIE and DATEV: export-models.ts journalOfVouchers), each
// voucher an entry dated its day; the writer also takes opening balances. UTF-8 plain text:
//
//   decimal-mark .
//   commodity 1000.00 EUR
//   account assets:wallet Wallet  ; type: A
//   2024-03-01 Opening balances
//       assets:wallet Wallet  5000.00 EUR
//   2024-03-04 (je_01H...) Card purchase  ; entry: je_01H...
//       expenses:card_spend Card spend  12.50 EUR
//       assets:wallet Wallet  -12.50 EUR
//
// Amounts are written "12.50 EUR" throughout, with the decimal mark declared so that no
// amount is ambiguous. Each transaction carries the entry id as its code, in parentheses
// after the date: it is queryable (code:) and keeps a description that starts with "*", "!"
// or "(" from being read as a status mark or a code. The id is also an `entry:` tag.
import { currencyExponent, formatAmount } from '../../money/money.js';
import type { ExportAccount, LedgerExport, LedgerJournalEntry } from '../export-model.js';
import { controlsToSpaces } from './control-characters.js';
import { checkInPeriod, checkPeriod } from './export-checks.js';
import { ExportFormatError } from './export-format-error.js';

const format = 'hledger';

/** hledger's five account types (manual, "Account types") and the top-level names. */
const accountTypes: Record<ExportAccount['type'], { top: string; tag: string }> = {
  asset: { top: 'assets', tag: 'A' },
  liability: { top: 'liabilities', tag: 'L' },
  equity: { top: 'equity', tag: 'E' },
  income: { top: 'revenues', tag: 'R' },
  expense: { top: 'expenses', tag: 'X' },
};

const entryIdPattern = /^[A-Za-z0-9_.-]+$/;

/** One part of an account name. hledger ends a posting's account name at two spaces and
 * starts a sub-account at ":"; a ";" would start a comment. */
export function hledgerNamePart(text: string): string {
  return controlsToSpaces(text).replace(/\s*:\s*/g, ' - ').replaceAll(';', ',').replace(/\s+/g, ' ').trim();
}

/** A description ends at ";" (a comment) or the line's end. */
export function hledgerDescription(text: string): string {
  return controlsToSpaces(text).replaceAll(';', ',').replace(/\s+/g, ' ').trim();
}

/** "expenses:6110 Travel", "assets:wallet Wallet": the type's top-level account, then the
 * code (which keeps names unique) and the name. */
function accountNames(accounts: readonly ExportAccount[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const account of accounts) {
    const where = `account ${account.code}`;
    const part = hledgerNamePart(account.name.trim() === '' || account.name === account.code ? account.code : `${account.code} ${account.name}`);
    const name = `${accountTypes[account.type].top}:${part}`;
    if (names.has(account.code)) throw new ExportFormatError(format, where, 'listed twice');
    if (part === '' || taken.has(name)) throw new ExportFormatError(format, where, `its hledger name "${name}" is empty or taken`);
    names.set(account.code, name);
    taken.add(name);
  }
  return names;
}

function postingLines(postings: { accountCode: string; amount: bigint }[], names: Map<string, string>, currency: string, where: string): string[] {
  const sum = postings.reduce((total, posting) => total + posting.amount, 0n);
  if (sum !== 0n) throw new ExportFormatError(format, where, `postings sum to ${sum} minor units, not zero`);
  return postings.map((posting) => {
    const name = names.get(posting.accountCode);
    if (name === undefined) throw new ExportFormatError(format, where, `account ${posting.accountCode} is not in the export's accounts`);
    return `    ${name}  ${formatAmount(posting.amount, currency)} ${currency}`;
  });
}

function entryTransaction(entry: LedgerJournalEntry, names: Map<string, string>, currency: string): string[] {
  const where = `entry ${entry.id}`;
  if (!entryIdPattern.test(entry.id)) throw new ExportFormatError(format, where, 'an entry id is letters, digits, "_", "." and "-"');
  const title = `${entry.date} (${entry.id}) ${hledgerDescription(entry.description)}`.trimEnd();
  return [`${title}  ; entry: ${entry.id}`, ...postingLines(entry.postings, names, currency, where)];
}

function directives(model: LedgerExport, names: Map<string, string>): string[] {
  const { currency } = model.company;
  const decimals = currencyExponent(currency);
  return [
    `; Outlay journal of ${hledgerDescription(model.company.name)}, ${model.from} to ${model.to}, written ${model.generatedAt.toISOString()}`,
    'decimal-mark .',
    '',
    `commodity 1000.${'0'.repeat(decimals)} ${currency}`,
    '',
    ...Object.values(accountTypes).map((type) => `account ${type.top}  ; type: ${type.tag}`),
    ...model.accounts.map((account) => `account ${names.get(account.code)}  ; type: ${accountTypes[account.type].tag}`),
  ];
}

export function writeHledgerJournal(model: LedgerExport): Buffer {
  checkPeriod(format, model.company, model.from, model.to);
  const currency = model.company.currency;
  // An ISO 4217 code is three letters, a commodity symbol hledger reads without quotes.
  currencyExponent(currency);
  const names = accountNames(model.accounts);
  const transactions: string[][] = [];
  const opening = model.openingBalances.filter((balance) => balance.amount !== 0n);
  if (opening.length > 0) transactions.push([`${model.from} Opening balances`, ...postingLines(opening, names, currency, 'opening balances')]);
  // Stable: entries of one day keep the ledger's order.
  const entries = [...model.entries].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const entry of entries) {
    checkInPeriod(format, `entry ${entry.id}`, entry.date, model.from, model.to);
    transactions.push(entryTransaction(entry, names, currency));
  }
  const lines = [...directives(model, names), ...transactions.flatMap((transaction) => ['', ...transaction])];
  return Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
}
