// `outlay bank parse FILE`: reads a bank statement file offline (no server, no database) and
// prints what Outlay understands of it. A file that cannot be read throws a
// StatementParseError (a DomainError), which the CLI prints as "outlay: <message>", exit 1.
import type { Command } from 'commander';
import { parseStatementPath } from './parse-statement-file.js';
import type { ParsedStatementFile, Statement, StatementEntry } from './statement.js';

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

export function describeStatementFile(parsed: ParsedStatementFile): string {
  const count = parsed.statements.length;
  return [`${parsed.format}, ${count} statement${count === 1 ? '' : 's'}`, ...parsed.statements.flatMap(describeStatement)].join('\n');
}

export function registerBankCommands(root: Command, io: BankIo): void {
  root
    .command('bank')
    .description('bank files')
    .command('parse')
    .description('read an MT940/MT942 or camt.053 statement file offline and print its statements; exits 1 if the file is malformed')
    .argument('<file>', 'the statement file as the bank sent it')
    .option('--json', 'print {"format", "statements"} as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const parsed = await parseStatementPath(file);
      io.out(options.json ? JSON.stringify(parsed) : describeStatementFile(parsed));
    });
}
