import { describe, expect, it } from 'vitest';
import type { VoucherExport, VoucherLine } from '../export-model.js';
import { datevColumn, datevColumnHeadings, datevHeaderFieldCount, datevTextColumns } from './datev-columns.js';
import { datevAmount, writeDatevBuchungsstapel } from './datev-buchungsstapel.js';
import { ExportFormatError } from './export-format-error.js';
import { readCsvFields, type CsvField } from './testing/csv-reader.js';
import { realisticVoucherExport, testCompany, testLine, testVoucher, testVoucherExport, untaxedLine } from './testing/export-fixtures.js';

// Latin-1 and Windows-1252 agree on every byte these tests read back (0x80-0x9F aside).
function records(model: VoucherExport): CsvField[][] {
  return readCsvFields(writeDatevBuchungsstapel(model).toString('latin1'), ';');
}

interface Booking {
  umsatz: string;
  sollHaben: string;
  wkz: string;
  konto: string;
  gegenkonto: string;
  bu: string;
  belegdatum: string;
  belegfeld1: string;
  buchungstext: string;
}

function bookings(model: VoucherExport): Booking[] {
  return records(model)
    .slice(2)
    .map((row) => {
      const field = (column: number) => row[column - 1]!.value;
      return {
        umsatz: field(datevColumn.umsatz),
        sollHaben: field(datevColumn.sollHaben),
        wkz: field(datevColumn.wkzUmsatz),
        konto: field(datevColumn.konto),
        gegenkonto: field(datevColumn.gegenkonto),
        bu: field(datevColumn.buSchluessel),
        belegdatum: field(datevColumn.belegdatum),
        belegfeld1: field(datevColumn.belegfeld1),
        buchungstext: field(datevColumn.buchungstext),
      };
    });
}

/** "1.234,56"-free decimal comma amounts back to minor units, signed by S/H. */
function signedCents(booking: Booking): bigint {
  expect(booking.umsatz).toMatch(/^\d{1,10},\d{2}$/);
  const cents = BigInt(booking.umsatz.replace(',', ''));
  return booking.sollHaben === 'H' ? -cents : cents;
}

describe('writeDatevBuchungsstapel: header record', () => {
  const header = records(testVoucherExport())[0]!;

  it(`has ${datevHeaderFieldCount} fields`, () => {
    expect(header).toHaveLength(datevHeaderFieldCount);
  });

  it('fills the fields of DATEV-Format 700, Buchungsstapel version 13, in order', () => {
    const value = (number: number) => header[number - 1]!;
    const expected: [number, string, boolean][] = [
      [1, 'EXTF', true],
      [2, '700', false],
      [3, '21', false],
      [4, 'Buchungsstapel', true],
      [5, '13', false],
      [6, '20240402091530123', false],
      [7, '', false],
      [8, 'OU', true],
      [9, 'Outlay', true],
      [11, '29098', false],
      [12, '55003', false],
      [13, '20240101', false],
      [14, '4', false],
      [15, '20240301', false],
      [16, '20240331', false],
      [17, 'Outlay 20240301-20240331', true],
      [19, '1', false],
      [20, '0', false],
      [21, '0', false],
      [22, 'EUR', true],
    ];
    for (const [number, text, quoted] of expected) expect(value(number), `header field ${number}`).toEqual({ value: text, quoted });
  });

  it('starts the fiscal year in the company\'s first month (WJ-Beginn)', () => {
    const later = records(testVoucherExport({ company: testCompany({ fiscalYearStartMonth: 7 }) }))[0]!;
    expect(later[12]!.value).toBe('20230701');
  });
});

describe('writeDatevBuchungsstapel: columns', () => {
  it('writes the 125 column headings of Buchungsstapel version 13 on line 2', () => {
    const headings = records(testVoucherExport())[1]!.map((field) => field.value);
    expect(headings).toHaveLength(125);
    expect(headings.slice(0, 14)).toEqual([
      'Umsatz (ohne Soll/Haben-Kz)', 'Soll/Haben-Kennzeichen', 'WKZ Umsatz', 'Kurs', 'Basis-Umsatz', 'WKZ Basis-Umsatz', 'Konto',
      'Gegenkonto (ohne BU-Schlüssel)', 'BU-Schlüssel', 'Belegdatum', 'Belegfeld 1', 'Belegfeld 2', 'Skonto', 'Buchungstext',
    ]);
    expect(headings[113]).toBe('Festschreibung');
    expect(headings.at(-1)).toBe('Abw. Skontokonto');
    expect(headings).toEqual([...datevColumnHeadings]);
  });

  it('gives every booking 125 fields, text fields quoted and the others not', () => {
    const rows = records(realisticVoucherExport()).slice(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toHaveLength(125);
      row.forEach((field, index) => expect(field.quoted, `column ${index + 1}`).toBe(datevTextColumns.has(index + 1)));
    }
  });
});

describe('writeDatevBuchungsstapel: bookings', () => {
  it('books a line with a tax key as one row: gross, S, Konto an Gegenkonto, key, TTMM, Beleg, text', () => {
    expect(bookings(testVoucherExport())).toEqual([
      { umsatz: '119,00', sollHaben: 'S', wkz: 'EUR', konto: '4930', gegenkonto: '1210', bu: '0009', belegdatum: '0403', belegfeld1: 'rct_01HTEST0000000000000000001', buchungstext: 'Druckerpapier' },
    ]);
  });

  const cases: { name: string; lines: VoucherLine[]; expected: Partial<Booking>[] }[] = [
    {
      name: 'books net and VAT as two rows without a key when the tax code has no DATEV key',
      lines: [testLine({ accountCode: '4660', gross: 5_950n, vat: 950n, deductibleVat: 950n, datevTaxKey: null })],
      expected: [{ umsatz: '50,00', konto: '4660', bu: '' }, { umsatz: '9,50', konto: '1576', bu: '' }],
    },
    {
      name: 'books non-deductible VAT with the expense, in one row without a key',
      lines: [testLine({ accountCode: '4660', gross: 24_800n, vat: 4_960n, deductibleVat: 0n, vatAccountCode: null, datevTaxKey: null })],
      expected: [{ umsatz: '248,00', konto: '4660', bu: '' }],
    },
    {
      name: 'does not use the key when only part of the VAT is deductible (DATEV would deduct all)',
      lines: [testLine({ gross: 11_900n, vat: 1_900n, deductibleVat: 1_330n, datevTaxKey: 9 })],
      expected: [{ umsatz: '105,70', konto: '4930', bu: '' }, { umsatz: '13,30', konto: '1576', bu: '' }],
    },
    {
      name: 'books a line without VAT as one row without a key',
      lines: [untaxedLine({ gross: 1_000n })],
      expected: [{ umsatz: '10,00', konto: '4930', bu: '' }],
    },
    {
      name: 'pads a two-digit key to four digits',
      lines: [testLine({ datevTaxKey: 19 })],
      expected: [{ umsatz: '119,00', bu: '0019' }],
    },
    {
      name: 'books a refund as H with a positive amount',
      lines: [testLine({ gross: -11_900n, vat: -1_900n, deductibleVat: -1_900n })],
      expected: [{ umsatz: '119,00', sollHaben: 'H', bu: '0009' }],
    },
    {
      name: 'leaves out a zero line (DATEV refuses 0,00)',
      lines: [testLine(), untaxedLine({ gross: 0n })],
      expected: [{ umsatz: '119,00' }],
    },
  ];
  for (const { name, lines, expected } of cases) {
    it(name, () => {
      const rows = bookings(testVoucherExport({ vouchers: [testVoucher({ lines })] }));
      expect(rows).toHaveLength(expected.length);
      expected.forEach((fields, index) => expect(rows[index]).toMatchObject(fields));
    });
  }

  it('writes amounts with a decimal comma and no thousands separator', () => {
    expect(datevAmount(123_456_789n, 'EUR', 'x')).toBe('1234567,89');
    expect(datevAmount(5n, 'EUR', 'x')).toBe('0,05');
    expect(datevAmount(-1_250n, 'EUR', 'x')).toBe('12,50');
    expect(datevAmount(1_100n, 'JPY', 'x')).toBe('1100,00');
    expect(() => datevAmount(100_000_000_000_00n, 'EUR', 'x')).toThrow(/more than 10 digits/);
  });

  it('writes Belegdatum as DDMM', () => {
    const rows = bookings(testVoucherExport({ vouchers: [testVoucher({ date: '2024-03-09' }), testVoucher({ number: 2, date: '2024-03-31' })] }));
    expect(rows.map((row) => row.belegdatum)).toEqual(['0903', '3103']);
  });

  it('uses a Personenkonto one digit longer than the Sachkonten as Gegenkonto', () => {
    const rows = bookings(testVoucherExport({ vouchers: [testVoucher({ counterAccountCode: '70001' })] }));
    expect(rows[0]!.gegenkonto).toBe('70001');
  });
});

describe('writeDatevBuchungsstapel: text limits and encoding', () => {
  it('cuts Buchungstext to 60 characters and Belegfeld 1 to 36 of the characters DATEV admits', () => {
    const [row] = bookings(testVoucherExport({
      vouchers: [testVoucher({ documentReference: 'Beleg 2024/03: "Nr. 7" & mehr ÄÖÜ' + '9'.repeat(40), lines: [testLine({ text: 'Ü'.repeat(70) })] })],
    }));
    expect(row!.buchungstext).toBe('Ü'.repeat(60));
    expect(row!.belegfeld1).toBe(`Beleg2024/03Nr7&mehr${'9'.repeat(16)}`);
    expect(row!.belegfeld1).toHaveLength(36);
    expect(row!.belegfeld1).toMatch(/^[A-Za-z0-9_$&%*+\-/]*$/);
  });

  it('keeps every Buchungstext and Belegfeld 1 of the realistic month within the limits', () => {
    for (const row of bookings(realisticVoucherExport())) {
      expect(row.buchungstext.length).toBeLessThanOrEqual(60);
      expect(row.belegfeld1.length).toBeLessThanOrEqual(36);
    }
  });

  it('doubles quotes inside text and turns line breaks into spaces', () => {
    const [row] = bookings(testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ text: 'Restaurant "Zur Linde"\r\n3 Personen' })] })] }));
    expect(row!.buchungstext).toBe('Restaurant "Zur Linde"  3 Personen');
    expect(writeDatevBuchungsstapel(testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ text: 'a "b"' })] })] })).toString('latin1')).toContain(';"a ""b""";');
  });

  it('encodes the file in Windows-1252: ä is 0xE4, ü 0xFC, ß 0xDF, € 0x80', () => {
    const bytes = writeDatevBuchungsstapel(testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ text: 'Gebäck für Weiß 5 €' })] })] }));
    expect(bytes.includes(Buffer.from([0x47, 0x65, 0x62, 0xe4, 0x63, 0x6b, 0x20, 0x66, 0xfc, 0x72, 0x20, 0x57, 0x65, 0x69, 0xdf, 0x20, 0x35, 0x20, 0x80]))).toBe(true);
    expect(bytes.includes(Buffer.from('ä', 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('Gegenkonto (ohne BU-Schl\xfcssel)', 'latin1'))).toBe(true);
  });

  it('ends every record in CRLF', () => {
    const text = writeDatevBuchungsstapel(realisticVoucherExport()).toString('latin1');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });
});

describe('writeDatevBuchungsstapel: totals', () => {
  it('sums each voucher\'s rows to its total, and all rows to the month\'s total', () => {
    const model = realisticVoucherExport();
    const rows = records(model).slice(2);
    const all = bookings(model);
    const byReference = new Map<string, bigint>();
    for (const row of all) byReference.set(row.belegfeld1, (byReference.get(row.belegfeld1) ?? 0n) + signedCents(row));
    for (const voucher of model.vouchers) expect(byReference.get(voucher.documentReference), `voucher ${voucher.number}`).toBe(voucher.total);
    expect(all.reduce((sum, row) => sum + signedCents(row), 0n)).toBe(model.vouchers.reduce((sum, voucher) => sum + voucher.total, 0n));
    expect(rows).toHaveLength(7);
  });
});

describe('writeDatevBuchungsstapel: refusals', () => {
  const cases: { name: string; model: VoucherExport; message: RegExp }[] = [
    { name: 'a voucher dated outside the period', model: testVoucherExport({ vouchers: [testVoucher({ date: '2024-02-29' })] }), message: /voucher 1 .*dated 2024-02-29, outside the export's period/ },
    { name: 'a period across the fiscal year end', model: testVoucherExport({ from: '2023-12-01', to: '2024-01-31', vouchers: [] }), message: /crosses the fiscal year end 2023-12-31/ },
    { name: 'a company without a Beraternummer', model: testVoucherExport({ company: testCompany({ datevConsultantNumber: null }) }), message: /Beraternummer is not set/ },
    { name: 'a Beraternummer below 1001', model: testVoucherExport({ company: testCompany({ datevConsultantNumber: 1000 }) }), message: /Beraternummer is 1000; DATEV needs 1001-9999999/ },
    { name: 'a Mandantennummer above 99999', model: testVoucherExport({ company: testCompany({ datevClientNumber: 100_000 }) }), message: /Mandantennummer is 100000/ },
    { name: 'an account that is not digits', model: testVoucherExport({ vouchers: [testVoucher({ lines: [untaxedLine({ accountCode: 'card_spend' })] })] }), message: /account card_spend: is not a DATEV account number/ },
    { name: 'accounts of different lengths', model: testVoucherExport({ vouchers: [testVoucher({ lines: [testLine(), untaxedLine({ accountCode: '49300' })] })] }), message: /different lengths \(4, 5\)/ },
    { name: 'a counter account two digits too long', model: testVoucherExport({ vouchers: [testVoucher({ counterAccountCode: '700001' })] }), message: /counter account 700001 is neither/ },
    { name: 'a currency with three decimals', model: testVoucherExport({ company: testCompany({ currency: 'KWD' }) }), message: /KWD has 3 decimals/ },
    { name: 'a voucher whose lines miss its total', model: testVoucherExport({ vouchers: [testVoucher({ total: 100n })] }), message: /lines sum to 11900/ },
  ];
  for (const { name, model, message } of cases) {
    it(`refuses ${name}`, () => {
      expect(() => writeDatevBuchungsstapel(model)).toThrow(ExportFormatError);
      expect(() => writeDatevBuchungsstapel(model)).toThrow(message);
    });
  }
});
