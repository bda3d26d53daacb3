import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../money/money.js';
import { expenseCsvColumns, guardFormula, quoteCsvField, writeExpenseCsv } from './expense-csv.js';
import { ExportFormatError } from './export-format-error.js';
import { readCsv } from './testing/csv-reader.js';
import { realisticVoucherExport, testCompany, testLine, testVoucher, testVoucherExport, untaxedLine } from './testing/export-fixtures.js';
import type { VoucherExport } from '../export-model.js';

function rows(model: VoucherExport): Record<string, string>[] {
  const bytes = writeExpenseCsv(model);
  const [header, ...records] = readCsv(bytes.subarray(3).toString('utf8'));
  return records.map((record) => Object.fromEntries(header!.map((column, index) => [column, record[index]!])));
}

describe('writeExpenseCsv: the file', () => {
  it('starts with a UTF-8 byte order mark, ends every record in CRLF and has no bare LF', () => {
    const bytes = writeExpenseCsv(realisticVoucherExport());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('writes the documented header row', () => {
    const text = writeExpenseCsv(testVoucherExport()).subarray(3).toString('utf8');
    expect(readCsv(text)[0]).toEqual([...expenseCsvColumns]);
    expect(expenseCsvColumns).toEqual([
      'voucher_number', 'date', 'expense_id', 'document_reference', 'person', 'text', 'account_code', 'account_name',
      'gross', 'net', 'vat', 'deductible_vat', 'vat_account', 'tax_code', 'tax_rate', 'counter_account', 'tags', 'currency',
    ]);
  });

  it('writes only the header when there are no vouchers', () => {
    const text = writeExpenseCsv(testVoucherExport({ vouchers: [] })).subarray(3).toString('utf8');
    expect(text).toBe(`${expenseCsvColumns.join(',')}\r\n`);
  });

  it('writes one row per voucher line, every row with every column', () => {
    const model = realisticVoucherExport();
    const text = writeExpenseCsv(model).subarray(3).toString('utf8');
    const records = readCsv(text).slice(1);
    expect(records).toHaveLength(model.vouchers.reduce((count, voucher) => count + voucher.lines.length, 0));
    for (const record of records) expect(record).toHaveLength(expenseCsvColumns.length);
  });
});

describe('writeExpenseCsv: a line', () => {
  it('fills every column from the voucher and its line', () => {
    const model = testVoucherExport({
      vouchers: [testVoucher({ tags: [{ group: 'Projekt', name: 'Umzug Köln' }, { group: 'Team', name: 'Ops' }] })],
    });
    expect(rows(model)[0]).toEqual({
      voucher_number: '1',
      date: '2024-03-04',
      expense_id: 'exp_01HTEST0000000000000000001',
      document_reference: 'rct_01HTEST0000000000000000001',
      person: 'Jürgen Weiß',
      text: 'Druckerpapier',
      account_code: '4930',
      account_name: 'Bürobedarf',
      gross: '119.00',
      net: '100.00',
      vat: '19.00',
      deductible_vat: '19.00',
      vat_account: '1576',
      tax_code: 'V19',
      tax_rate: '19',
      counter_account: '1210',
      tags: 'Projekt: Umzug Köln; Team: Ops',
      currency: 'EUR',
    });
  });

  const cases: { name: string; model: VoucherExport; expected: Record<string, string> }[] = [
    {
      name: 'keeps non-deductible VAT in the net',
      model: testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ gross: 12_500n, vat: 2_500n, deductibleVat: 0n, vatAccountCode: null })] })] }),
      expected: { gross: '125.00', net: '125.00', vat: '25.00', deductible_vat: '0.00', vat_account: '' },
    },
    {
      name: 'leaves tax columns empty on a line without a tax code',
      model: testVoucherExport({ vouchers: [testVoucher({ lines: [untaxedLine({ gross: 1_000n })] })] }),
      expected: { net: '10.00', vat: '0.00', tax_code: '', tax_rate: '', vat_account: '' },
    },
    {
      name: 'uses the voucher text when the line has none',
      model: testVoucherExport({ vouchers: [testVoucher({ text: 'Taxi', lines: [testLine({ text: ' ' })] })] }),
      expected: { text: 'Taxi' },
    },
    {
      name: 'writes amounts with the currency decimals (JPY has none)',
      model: testVoucherExport({ company: testCompany({ currency: 'JPY' }), vouchers: [testVoucher({ lines: [testLine({ gross: 1_100n, vat: 100n, deductibleVat: 100n })] })] }),
      expected: { gross: '1100', net: '1000', vat: '100', currency: 'JPY' },
    },
    {
      name: 'writes a refund as negative amounts without an apostrophe',
      model: testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ gross: -11_900n, vat: -1_900n, deductibleVat: -1_900n })] })] }),
      expected: { gross: '-119.00', net: '-100.00', vat: '-19.00', deductible_vat: '-19.00' },
    },
    {
      name: 'keeps a tax rate with decimals',
      model: testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ taxRatePercent: '7.5' })] })] }),
      expected: { tax_rate: '7.5' },
    },
  ];
  for (const { name, model, expected } of cases) {
    it(name, () => {
      expect(rows(model)[0]).toMatchObject(expected);
    });
  }
});

describe('writeExpenseCsv: quoting (RFC 4180) and formula injection', () => {
  it('quotes fields with a comma, quote, CR or LF and doubles the quotes', () => {
    expect(quoteCsvField('plain text')).toBe('plain text');
    expect(quoteCsvField('a,b')).toBe('"a,b"');
    expect(quoteCsvField('Restaurant "Zur Linde"')).toBe('"Restaurant ""Zur Linde"""');
    expect(quoteCsvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(quoteCsvField('line\nfeed')).toBe('"line\nfeed"');
  });

  it('puts an apostrophe before a cell that a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(guardFormula(`${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
    expect(guardFormula('Taxi = 12')).toBe('Taxi = 12');
    expect(guardFormula("'already")).toBe("'already");
  });

  it('reads back tricky text exactly, guarded where it starts like a formula', () => {
    const model = testVoucherExport({
      vouchers: [
        testVoucher({
          person: '=HYPERLINK("http://evil.example","click")',
          text: 'fallback',
          tags: [{ group: '@team', name: 'a, b' }],
          lines: [testLine({ text: 'Zeile 1\r\nZeile 2, "zitiert"' }), testLine({ text: '-minus first', gross: 100n, vat: 0n, deductibleVat: 0n })],
        }),
      ],
    });
    const [first, second] = rows(model);
    expect(first!.person).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(first!.text).toBe('Zeile 1\r\nZeile 2, "zitiert"');
    expect(first!.tags).toBe("'@team: a, b");
    expect(second!.text).toBe("'-minus first");
  });
});

describe('writeExpenseCsv: totals', () => {
  it('sums each voucher\'s gross column to its total, and net + deductible VAT to the gross', () => {
    const model = realisticVoucherExport();
    const records = rows(model);
    for (const voucher of model.vouchers) {
      const mine = records.filter((record) => record.voucher_number === String(voucher.number));
      const gross = mine.reduce((sum, record) => sum + parseAmount(record.gross!, 'EUR', { allowZero: true, allowNegative: true }), 0n);
      expect(gross).toBe(voucher.total);
      for (const record of mine) {
        const amount = (column: string) => parseAmount(record[column]!, 'EUR', { allowZero: true, allowNegative: true });
        expect(amount('net') + amount('deductible_vat')).toBe(amount('gross'));
      }
    }
  });
});

describe('writeExpenseCsv: refusals', () => {
  it('refuses a voucher whose lines do not sum to its total', () => {
    const model = testVoucherExport({ vouchers: [testVoucher({ total: 1n })] });
    expect(() => writeExpenseCsv(model)).toThrow(ExportFormatError);
    expect(() => writeExpenseCsv(model)).toThrow(/voucher 1 .*lines sum to 11900 minor units, its total is 1/);
  });

  it('refuses a line booked to an account the export does not name', () => {
    const model = testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ accountCode: '9999' })] })] });
    expect(() => writeExpenseCsv(model)).toThrow(/account 9999 is not in the export's accounts/);
  });
});
