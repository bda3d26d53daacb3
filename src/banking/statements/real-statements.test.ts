// Real statement files of other open parsers (test/fixtures/bank-statements, sources in its
// README), each figure below read off the file by hand: balances, counts, amounts, parties.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseStatementFile } from './parse-statement-file.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/bank-statements/', import.meta.url));
const read = (file: string) => parseStatementFile(readFileSync(path.join(fixtures, file)));
const warningsOf = (parsed: ReturnType<typeof read>) => parsed.warnings.map((warning) => [warning.code, warning.line]);

describe('ABN AMRO (Netherlands), MT940 with header lines before each message', () => {
  const parsed = read('mt940/abnamro-nl.sta');

  it('skips the header lines of both messages and reads both statements', () => {
    expect(parsed.format).toBe('mt940');
    expect(parsed.statements.map((statement) => [statement.id, statement.account, statement.currency, statement.entries.length])).toEqual([
      ['ABN AMRO BANK NV/19321/1', '517852257', 'EUR', 8],
      ['ABN AMRO BANK NV/19322/1', '517852257', 'EUR', 2],
    ]);
    expect(warningsOf(parsed).filter(([code]) => code === 'header_line_skipped')).toEqual([1, 2, 3, 29, 30, 31].map((line) => ['header_line_skipped', line]));
  });

  it('reads the amounts written without decimals ("9,", "107,") and the dates', () => {
    const [first] = parsed.statements;
    expect(first!.entries.map((entry) => entry.amount)).toEqual(['-9.00', '-11.59', '-11.63', '-11.80', '-13.45', '-15.49', '-107.00', '-141.48']);
    expect(first!.entries[1]).toMatchObject({ valueDate: '2011-05-21', bookingDate: '2011-05-23', typeCode: 'N426', customerReference: 'NONREF' });
    expect(first!.opening).toEqual({ amount: '3236.28', date: '2011-05-22' });
    expect(first!.closing).toEqual({ amount: '876.84', date: '2011-05-23' });
  });

  it('says that neither statement adds up (the sample was anonymised), and by how much', () => {
    expect(parsed.statements.map((statement) => statement.consistent)).toEqual([false, false]);
    expect(parsed.statements[0]!.inconsistency).toMatch(/plus the 8 entries \(-321\.44\) is 2914\.84, but the closing balance \(:62F:\) is 876\.84 \(a difference of -2038\.00\)$/);
    expect(parsed.statements[1]!.inconsistency).toMatch(/plus the 2 entries \(-24\.49\) is 2852\.35, but the closing balance \(:62M:\) is 1849\.75 \(a difference of -1002\.60\)$/);
  });
});

describe('PostFinance (Switzerland), MT940', () => {
  const parsed = read('mt940/postfinance-ch.sta');

  it('reads an opening balance of "0," and amounts with one decimal', () => {
    const [first, second] = parsed.statements;
    expect(first).toMatchObject({ id: '2014040708285927/999/1', currency: 'CHF', opening: { amount: '0.00', date: '2013-11-30' }, closing: { amount: '229.20', date: '2014-04-07' }, consistent: true });
    expect(first!.entries.map((entry) => [entry.amount, entry.typeCode, entry.customerReference, entry.bankReference])).toEqual([
      ['79.70', 'FMSC', '01916', 'NONREF'],
      ['149.50', 'FMSC', '01916', 'NONREF'],
    ]);
    expect(second!.entries.map((entry) => entry.amount)).toEqual(['-79.90', '10.10']);
  });

  it('says that the second statement is 0.20 off', () => {
    expect(parsed.statements[1]!.inconsistency).toBe(
      'the opening balance (:60M:) 229.20 plus the 2 entries (-69.80) is 159.40, but the closing balance (:62F:) is 159.60 (a difference of 0.20)',
    );
  });

  it('notes once that lines are longer than SWIFT allows', () => {
    // Line 8, the second line of a :86:, has 66 characters.
    expect(warningsOf(parsed)).toEqual([['line_longer_than_swift', 8]]);
    expect(parsed.warnings[0]!.message).toBe("1 line is longer than SWIFT's 65 characters, the first this one");
  });
});

describe('mBank (Poland), MT942 interim report', () => {
  const parsed = read('mt940/mbank-pl-mt942.sta');
  const [report] = parsed.statements;

  it('reads the report with its own fields, its totals matching its entries', () => {
    expect(parsed.statements).toHaveLength(1);
    expect(report).toMatchObject({ id: 'ST170119CYC/0001/1/1', account: 'PL29114010810000267002001002', currency: 'PLN', opening: null, closing: null, consistent: true });
    expect(report!.interim).toEqual({
      reportedAt: '2017-01-19T18:15+01:00',
      floorLimits: [{ side: 'both', amount: '0.00' }],
      debits: { count: 0, amount: '0.00' },
      credits: { count: 3, amount: '0.03' },
    });
    expect(report!.entries.map((entry) => [entry.amount, entry.bankReference])).toEqual([
      ['0.01', 'MB170119012058'],
      ['0.01', 'MB170119012085'],
      ['0.01', 'MB170119012121'],
    ]);
  });

  it('reads the Polish :86: labels: the other account as an IBAN, the sender and the title', () => {
    expect(report!.entries[0]).toMatchObject({
      counterparty: { name: 'JAN NOWAK', iban: 'PL56114010810000267002001001', bic: null },
      remittanceInformation: 'PRZELEW SRODKOW',
    });
  });

  it('notes the floor limit written without a decimal comma', () => {
    expect(parsed.warnings).toEqual([{ code: 'amount_without_decimal_comma', line: 5, path: null, message: ':34F: amount "0" has no decimal comma; read as 0,' }]);
  });
});

describe('Sparkasse (Germany), MT940 with DFÜ subfields', () => {
  const parsed = read('mt940/sparkasse-de.sta');

  it('reads four pages that each add up', () => {
    expect(parsed.statements.map((statement) => [statement.id, statement.opening?.amount, statement.closing?.amount, statement.entries.length, statement.consistent])).toEqual([
      ['STARTUMS/09198/001', '1818.90', '2330.90', 4, true],
      ['STARTUMS/09198/002', '2330.90', '2624.22', 4, true],
      ['STARTUMS/09199/001', '2624.22', '2724.22', 1, true],
      ['STARTUMS/09199/002', '2724.22', '2734.22', 1, true],
    ]);
  });

  it('reads the subfields: purpose lines as the remittance, ?32/?33 as the name', () => {
    expect(parsed.statements[0]!.entries[0]).toMatchObject({
      amount: '80.00',
      valueDate: '2010-02-17',
      bookingDate: '2010-02-04',
      typeCode: 'N051',
      remittanceInformation: 'SOME DESCRIPTION MORE DESC',
      counterparty: { name: 'MšLLER, GRETEL SOMECITY', iban: null, bic: null },
    });
    expect(parsed.statements[1]!.entries[1]).toMatchObject({
      amount: '-16.68',
      remittanceInformation: 'ZAHLBELEG 231231923123 RECH.NR. 1239812312 052331 VERTRAGSKONTO 1231239712',
      counterparty: { name: 'DEUTSCHE TELEKOM AG' },
    });
  });
});

describe('camt.052.001.02 intraday report (genkgo/camt)', () => {
  const parsed = read('camt/genkgo-camt052.v2.xml');

  it('reads the report as a statement without balances, its debit to the creditor', () => {
    expect(parsed.format).toBe('camt.052');
    expect(parsed.statements).toHaveLength(1);
    expect(parsed.statements[0]).toMatchObject({ id: 'AAAASESS-FP-ACCR001/12312', account: 'CH2801234000123456789', currency: 'SEK', opening: null, closing: null, consistent: true });
    expect(parsed.statements[0]!.entries).toEqual([
      expect.objectContaining({
        amount: '-200000.00',
        currency: 'SEK',
        bookingDate: '2007-10-18',
        valueDate: '2007-10-18',
        bankReference: 'AAAASESS-FP-ACCR-01',
        typeCode: 'PAYM-0001-0003',
        counterparty: { name: 'Company Name', iban: 'NL56AGDH9619008421', bic: 'BANKCHZHXXX' },
      }),
    ]);
    expect(parsed.warnings).toEqual([]);
  });
});

describe('camt.054.001.08 notification (genkgo/camt)', () => {
  const parsed = read('camt/genkgo-camt054.v8.xml');

  it('reads the notified batch entry with its entry-level fields', () => {
    expect(parsed.format).toBe('camt.054');
    expect(parsed.statements[0]).toMatchObject({ id: 'AAAASESS-FP-ACCR001/12312', account: 'CH2801234000123456789', opening: null, closing: null });
    expect(parsed.statements[0]!.entries).toEqual([
      expect.objectContaining({ amount: '-200000.00', currency: 'SEK', bankReference: 'ACSR160617103200001', typeCode: 'PMNT-ICDT-DMCT', counterparty: null, information: 'Order' }),
    ]);
  });
});

describe('ASN Bank (Netherlands), 31 daily MT940 messages in SWIFT envelopes', () => {
  const parsed = read('mt940/asn-nl.sta');

  it('reads every day, each adding up, without a warning', () => {
    expect(parsed.statements).toHaveLength(31);
    expect(parsed.statements.every((statement) => statement.consistent && statement.account === 'NL81ASNB9999999999')).toBe(true);
    expect(parsed.statements.map((statement) => statement.entries.length).reduce((sum, count) => sum + count, 0)).toBe(8);
    expect(parsed.statements[0]!.opening).toEqual({ amount: '444.29', date: '2020-01-01' });
    expect(parsed.statements[30]!.closing).toEqual({ amount: '501.23', date: '2020-01-31' });
    expect(parsed.warnings).toEqual([]);
  });

  it('reads the other party from the first line of :86: and the text below it', () => {
    expect(parsed.statements[4]!.entries.map((entry) => [entry.amount, entry.typeCode, entry.counterparty?.name, entry.counterparty?.iban, entry.remittanceInformation])).toEqual([
      ['1000.00', 'NIOB', 'paulissen g j l m', 'NL56ASNB9999999999', 'INTERNE OVERBOEKING VIA MOBIEL'],
      ['-801.55', 'NIDB', 'international card services', 'NL08ABNA9999999999', '000000000000000000000000000000000 0000000000000000 Betaling aan ICS 99999999999 ICS Referentie: 2020-01-05 19:47 000000000000000'],
    ]);
    expect(parsed.statements[24]!.entries[0]).toMatchObject({ amount: '-1.65', typeCode: 'NDIV', counterparty: null, remittanceInformation: 'Kosten gebruik betaalrekening inclusief 1 betaalpas' });
  });
});

describe('Triodos (Netherlands), MT940 with ">" subfields', () => {
  const parsed = read('mt940/triodos-nl.sta');

  it('reads the purpose lines joined at their 27-character width', () => {
    expect(parsed.statements[0]!.entries.map((entry) => [entry.amount, entry.valueDate, entry.remittanceInformation])).toEqual([
      ['-15.70', '2011-01-01', 'ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010 TOT EN MET 31-12-2010'],
      ['-700.00', '2011-01-25', 'HUUR KANTOOR - FEB 2010'],
    ]);
  });

  it('says that the sample does not add up, by 111.40', () => {
    expect(parsed.statements[0]!.inconsistency).toBe(
      'the opening balance (:60F:) 4975.09 plus the 2 entries (-715.70) is 4259.39, but the closing balance (:62F:) is 4370.79 (a difference of 111.40)',
    );
  });
});
