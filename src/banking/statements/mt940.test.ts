import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mt940HeaderLinesMax, mt940LineCharsMax } from './limits.js';
import { parseMt940 } from './mt940.js';
import type { ParsedStatementFile, Statement } from './statement.js';
import { StatementParseError } from './statement-parse-error.js';
import { fixturePath } from '../../test-support/fixtures.js';

const fixtureDir = `${fixturePath('banking', 'mt940')}/`;

interface ExpectedBalance {
  status: 'C' | 'D';
  amount: string;
  currency: string;
  date: string;
}

interface ExpectedTransaction {
  amount: { amount: string; currency: string | null };
  date: string;
  entry_date?: string;
  id: string;
  status: 'C' | 'D' | 'RC' | 'RD';
  customer_reference?: string;
  bank_reference?: string;
}

interface Expected {
  account_identification: string | null;
  statement_number: string | null;
  sequence_number: string | null;
  transaction_reference: string | null;
  final_opening_balance: ExpectedBalance | null;
  final_closing_balance: ExpectedBalance | null;
  transactions: ExpectedTransaction[];
}

/** "-6800.00" and "-6800" are the same amount; compared as text without touching numbers. */
function canonical(decimal: string): string {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(decimal);
  if (!match) throw new Error(`not a decimal: ${decimal}`);
  const whole = match[2]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const digits = fraction ? `${whole}.${fraction}` : whole;
  return /^0(\.0*)?$/.test(digits) ? '0' : match[1] + digits;
}

function negated(decimal: string): string {
  return decimal.startsWith('-') ? decimal.slice(1) : `-${decimal}`;
}

/** The expected files are an independent parser's reading, one object for the whole file:
 * header fields and balances as the last statement that has them, transactions of all
 * statements in order. These are the places where we are sure it is wrong: */
const refused: Record<string, RegExp> = {
  // Line 6 is the :86: of the entry above turned into a second :25:. The independent
  // parser takes "166?00GUTSCHRIFT?100399?20EREF+EndT" as the account; we refuse a
  // statement that names two accounts rather than book its money to either.
  'betterplace/sepa_snippet_broken.sta': /^statement 1 \(:20: T089414086000001\), line 6: :25: the account \(already "50880050\/0194787400888"\) appears twice in one statement$/,
};

const inconsistent: Record<string, { statement: number; reason: RegExp }[]> = {
  // The snippet is sepa_mt9401.sta's statement T089414096000001 with the first entry
  // changed from a credit of 300,00 (same bank reference 0724710345316116) to "DR0,08" and
  // the balances left as they were; the expected file reads the entry as we do and does not
  // add balances up.
  'betterplace/sepa_snippet.sta': [{ statement: 2, reason: /plus the 7 entries \(-2501917\.30\) is -4472349\.17, but the closing balance \(:62F:\) is -4472049\.09 \(a difference of 300\.08\)$/ }],
};

function signedExpectedAmount(transaction: ExpectedTransaction): string {
  const amount = transaction.amount.amount;
  // The independent parser signs only D. SWIFT: RC is the reversal of a credit, a debit;
  // RD the reversal of a debit, a credit. sepa_mt9401.sta's balances add up only so (its
  // statements T089413946000001 and T089413986000001 hold the RC entries).
  if (transaction.status === 'RC') return amount.startsWith('-') ? amount : negated(amount);
  if (transaction.status === 'RD') return amount.replace(/^-/, '');
  return amount;
}

function lastWith<T>(statements: Statement[], pick: (statement: Statement) => T | null): T | null {
  return statements.map(pick).filter((value) => value !== null).at(-1) ?? null;
}

function expectedId(expected: Expected): string | null {
  const sequence = [expected.statement_number, expected.sequence_number].filter(Boolean).join('/');
  return [expected.transaction_reference, sequence].filter(Boolean).join('/') || null;
}

function compareBalance(statements: Statement[], key: 'opening' | 'closing', expected: ExpectedBalance | null): void {
  const statement = [...statements].reverse().find((candidate) => candidate[key] !== null);
  if (expected === null) {
    expect(statement, `no ${key} balance`).toBeUndefined();
    return;
  }
  expect(statement, `${key} balance`).toBeDefined();
  expect(canonical(statement![key]!.amount)).toBe(canonical(expected.amount));
  expect(expected.amount.startsWith('-')).toBe(expected.status === 'D');
  expect(statement![key]!.date).toBe(expected.date);
  expect(statement!.currency).toBe(expected.currency);
}

function compareTransactions(parsed: ParsedStatementFile, expected: Expected): void {
  const entries = parsed.statements.flatMap((statement) => statement.entries);
  expect(entries).toHaveLength(expected.transactions.length);
  expected.transactions.forEach((transaction, index) => {
    const entry = entries[index]!;
    const where = `transaction ${index + 1}`;
    expect(canonical(entry.amount), where).toBe(canonical(signedExpectedAmount(transaction)));
    expect(entry.currency, where).toBe(transaction.amount.currency);
    expect(entry.valueDate, where).toBe(transaction.date);
    expect(entry.bookingDate, where).toBe(transaction.entry_date ?? null);
    expect(entry.typeCode, where).toBe(transaction.id);
    // The independent parser cuts :61: references with fixed widths: where the customer
    // reference and "//" fit into 16 characters it keeps them together ("NONREF//55555"),
    // with a 16-character bank reference it runs on into the next field ("KREF+//BD7C...\n")
    // or cuts inside the "//" ("TFNr 01008 MEBB/", "/9A46..."). SWIFT: the first "//" separates the
    // two; where the expected file shows one of these cuts, our reading is asserted in
    // mt940-fields.test.ts instead.
    const reference = transaction.customer_reference;
    if (reference !== undefined && !reference.includes('//') && !reference.includes('\n') && !reference.endsWith('/')) {
      expect(entry.customerReference, where).toBe(reference);
    }
    if (transaction.bank_reference !== undefined && !transaction.bank_reference.startsWith('/')) {
      expect(entry.bankReference, where).toBe(transaction.bank_reference);
    }
  });
}

const fixtures = readdirSync(fixtureDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.sta'))
  .map((file) => file.split(path.sep).join('/'))
  .sort();

describe('MT940 fixtures agree with the independent reading beside them', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtures)('%s', (file) => {
    const content = readFileSync(path.join(fixtureDir, file), 'utf8');
    const expected = JSON.parse(readFileSync(path.join(fixtureDir, file.replace(/\.sta$/, '.expected.json')), 'utf8')) as Expected;
    if (refused[file]) {
      expect(() => parseMt940(content)).toThrow(refused[file]);
      return;
    }
    const parsed = parseMt940(content);
    expect(parsed.format).toBe('mt940');
    compareTransactions(parsed, expected);
    compareBalance(parsed.statements, 'opening', expected.final_opening_balance);
    compareBalance(parsed.statements, 'closing', expected.final_closing_balance);
    expect(lastWith(parsed.statements, (statement) => statement.account)).toBe(expected.account_identification);
    expect(lastWith(parsed.statements, (statement) => statement.id)).toBe(expectedId(expected));
    const known = inconsistent[file] ?? [];
    parsed.statements.forEach((statement, index) => {
      const reason = known.find((entry) => entry.statement === index + 1)?.reason;
      if (reason) {
        expect(statement.consistent).toBe(false);
        expect(statement.inconsistency).toMatch(reason);
      } else {
        expect(statement.inconsistency, `statement ${index + 1}`).toBeNull();
        expect(statement.consistent).toBe(true);
      }
    });
  });
});

describe('MT940 fixtures, read further than the expected files go', () => {
  it('reads all 26 statements of sepa_mt9401.sta, each adding up', () => {
    const parsed = parseMt940(readFileSync(path.join(fixtureDir, 'betterplace/sepa_mt9401.sta'), 'utf8'));
    expect(parsed.statements).toHaveLength(26);
    expect(parsed.statements.every((statement) => statement.consistent)).toBe(true);
    expect(parsed.statements[0]).toMatchObject({ id: 'T089413946000001/00004/00001', account: '50880050/0194774600888', currency: 'EUR', opening: { amount: '-1234718.36', date: '2007-09-03' } });
  });

  it('reads the structured :86: of a SEPA credit: end-to-end id, remittance and counterparty', () => {
    const parsed = parseMt940(readFileSync(path.join(fixtureDir, 'betterplace/sepa_snippet.sta'), 'utf8'));
    expect(parsed.statements[0]!.entries[0]).toMatchObject({
      amount: '50990.05',
      customerReference: 'NONREF',
      bankReference: '0724710333343453',
      endToEndId: 'EndToEndId TFNR 22 004 00001',
      remittanceInformation: 'Verw CTSc-01 BC-PPP TFNr 22 004',
      counterparty: { name: 'KARL KAUFMANN', iban: 'DE14508800500194785000', bic: 'DRESDEFF508' },
    });
  });

  it('reads the three statements of cmxl/mt940.sta, references split at "//"', () => {
    const parsed = parseMt940(readFileSync(path.join(fixtureDir, 'cmxl/mt940.sta'), 'utf8'));
    expect(parsed.statements.map((statement) => statement.id)).toEqual(['131110/27/01', '1234567/5/1', 'TELEWIZORY S.A./00084/001']);
    // The expected file keeps "NONREF//55555" whole; SWIFT's "//" starts the bank reference.
    expect(parsed.statements[1]!.entries[0]).toMatchObject({ amount: '-800.00', customerReference: 'NONREF', bankReference: '55555', remittanceInformation: 'Miete November' });
    expect(parsed.statements[2]!.entries[0]!.counterparty?.iban).toBe('PL08106000760000777777777777');
  });

  it('reads umlauts of a UTF-8 file', () => {
    const parsed = parseMt940(readFileSync(path.join(fixtureDir, 'betterplace/with_binary_character.sta'), 'utf8'));
    expect(parsed.statements[0]!.id).toBe('STAR1ÜTßUMS/00027/00001');
  });
});

const header = [':20:STMT-1', ':25:DE89370400440532013000', ':28C:00001/001'];

function statementText(lines: string[], lineBreak = '\r\n'): string {
  return lines.join(lineBreak) + lineBreak;
}

const simple = [...header, ':60F:C231229EUR1000,00', ':61:2312291229C250,00NTRFNONREF//B1', ':86:Top-up', ':61:2312291229D100,50NMSCREF1', ':62F:C231229EUR1149,50', '-'];

describe('MT940 line breaks and envelopes', () => {
  it('reads the same statement from CRLF, LF and CR line breaks', () => {
    const readings = ['\r\n', '\n', '\r'].map((lineBreak) => parseMt940(statementText(simple, lineBreak)));
    expect(readings[1]).toEqual(readings[0]);
    expect(readings[2]).toEqual(readings[0]);
    expect(readings[0]!.statements[0]).toMatchObject({ id: 'STMT-1/00001/001', closing: { amount: '1149.50', date: '2023-12-29' }, consistent: true });
    expect(readings[0]!.statements[0]!.entries.map((entry) => entry.amount)).toEqual(['250.00', '-100.50']);
  });

  it('reads messages in SWIFT envelopes, the next one starting on the line of the trailer', () => {
    const body = simple.slice(0, -1);
    const text = [
      '{1:F01DEUTDEFFAXXX0000000000}{2:O9401200231229DEUTDEFFAXXX00000000002312291200N}{3:{108:MT940}}{4:',
      ...body,
      '-}{5:{CHK:0123456789AB}}{1:F01DEUTDEFFAXXX0000000000}{2:O9401200231229DEUTDEFFAXXX00000000002312291200N}{4:',
      ...body.map((line) => line.replace('STMT-1', 'STMT-2')),
      '-}{5:{CHK:0123456789AB}}',
    ].join('\r\n');
    const parsed = parseMt940(text);
    expect(parsed.statements.map((statement) => statement.id)).toEqual(['STMT-1/00001/001', 'STMT-2/00001/001']);
    expect(parsed.statements.every((statement) => statement.consistent && statement.entries.length === 2)).toBe(true);
  });

  it('starts a new statement at a :20: that follows a statement without a separator', () => {
    const parsed = parseMt940(statementText([...simple.slice(0, -1), ...simple]));
    expect(parsed.statements).toHaveLength(2);
  });

  it('skips lines a bank puts before the first field (ABN AMRO: "ABNANL2A", "940")', () => {
    const parsed = parseMt940(statementText(['ABNANL2A', '940', 'ABNANL2A', ...simple]));
    expect(parsed.statements[0]!.entries).toHaveLength(2);
  });

  it('skips a bank header line between statements, noting its line', () => {
    const parsed = parseMt940(statementText([...simple, 'ABNANL2A', ...simple]));
    expect(parsed.statements).toHaveLength(2);
    expect(parsed.warnings).toEqual([{ code: 'header_line_skipped', line: 10, path: null, message: '"ABNANL2A" is not a field; skipped as a header line' }]);
  });

  it(`refuses more than ${mt940HeaderLinesMax} lines outside any field in a row, naming the line`, () => {
    const stray = Array.from({ length: mt940HeaderLinesMax + 1 }, (_, index) => `stray ${index + 1}`);
    expect(() => parseMt940(statementText([...simple, ...stray, ...simple]))).toThrow(new RegExp(`^line ${10 + mt940HeaderLinesMax}: "stray ${mt940HeaderLinesMax + 1}" is outside any field`));
  });

  it(`refuses a line longer than ${mt940LineCharsMax} characters`, () => {
    expect(() => parseMt940(statementText([...header, `:86:${'x'.repeat(mt940LineCharsMax)}`]))).toThrow(/^line 4: the line has 1004 characters; the limit is 1000$/);
  });
});

describe('MT940 amounts, signs and dates', () => {
  it('signs reversals: RC takes money out (a debit), RD gives it back (a credit)', () => {
    const parsed = parseMt940(statementText([...header, ':60F:C240105EUR100,00', ':61:240105RC30,00NRTINONREF', ':61:240105RD12,50NRTINONREF', ':62F:C240105EUR82,50']));
    const statement = parsed.statements[0]!;
    expect(statement.entries.map((entry) => entry.amount)).toEqual(['-30.00', '12.50']);
    expect(statement.consistent).toBe(true);
  });

  it('reads the funds code between the mark and the amount ("DR800," is a debit of 800)', () => {
    const parsed = parseMt940(statementText([...header, ':60F:C021101EUR1000,', ':61:0211011102DR800,NSTONONREF//55555', ':61:0211011102RCR5,NRTINONREF']));
    expect(parsed.statements[0]!.entries.map((entry) => entry.amount)).toEqual(['-800.00', '-5.00']);
  });

  it('puts an entry date of early January into the year after a December value date, and back', () => {
    const parsed = parseMt940(statementText([...header, ':61:2312310102C1,00NTRFNONREF', ':61:2401021231C1,00NTRFNONREF', ':61:991231C1,00NTRFNONREF']));
    const entries = parsed.statements[0]!.entries;
    expect(entries.map((entry) => [entry.valueDate, entry.bookingDate])).toEqual([
      ['2023-12-31', '2024-01-02'],
      ['2024-01-02', '2023-12-31'],
      ['1999-12-31', null],
    ]);
  });

  it('returns a statement without balances as consistent, its balances null', () => {
    const statement = parseMt940(statementText([':20:SNIPPET', ':61:240105C30,00NTRFNONREF'])).statements[0]!;
    expect(statement).toMatchObject({ opening: null, closing: null, currency: null, consistent: true, inconsistency: null });
    expect(statement.entries[0]!.currency).toBeNull();
  });

  it('marks a statement whose balances do not add up as inconsistent and gives the figures', () => {
    const statement = parseMt940(statementText([...header, ':60F:C240105EUR100,00', ':61:240105C30,00NTRFNONREF', ':62F:C240105EUR140,00'])).statements[0]!;
    expect(statement.consistent).toBe(false);
    expect(statement.inconsistency).toBe('the opening balance (:60F:) 100.00 plus the 1 entries (30.00) is 130.00, but the closing balance (:62F:) is 140.00 (a difference of 10.00)');
  });

  it('marks a closing balance in another currency than the opening balance as inconsistent', () => {
    const statement = parseMt940(statementText([...header, ':60F:C240105EUR100,00', ':62F:C240105USD100,00'])).statements[0]!;
    expect(statement.inconsistency).toBe('the closing balance (:62F:) 100.00 is in USD, the account in EUR');
  });

  it('reads intermediate balances (:60M:, :62M:) as the opening and closing of their page', () => {
    const statement = parseMt940(statementText([...header, ':60M:D240105EUR10,00', ':61:240105C30,00NTRFNONREF', ':62M:C240105EUR20,00'])).statements[0]!;
    expect(statement).toMatchObject({ opening: { amount: '-10.00' }, closing: { amount: '20.00' }, consistent: true });
  });

  it('takes the currency from :25: when no balance states one', () => {
    const statement = parseMt940(statementText([':25:51210600/9223382012EUR', ':61:240105C30,00NTRFNONREF'])).statements[0]!;
    expect(statement.currency).toBe('EUR');
    expect(statement.entries[0]!.amount).toBe('30.00');
  });

  it('keeps the written scale of a currency Outlay does not know (DEM)', () => {
    const statement = parseMt940(statementText([...header, ':60F:C131016DEM1,5', ':61:131017D0,5NCHKNONREF', ':62F:C131017DEM1,'])).statements[0]!;
    expect(statement).toMatchObject({ currency: 'DEM', opening: { amount: '1.5' }, closing: { amount: '1' }, consistent: true });
  });
});

function failure(text: string): StatementParseError {
  try {
    parseMt940(text);
  } catch (error) {
    if (error instanceof StatementParseError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('MT940 refusals name the statement and the line', () => {
  const second = (line: string) => statementText([...simple, ':20:ABC', ':25:DE89370400440532013000', ':28C:2/1', ':60F:C231229EUR1000,00', ':61:2312291229C1,00NTRFNONREF', ':86:first', 'second line', line, ':62F:C231229EUR1001,00', '-']);

  it('refuses a malformed :61: amount', () => {
    const error = failure(second(':61:2312291229C12x,00NTRFNONREF'));
    expect(error.message).toBe('statement 2 (:20: ABC), line 17: :61: amount "12x,00" is not a decimal (SWIFT 15d: digits with a decimal comma, at most 15 characters)');
    expect(error.location).toEqual({ statementIndex: 2, statementLabel: ':20: ABC', line: 17 });
    expect(error.code).toBe('validation_failed');
  });

  it('reads an amount without the decimal comma, noting it at its line', () => {
    const parsed = parseMt940(second(':61:2312291229C1200NTRFNONREF'));
    expect(parsed.statements[1]!.entries[1]!.amount).toBe('1200.00');
    expect(parsed.warnings).toEqual([{ code: 'amount_without_decimal_comma', line: 17, path: null, message: ':61: amount "1200" has no decimal comma; read as 1200,' }]);
  });

  it('reads a value date past the end of its month as the last day, noting it', () => {
    const parsed = parseMt940(second(':61:2302300228C1,00NTRFNONREF'));
    expect(parsed.statements[1]!.entries[1]).toMatchObject({ valueDate: '2023-02-28', bookingDate: '2023-02-28' });
    expect(parsed.warnings.map((warning) => [warning.code, warning.line])).toEqual([['date_not_in_calendar', 17]]);
  });

  it('refuses a value date whose month does not exist', () => {
    expect(failure(second(':61:2313011229C1,00NTRFNONREF')).message).toBe('statement 2 (:20: ABC), line 17: :61: value date "231301" is not a date (YYMMDD)');
  });

  it('refuses a balance with a date that is not in the calendar', () => {
    expect(failure(statementText([':20:X', ':60F:C231331EUR1,00'])).message).toBe('statement 1 (:20: X), line 2: :60F: date "231331" is not a date (YYMMDD)');
  });

  it('refuses a debit/credit mark other than C, D, RC or RD', () => {
    expect(failure(second(':61:2312291229X1,00NTRFNONREF')).message).toBe('statement 2 (:20: ABC), line 17: :61: debit/credit mark "X1" is not C, D, RC or RD');
  });

  it('refuses an amount with more decimals than its currency has, rather than round it', () => {
    expect(failure(statementText([':20:X', ':60F:C231229EUR1,005'])).message).toBe('statement 1 (:20: X), line 2: :60F: amount "1,005" has 3 decimals, but EUR has 2');
  });

  it('refuses a transaction after the closing balance', () => {
    expect(failure(statementText([':20:X', ':60F:C231229EUR1,00', ':62F:C231229EUR1,00', ':61:2312291229C1,00NTRFNONREF'])).message).toBe(
      'statement 1 (:20: X), line 4: :61: comes after the closing balance (:62F: on line 3)',
    );
  });

  it('refuses a file without any field', () => {
    expect(() => parseMt940('\r\n\r\n')).toThrow(/^the file holds no MT940 fields$/);
  });
});

describe('MT942 interim reports', () => {
  const report = (debits: string, credits: string) =>
    statementText([':20:INTRADAY', ':25:DE89370400440532013000', ':28C:1/1', ':34F:EUR0,', ':13D:2401051200+0100', ':61:240105C30,00NTRFNONREF', ':61:240105D5,25NTRFNONREF', ':61:240105RC1,00NTRFNONREF', debits, credits]);

  it('takes the currency from :34F: and checks the entries against :90D: and :90C:', () => {
    const statement = parseMt940(report(':90D:2EUR6,25', ':90C:1EUR30,00')).statements[0]!;
    expect(statement).toMatchObject({ id: 'INTRADAY/1/1', currency: 'EUR', opening: null, closing: null, consistent: true });
    expect(statement.entries.map((entry) => entry.amount)).toEqual(['30.00', '-5.25', '-1.00']);
  });

  it('marks a report whose entries do not match its stated totals as inconsistent', () => {
    const statement = parseMt940(report(':90D:1EUR5,25', ':90C:1EUR31,00')).statements[0]!;
    expect(statement.inconsistency).toBe(':90D: states 1 debit entries of 5.25, but the statement has 2 of 6.25; :90C: states 1 credit entries of 31.00, but the statement has 1 of 30.00');
  });
});
