import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAmount } from '../../money/money.js';
import { runTestTool } from '../../test-support/test-tools.js';
import type { ExportAccount, LedgerExport } from '../export-model.js';
import { ExportFormatError } from './export-format-error.js';
import { hledgerDescription, hledgerNamePart, writeHledgerJournal } from './hledger-journal.js';
import { readCsv } from './testing/csv-reader.js';
import { realisticLedgerExport, testCompany, testLedgerExport } from './testing/export-fixtures.js';

function journal(model: LedgerExport): string[] {
  return writeHledgerJournal(model).toString('utf8').split('\n');
}

/** The account directives below the five top-level ones, in order. */
function declaredAccounts(lines: string[]): string[] {
  return lines.filter((line) => /^account [^ ]+:/.test(line));
}

describe('writeHledgerJournal: directives', () => {
  it('declares the decimal mark, the currency with its decimals and every account with its type', () => {
    const lines = journal(realisticLedgerExport());
    expect(lines).toContain('decimal-mark .');
    expect(lines).toContain('commodity 1000.00 EUR');
    for (const top of ['assets  ; type: A', 'liabilities  ; type: L', 'equity  ; type: E', 'revenues  ; type: R', 'expenses  ; type: X']) {
      expect(lines).toContain(`account ${top}`);
    }
    expect(declaredAccounts(lines)).toEqual([
      'account assets:wallet Wallet  ; type: A',
      'account equity:wallet_funding Wallet funding (bank transfers in)  ; type: E',
      'account expenses:card_spend Card spend (to be categorised)  ; type: X',
      'account assets:1576 Abziehbare Vorsteuer 19 %  ; type: A',
      'account expenses:4930 Bürobedarf  ; type: X',
      'account expenses:4660 Reisekosten Arbeitnehmer  ; type: X',
      'account liabilities:payable - usr_01HEMMA Employee payable - Emma Nørgaard  ; type: L',
      'account revenues:card_refunds Card refunds, chargebacks  ; type: R',
    ]);
  });

  it('declares the commodity with the currency\'s decimals', () => {
    expect(journal(testLedgerExport({ company: testCompany({ currency: 'JPY' }) }))).toContain('commodity 1000. JPY');
    expect(journal(testLedgerExport({ company: testCompany({ currency: 'KWD' }) }))).toContain('commodity 1000.000 KWD');
  });
});

describe('writeHledgerJournal: account names', () => {
  const cases: { name: string; account: ExportAccount; expected: string }[] = [
    { name: 'code and name under the type', account: { code: '6110', name: 'Travel', type: 'expense' }, expected: 'expenses:6110 Travel' },
    { name: 'the code alone when the name repeats it', account: { code: 'wallet', name: 'wallet', type: 'asset' }, expected: 'assets:wallet' },
    { name: 'income under revenues', account: { code: '3010', name: 'Sales', type: 'income' }, expected: 'revenues:3010 Sales' },
    { name: 'a colon as " - ", not a sub-account', account: { code: 'payable:usr_1', name: 'Payable: Emma', type: 'liability' }, expected: 'liabilities:payable - usr_1 Payable - Emma' },
    { name: 'no double space or semicolon', account: { code: '6120', name: 'Taxi  ;  airport\tshuttle', type: 'expense' }, expected: 'expenses:6120 Taxi , airport shuttle' },
  ];
  for (const { name, account, expected } of cases) {
    it(`writes ${name}`, () => {
      const lines = journal(testLedgerExport({ accounts: [account], entries: [] }));
      expect(lines).toContain(`account ${expected}  ; type: ${{ asset: 'A', liability: 'L', equity: 'E', income: 'R', expense: 'X' }[account.type]}`);
    });
  }

  it('cleans name parts and descriptions of what hledger would misread', () => {
    expect(hledgerNamePart(' a :b\r\nc;d ')).toBe('a - b c,d');
    expect(hledgerDescription('Taxi;  airport\n| note ')).toBe('Taxi, airport | note');
  });
});

describe('writeHledgerJournal: transactions', () => {
  it('writes the opening balances dated the first day, then each entry with its id as code and tag', () => {
    const lines = journal(realisticLedgerExport());
    const opening = lines.indexOf('2024-03-01 Opening balances');
    expect(lines.slice(opening, opening + 4)).toEqual([
      '2024-03-01 Opening balances',
      '    assets:wallet Wallet  5000.00 EUR',
      '    equity:wallet_funding Wallet funding (bank transfers in)  -5200.00 EUR',
      '    expenses:card_spend Card spend (to be categorised)  200.00 EUR',
    ]);
    const entry = lines.indexOf('2024-03-05 (je_01HREAL000000000000000003) Categorised: Druckerpapier  ; entry: je_01HREAL000000000000000003');
    expect(entry).toBeGreaterThan(opening);
    expect(lines.slice(entry + 1, entry + 4)).toEqual([
      '    expenses:4930 Bürobedarf  100.00 EUR',
      '    assets:1576 Abziehbare Vorsteuer 19 %  19.00 EUR',
      '    expenses:card_spend Card spend (to be categorised)  -119.00 EUR',
    ]);
  });

  it('leaves the opening balances out when there are none', () => {
    expect(journal(testLedgerExport()).some((line) => line.includes('Opening balances'))).toBe(false);
  });

  it('orders entries by date, keeping the ledger\'s order within a day', () => {
    const base = testLedgerExport().entries[0]!;
    const model = testLedgerExport({
      entries: [
        { ...base, id: 'je_c', date: '2024-03-09' },
        { ...base, id: 'je_a', date: '2024-03-02' },
        { ...base, id: 'je_b', date: '2024-03-09' },
      ],
    });
    const ids = journal(model).filter((line) => /^\d{4}-/.test(line)).map((line) => /\((\w+)\)/.exec(line)![1]);
    expect(ids).toEqual(['je_a', 'je_c', 'je_b']);
  });
});

describe('writeHledgerJournal: refusals', () => {
  const base = testLedgerExport();
  const entry = base.entries[0]!;
  const cases: { name: string; model: LedgerExport; message: RegExp }[] = [
    { name: 'an entry that does not balance', model: testLedgerExport({ entries: [{ ...entry, postings: [{ accountCode: 'wallet', amount: 1n }, { accountCode: 'card_spend', amount: 1n }] }] }), message: /entry je_\w+: postings sum to 2 minor units/ },
    { name: 'opening balances that do not balance', model: testLedgerExport({ openingBalances: [{ accountCode: 'wallet', amount: 100n }] }), message: /opening balances: postings sum to 100/ },
    { name: 'a posting to an unknown account', model: testLedgerExport({ entries: [{ ...entry, postings: [{ accountCode: 'nope', amount: 1n }, { accountCode: 'wallet', amount: -1n }] }] }), message: /account nope is not in the export's accounts/ },
    { name: 'an entry outside the period', model: testLedgerExport({ entries: [{ ...entry, date: '2024-04-01' }] }), message: /dated 2024-04-01, outside/ },
    { name: 'an entry id hledger cannot carry as a code', model: testLedgerExport({ entries: [{ ...entry, id: 'je (1)' }] }), message: /an entry id is letters, digits/ },
    { name: 'an account listed twice', model: testLedgerExport({ accounts: [...base.accounts, { code: 'wallet', name: 'Other', type: 'asset' }] }), message: /account wallet: listed twice/ },
    {
      name: 'two accounts whose hledger names come out the same',
      model: testLedgerExport({ accounts: [...base.accounts, { code: 'x:y', name: 'N', type: 'asset' }, { code: 'x - y', name: 'N', type: 'asset' }] }),
      message: /account x - y: its hledger name "assets:x - y N" is empty or taken/,
    },
    { name: 'an unknown currency', model: testLedgerExport({ company: testCompany({ currency: 'XXX' }) }), message: /"XXX" is not an ISO 4217 currency code/ },
  ];
  for (const { name, model, message } of cases) {
    it(`refuses ${name}`, () => {
      expect(() => writeHledgerJournal(model)).toThrow(message);
    });
  }

  it('refuses with an ExportFormatError naming the entry', () => {
    try {
      writeHledgerJournal(cases[0]!.model);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExportFormatError);
      expect((error as ExportFormatError).field).toBe(`entry ${entry.id}`);
    }
  });
});

// The journal must read in the real hledger, with its strict checks, and report Outlay's
// balances.
describe('writeHledgerJournal: read by the hledger program', () => {
  const directory = mkdtempSync(join(tmpdir(), 'outlay-hledger-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  let files = 0;

  function hledger(model: LedgerExport, ...args: string[]): string {
    const file = join(directory, `export-${++files}.journal`);
    writeFileSync(file, writeHledgerJournal(model));
    const run = runTestTool('hledger', ['-f', file, ...args]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return run.stdout;
  }

  /** Account name -> balance in minor units, from `balance -O csv`. */
  function balances(model: LedgerExport): Map<string, bigint> {
    const csv = hledger(model, 'balance', '--flat', '--no-total', '-O', 'csv').replaceAll('\n', '\r\n');
    const [header, ...rows] = readCsv(csv);
    expect(header).toEqual(['account', 'balance']);
    return new Map(rows.map(([account, balance]) => {
      const [number, commodity] = balance!.split(' ');
      expect(commodity).toBe(model.company.currency);
      return [account!, parseAmount(number!, model.company.currency, { allowNegative: true, allowZero: true })];
    }));
  }

  function expectedBalances(model: LedgerExport): Map<string, bigint> {
    const byCode = new Map<string, bigint>();
    const add = (code: string, amount: bigint) => byCode.set(code, (byCode.get(code) ?? 0n) + amount);
    for (const balance of model.openingBalances) add(balance.accountCode, balance.amount);
    for (const entry of model.entries) for (const posting of entry.postings) add(posting.accountCode, posting.amount);
    const declared = declaredAccounts(journal(model));
    expect(declared).toHaveLength(model.accounts.length);
    const names = new Map(declared.map((line, index) => [model.accounts[index]!.code, line.slice('account '.length, line.indexOf('  ;'))]));
    return new Map([...byCode].filter(([, amount]) => amount !== 0n).map(([code, amount]) => [names.get(code)!, amount]));
  }

  const tricky = testLedgerExport({
    accounts: [
      { code: 'wallet', name: 'Wallet', type: 'asset' },
      { code: 'wallet_funding', name: 'Wallet funding (bank transfers in)', type: 'equity' },
      { code: 'card_spend', name: 'Card spend [to be categorised] "q"', type: 'expense' },
    ],
    entries: [
      ['je_t1', '* looks cleared'],
      ['je_t2', '! looks pending'],
      ['je_t3', '(looks like a code) Taxi'],
      ['je_t4', 'Taxi; airport  |  Émile’s café — 10 %\nsecond line'],
      ['je_t5', ''],
      ['je_t6', '   '],
    ].map(([id, description], index) => ({
      id: id!,
      date: '2024-03-1' + index,
      description: description!,
      postings: [{ accountCode: 'card_spend', amount: 100n + BigInt(index) }, { accountCode: 'wallet', amount: -100n - BigInt(index) }],
    })),
  });

  const strictChecks = ['check', 'accounts', 'commodities', 'ordereddates', 'uniqueleafnames'];

  it('passes hledger check with the strict and the order checks', () => {
    for (const model of [testLedgerExport(), realisticLedgerExport(), tricky, testLedgerExport({ company: testCompany({ currency: 'JPY' }) })]) {
      expect(hledger(model, ...strictChecks)).toBe('');
    }
  });

  it('reports per account exactly the opening balance plus the postings', () => {
    for (const model of [realisticLedgerExport(), tricky, testLedgerExport()]) {
      const expected = expectedBalances(model);
      expect(expected.size).toBeGreaterThan(1);
      expect(balances(model)).toEqual(expected);
    }
  });

  it('reports amounts of a currency without decimals exactly', () => {
    const model = testLedgerExport({ company: testCompany({ currency: 'JPY' }) });
    expect(balances(model)).toEqual(new Map([['assets:wallet Wallet', -1_250n], ['expenses:card_spend Card spend (to be categorised)', 1_250n]]));
  });

  it('keeps tricky descriptions as descriptions: no status, the id as code and entry tag', () => {
    const printed = JSON.parse(hledger(tricky, 'print', '-O', 'json')) as { tdescription: string; tcode: string; tstatus: string; ttags: [string, string][] }[];
    expect(printed.map((t) => [t.tcode, t.tstatus, t.tdescription, t.ttags])).toEqual([
      ['je_t1', 'Unmarked', '* looks cleared', [['entry', 'je_t1']]],
      ['je_t2', 'Unmarked', '! looks pending', [['entry', 'je_t2']]],
      ['je_t3', 'Unmarked', '(looks like a code) Taxi', [['entry', 'je_t3']]],
      ['je_t4', 'Unmarked', 'Taxi, airport | Émile’s café — 10 % second line', [['entry', 'je_t4']]],
      ['je_t5', 'Unmarked', '', [['entry', 'je_t5']]],
      ['je_t6', 'Unmarked', '', [['entry', 'je_t6']]],
    ]);
  });
});
