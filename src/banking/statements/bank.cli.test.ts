import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.js';
import { registerBankCommands } from './bank.cli.js';
import type { ParsedStatementFile } from './statement.js';
import { StatementParseError } from './statement-parse-error.js';

const directory = mkdtempSync(path.join(tmpdir(), 'outlay-bank-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const target = path.join(directory, name);
  writeFileSync(target, content);
  return target;
}

async function run(...args: string[]): Promise<string[]> {
  const printed: string[] = [];
  const root = new Command('outlay').exitOverride();
  registerBankCommands(root, { out: (text) => printed.push(text) });
  await root.parseAsync(args, { from: 'user' });
  return printed;
}

const statement = [
  ':20:STMT-7',
  ':25:DE89370400440532013000',
  ':28C:7/1',
  ':60F:C240104EUR1000,00',
  ':61:2401050105C2500,00NTRFNONREF//BANK-1',
  ':86:166?00GUTSCHRIFT?20EREF+TOPUP-7?21SVWZ+Wallet top-up?30BYLADEM1001?31DE02120300000000202051?32ACME GmbH',
  ':61:2401050105D250,50NTRFINV-42',
  ':62F:C240105EUR3249,50',
  '-',
].join('\r\n');

describe('outlay bank parse', () => {
  it('prints the model as JSON with --json', async () => {
    const [json, ...rest] = await run('bank', 'parse', file('good.sta', statement), '--json');
    expect(rest).toHaveLength(0);
    const parsed = JSON.parse(json!) as ParsedStatementFile;
    expect(parsed.format).toBe('mt940');
    expect(parsed.statements).toHaveLength(1);
    expect(parsed.statements[0]).toMatchObject({ id: 'STMT-7/7/1', currency: 'EUR', opening: { amount: '1000.00', date: '2024-01-04' }, consistent: true, inconsistency: null });
    expect(parsed.statements[0]!.entries[0]).toEqual({
      amount: '2500.00',
      currency: 'EUR',
      bookingDate: '2024-01-05',
      valueDate: '2024-01-05',
      bankReference: 'BANK-1',
      customerReference: 'NONREF',
      endToEndId: 'TOPUP-7',
      remittanceInformation: 'Wallet top-up',
      counterparty: { name: 'ACME GmbH', iban: 'DE02120300000000202051', bic: 'BYLADEM1001' },
      typeCode: 'NTRF',
      information: '166?00GUTSCHRIFT?20EREF+TOPUP-7?21SVWZ+Wallet top-up?30BYLADEM1001?31DE02120300000000202051?32ACME GmbH',
    });
  });

  it('prints what was unusual as warnings with their lines, in --json and in the summary', async () => {
    const unusual = statement.replace(':61:2401050105D250,50NTRFINV-42', ':61:2401050105D250,50 INV-42').replace(':60F:C240104EUR1000,00', 'BANKHEADER\r\n:60F:C240104EUR1000');
    const [json] = await run('bank', 'parse', file('unusual.sta', unusual), '--json');
    const parsed = JSON.parse(json!) as ParsedStatementFile;
    expect(parsed.statements[0]).toMatchObject({ consistent: true, opening: { amount: '1000.00' } });
    expect(parsed.statements[0]!.entries[1]).toMatchObject({ amount: '-250.50', typeCode: null });
    expect(parsed.warnings.map((warning) => [warning.code, warning.line])).toEqual([
      ['continuation_line_ignored', 3],
      ['amount_without_decimal_comma', 5],
      ['line_longer_than_swift', 7],
      ['transaction_type_missing', 8],
    ]);
    const [summary] = await run('bank', 'parse', file('unusual.sta', unusual));
    expect(summary!.split('\n').slice(-4)).toEqual([
      'warning line 3 continuation_line_ignored: :28C: 1 line(s) below the field are not part of it, starting "BANKHEADER"',
      'warning line 5 amount_without_decimal_comma: :60F: amount "1000" has no decimal comma; read as 1000,',
      "warning line 7 line_longer_than_swift: 1 line is longer than SWIFT's 65 characters, the first this one",
      'warning line 8 transaction_type_missing: :61: no transaction type (N, S or F and three characters, e.g. NTRF) after the amount "250,50"',
    ]);
  });

  it('prints a readable summary without --json', async () => {
    const [summary] = await run('bank', 'parse', file('good.sta', statement));
    const lines = summary!.split('\n');
    expect(lines[0]).toBe('mt940, 1 statement');
    expect(lines[1]).toBe('statement 1  STMT-7/7/1  account DE89370400440532013000  EUR');
    expect(lines).toContain('  opening   2024-01-04           1000.00');
    expect(lines.some((line) => /2024-01-05 +2500\.00 {2}NTRF {2}ACME GmbH {2}e2e TOPUP-7 {2}Wallet top-up$/.test(line))).toBe(true);
    expect(lines.at(-2)).toBe('  2 entries; the balances agree');
    expect(lines.at(-1)).toBe("warning line 6 line_longer_than_swift: 1 line is longer than SWIFT's 65 characters, the first this one");
  });

  it('says why a statement does not add up', async () => {
    const [summary] = await run('bank', 'parse', file('off.sta', statement.replace(':62F:C240105EUR3249,50', ':62F:C240105EUR3249,55')));
    expect(summary!.split('\n').at(-2)).toBe(
      '  2 entries; INCONSISTENT: the opening balance (:60F:) 1000.00 plus the 2 entries (2249.50) is 3249.50, but the closing balance (:62F:) is 3249.55 (a difference of 0.05)',
    );
  });

  it('throws a StatementParseError, a DomainError the CLI prints as a message, for a malformed file', async () => {
    const broken = file('broken.sta', statement.replace('D250,50', 'D250.50'));
    const failure = run('bank', 'parse', broken);
    await expect(failure).rejects.toThrow(StatementParseError);
    await expect(failure).rejects.toThrow(DomainError);
    await expect(failure).rejects.toThrow('statement 1 (:20: STMT-7), line 7: :61: amount "250.50" is not a decimal (SWIFT 15d: digits with a decimal comma, at most 15 characters)');
  });
});
