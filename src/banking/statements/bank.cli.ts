// `outlay bank parse FILE`: reads a bank statement file offline (no server, no database) and
// prints what Outlay understands of it. A file that cannot be read throws a
// StatementParseError (a DomainError), which the CLI prints as "outlay: <message>", exit 1.
import type { Command } from 'commander';
import { parseStatementPath } from './parse-statement-file.js';
import type { ParsedStatementFile, Statement, StatementEntry } from './statement.js';
import type { StatementWarning } from './statement-warnings.js';

export interface BankIo {
  out(text: string): void;
}

function describeEntry(entry: StatementEntry): string {
  const party = entry.counterparty?.name ?? entry.counterparty?.iban ?? null;
  const columns = [entry.bookingDate ?? entry.valueDate ?? '          ', entry.amount.padStart(16), entry.typeCode ?? '', party, entry.endToEndId && `e2e ${entry.endToEndId}`, entry.remittanceInformation];
  return `  ${columns.filter((column) => column !== null && column !== '').join('  ')}`;
}

function describeStatement(statement: Statement, index: number): string[] {
  const currency = statement.currency ?? '(currency unknown)';
  const balance = (name: string, value: Statement['opening']) => `  ${name.padEnd(10)}${value ? `${value.date}  ${value.amount.padStart(16)}` : '(none)'}`;
  const entries = `${statement.entries.length} ${statement.entries.length === 1 ? 'entry' : 'entries'}`;
  return [
    `statement ${index + 1}  ${statement.id ?? '(no id)'}  account ${statement.account ?? '(none)'}  ${currency}`,
    balance('opening', statement.opening),
    ...statement.entries.map(describeEntry),
    balance('closing', statement.closing),
    statement.consistent ? `  ${entries}; the balances agree` : `  ${entries}; INCONSISTENT: ${statement.inconsistency}`,
  ];
}

/** "warning line 7 amount_without_decimal_comma: ..." — where first, so that it can be found. */
export function describeWarning(warning: StatementWarning): string {
  const where = warning.line !== null ? `line ${warning.line} ` : warning.path !== null ? `${warning.path} ` : '';
  return `warning ${where}${warning.code}: ${warning.message}`;
}

export function describeStatementFile(parsed: ParsedStatementFile): string {
  const count = parsed.statements.length;
  return [`${parsed.format}, ${count} statement${count === 1 ? '' : 's'}`, ...parsed.statements.flatMap(describeStatement), ...parsed.warnings.map(describeWarning)].join('\n');
}

export function registerBankCommands(root: Command, io: BankIo): void {
  root
    .command('bank')
    .description('bank files')
    .command('parse')
    .description('read an MT940/MT942 or camt.052/053/054 file offline and print its statements and warnings; exits 1 if the file cannot be read')
    .argument('<file>', 'the statement file as the bank sent it')
    .option('--json', 'print {"format", "statements", "warnings"} as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const parsed = await parseStatementPath(file);
      io.out(options.json ? JSON.stringify(parsed) : describeStatementFile(parsed));
    });
}
