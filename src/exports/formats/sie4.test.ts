import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../money/money.js';
import type { VoucherExport } from '../export-model.js';
import { encodeCp437 } from './cp437.js';
import { ExportFormatError } from './export-format-error.js';
import { sieText, writeSie4 } from './sie4.js';
import { readSie, type SieFile } from './testing/sie-reader.js';
import { realisticVoucherExport, testCompany, testLine, testVoucher, testVoucherExport, untaxedLine } from './testing/export-fixtures.js';

function sie(model: VoucherExport): SieFile {
  return readSie(writeSie4(model));
}

function record(file: SieFile, label: string): string[] {
  const found = file.records.filter((r) => r.label === label);
  expect(found, label).toHaveLength(1);
  return found[0]!.fields;
}

const amount = (text: string, currency = 'EUR') => parseAmount(text, currency, { allowNegative: true, allowZero: true });

describe('writeSie4: identification records', () => {
  const model = testVoucherExport({ company: testCompany({ organisationNumber: '556677-8899' }) });

  it('writes the required records in the order of SIE 4B, then accounts, then vouchers', () => {
    const labels = sie(model).records.map((r) => r.label);
    const header = ['#FLAGGA', '#PROGRAM', '#FORMAT', '#GEN', '#SIETYP', '#ORGNR', '#FNAMN', '#RAR', '#KPTYP', '#VALUTA'];
    expect(labels.slice(0, header.length)).toEqual(header);
    const rest = labels.slice(header.length);
    expect(rest.indexOf('#VER')).toBeGreaterThan(rest.lastIndexOf('#KONTO'));
    expect(new Set(rest)).toEqual(new Set(['#KONTO', '#VER']));
  });

  it('fills them from the model', () => {
    const file = sie(model);
    expect(record(file, '#FLAGGA')).toEqual(['0']);
    expect(record(file, '#PROGRAM')).toEqual(['Outlay', '1.0']);
    expect(record(file, '#FORMAT')).toEqual(['PC8']);
    expect(record(file, '#GEN')).toEqual(['20240402']);
    expect(record(file, '#SIETYP')).toEqual(['4']);
    expect(record(file, '#ORGNR')).toEqual(['556677-8899']);
    expect(record(file, '#FNAMN')).toEqual(['Nordlicht Möbel GmbH']);
    expect(record(file, '#RAR')).toEqual(['0', '20240101', '20241231']);
    expect(record(file, '#KPTYP')).toEqual(['BAS2014']);
    expect(record(file, '#VALUTA')).toEqual(['EUR']);
  });

  it('leaves #ORGNR out when the organisation number is not known', () => {
    expect(sie(testVoucherExport()).records.map((r) => r.label)).not.toContain('#ORGNR');
  });

  const years: { name: string; startMonth: number; from: string; to: string; expected: string[][] }[] = [
    { name: 'a calendar year', startMonth: 1, from: '2024-03-01', to: '2024-03-31', expected: [['0', '20240101', '20241231']] },
    { name: 'a fiscal year from July, period before July', startMonth: 7, from: '2024-03-01', to: '2024-03-31', expected: [['0', '20230701', '20240630']] },
    { name: 'a fiscal year from July, period from July', startMonth: 7, from: '2024-07-01', to: '2024-07-31', expected: [['0', '20240701', '20250630']] },
    { name: 'a fiscal year from March, ending on a leap day', startMonth: 3, from: '2023-03-01', to: '2023-03-31', expected: [['0', '20230301', '20240229']] },
    {
      name: 'a period across the year end (#RAR 0 and -1)',
      startMonth: 1,
      from: '2023-12-01',
      to: '2024-01-31',
      expected: [['0', '20240101', '20241231'], ['-1', '20230101', '20231231']],
    },
  ];
  for (const { name, startMonth, from, to, expected } of years) {
    it(`declares the fiscal years of the period: ${name}`, () => {
      const file = sie(testVoucherExport({ company: testCompany({ fiscalYearStartMonth: startMonth }), from, to, vouchers: [testVoucher({ date: from })] }));
      expect(file.records.filter((r) => r.label === '#RAR').map((r) => r.fields)).toEqual(expected);
    });
  }
});

describe('writeSie4: accounts', () => {
  it('declares every account a voucher uses, with its name, in number order, and no other', () => {
    const file = sie(realisticVoucherExport());
    expect(file.records.filter((r) => r.label === '#KONTO').map((r) => r.fields)).toEqual([
      ['1210', 'Outlay Wallet'],
      ['1571', 'Abziehbare Vorsteuer 7 %'],
      ['1576', 'Abziehbare Vorsteuer 19 %'],
      ['1740', 'Verbindlichkeiten gegenüber Mitarbeitern'],
      ['4650', 'Bewirtungskosten'],
      ['4660', 'Reisekosten Arbeitnehmer'],
      ['4930', 'Bürobedarf'],
      ['4940', 'Zeitschriften, Bücher'],
    ]);
    const small = sie(testVoucherExport({ vouchers: [testVoucher({ lines: [untaxedLine()] })] }));
    expect(small.records.filter((r) => r.label === '#KONTO').map((r) => r.fields[0])).toEqual(['1210', '4930']);
  });
});

describe('writeSie4: vouchers', () => {
  it('writes #VER series, number, date and text, and #TRANS account, objects, amount, date, text', () => {
    const [voucher] = sie(testVoucherExport()).vouchers;
    expect(voucher!.ver.fields).toEqual(['O', '1', '20240304', 'Büro Müller']);
    expect(voucher!.transactions.map((t) => t.fields)).toEqual([
      ['4930', '{}', '100.00', '20240304', 'Druckerpapier'],
      ['1576', '{}', '19.00', '20240304', 'Druckerpapier'],
      ['1210', '{}', '-119.00', '20240304', 'Büro Müller'],
    ]);
  });

  const cases: { name: string; model: VoucherExport; expected: [string, string][] }[] = [
    {
      name: 'books non-deductible VAT to the expense and writes no VAT line',
      model: testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ accountCode: '4660', gross: 24_800n, vat: 4_960n, deductibleVat: 0n, vatAccountCode: null })] })] }),
      expected: [['4660', '248.00'], ['1210', '-248.00']],
    },
    {
      name: 'books partly deductible VAT: the rest stays in the expense',
      model: testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ gross: 11_900n, vat: 1_900n, deductibleVat: 1_330n })] })] }),
      expected: [['4930', '105.70'], ['1576', '13.30'], ['1210', '-119.00']],
    },
    {
      name: 'writes one #TRANS pair per split line, credit last',
      model: testVoucherExport({ vouchers: [testVoucher({ counterAccountCode: '1740', lines: [testLine(), untaxedLine({ accountCode: '4650', gross: 1_000n })] })] }),
      expected: [['4930', '100.00'], ['1576', '19.00'], ['4650', '10.00'], ['1740', '-129.00']],
    },
    {
      name: 'writes a refund with the signs turned',
      model: testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ gross: -11_900n, vat: -1_900n, deductibleVat: -1_900n })] })] }),
      expected: [['4930', '-100.00'], ['1576', '-19.00'], ['1210', '119.00']],
    },
    {
      name: 'writes amounts of a currency without decimals as whole numbers',
      model: testVoucherExport({ company: testCompany({ currency: 'JPY' }), vouchers: [testVoucher({ lines: [untaxedLine({ gross: 1_100n })] })] }),
      expected: [['4930', '1100'], ['1210', '-1100']],
    },
  ];
  for (const { name, model, expected } of cases) {
    it(name, () => {
      const [voucher] = sie(model).vouchers;
      expect(voucher!.transactions.map((t) => [t.fields[0], t.fields[2]])).toEqual(expected);
    });
  }

  it('balances every #VER of the realistic month and books exactly the model\'s amounts per account', () => {
    const model = realisticVoucherExport();
    const file = sie(model);
    expect(file.vouchers).toHaveLength(model.vouchers.length);
    const expected = new Map<string, bigint>();
    const add = (code: string, value: bigint) => expected.set(code, (expected.get(code) ?? 0n) + value);
    for (const voucher of model.vouchers) {
      add(voucher.counterAccountCode, -voucher.total);
      for (const line of voucher.lines) {
        add(line.accountCode, line.gross - line.deductibleVat);
        if (line.vatAccountCode) add(line.vatAccountCode, line.deductibleVat);
      }
    }
    const booked = new Map<string, bigint>();
    file.vouchers.forEach((voucher, index) => {
      expect(voucher.ver.fields.slice(0, 3)).toEqual(['O', String(model.vouchers[index]!.number), model.vouchers[index]!.date.replaceAll('-', '')]);
      const sum = voucher.transactions.reduce((total, t) => total + amount(t.fields[2]!), 0n);
      expect(sum, `#VER ${voucher.ver.fields[1]}`).toBe(0n);
      for (const t of voucher.transactions) booked.set(t.fields[0]!, (booked.get(t.fields[0]!) ?? 0n) + amount(t.fields[2]!));
    });
    expect(booked).toEqual(new Map([...expected].filter(([, value]) => value !== 0n)));
  });
});

describe('writeSie4: text and encoding', () => {
  it('encodes the file in CP437: å is byte 0x86, and so on for the Nordic and German letters', () => {
    const bytes = writeSie4(testVoucherExport({ company: testCompany({ name: 'Åsa Öberg Ärende AB' }), vouchers: [testVoucher({ text: 'å ä ö é ü' })] }));
    const expected = Buffer.from([0x8f, 0x73, 0x61, 0x20, 0x99, 0x62, 0x65, 0x72, 0x67, 0x20, 0x8e, 0x72, 0x65, 0x6e, 0x64, 0x65, 0x20, 0x41, 0x42]);
    expect(bytes.includes(Buffer.concat([Buffer.from('#FNAMN "'), expected, Buffer.from('"\r\n')]))).toBe(true);
    expect(bytes.includes(Buffer.from([0x86, 0x20, 0x84, 0x20, 0x94, 0x20, 0x82, 0x20, 0x81]))).toBe(true);
    expect(bytes.includes(Buffer.from('å', 'utf8'))).toBe(false);
  });

  it('writes an account name with "å" with the byte 0x86', () => {
    const accounts = testVoucherExport().accounts.map((account) => (account.code === '4930' ? { ...account, name: 'Logi på hotell' } : account));
    const bytes = writeSie4(testVoucherExport({ accounts }));
    expect(bytes.includes(Buffer.from('#KONTO 4930 "Logi p\x86 hotell"\r\n', 'latin1'))).toBe(true);
    expect(readSie(bytes).records.find((r) => r.label === '#KONTO' && r.fields[0] === '4930')!.fields[1]).toBe('Logi på hotell');
  });

  it('writes a character CP437 lacks as its look-alike, without its accent, or as "?"', () => {
    expect(encodeCp437('„Bilanzen“ Köln–Hamburg 5 €').toString('latin1')).toBe("'Bilanzen' K\x94ln-Hamburg 5 EUR");
    expect([...encodeCp437('ő')]).toEqual([0x6f]);
    expect(encodeCp437('Ł 漢 😀').toString('latin1')).toBe('? ? ?');
  });

  it('escapes inner quotes as \\" and reads them back', () => {
    const bytes = writeSie4(testVoucherExport({ vouchers: [testVoucher({ text: 'Restaurant "Zur Linde"' })] }));
    expect(bytes.toString('latin1')).toContain('"Restaurant \\"Zur Linde\\""');
    expect(readSie(bytes).vouchers[0]!.ver.fields[3]).toBe('Restaurant "Zur Linde"');
  });

  it('turns control characters into spaces and a backslash into "/", so no record breaks', () => {
    expect(sieText('two\r\nlines\ttab')).toBe('"two  lines tab"');
    expect(sieText('ends with \\')).toBe('"ends with /"');
    const file = sie(testVoucherExport({ vouchers: [testVoucher({ text: 'a\nb \\"c', lines: [testLine({ text: 'x\r\ny' })] })] }));
    expect(file.vouchers[0]!.ver.fields[3]).toBe('a b /"c');
    expect(file.vouchers[0]!.transactions[0]!.fields[4]).toBe('x  y');
  });

  it('ends every line in CRLF', () => {
    const text = writeSie4(realisticVoucherExport()).toString('latin1');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });
});

describe('writeSie4: refusals', () => {
  const cases: { name: string; model: VoucherExport; message: RegExp }[] = [
    { name: 'a period whose end is before its start', model: testVoucherExport({ from: '2024-03-31', to: '2024-03-01' }), message: /starts \(2024-03-31\) after it ends/ },
    { name: 'a fiscal year starting in month 13', model: testVoucherExport({ company: testCompany({ fiscalYearStartMonth: 13 }) }), message: /first month is 13/ },
    { name: 'a currency with three decimals', model: testVoucherExport({ company: testCompany({ currency: 'KWD' }) }), message: /KWD has 3 decimals/ },
    { name: 'a voucher dated outside the period', model: testVoucherExport({ vouchers: [testVoucher({ date: '2024-04-01' })] }), message: /voucher 1 .*dated 2024-04-01, outside/ },
    { name: 'an account that is not a number', model: testVoucherExport({ vouchers: [testVoucher({ counterAccountCode: 'wallet' })] }), message: /account "wallet" is not an SIE account number/ },
    { name: 'an account without a name', model: testVoucherExport({ vouchers: [testVoucher({ lines: [untaxedLine({ accountCode: '6110' })] })] }), message: /account 6110 is not in the export's accounts/ },
    { name: 'two vouchers with one number', model: testVoucherExport({ vouchers: [testVoucher(), testVoucher()] }), message: /voucher 1 .*number of its own/ },
    { name: 'deductible VAT without a VAT account', model: testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ vatAccountCode: null })] })] }), message: /line 1: has deductible VAT but no VAT account/ },
    { name: 'more deductible VAT than VAT', model: testVoucherExport({ vouchers: [testVoucher({ lines: [testLine({ deductibleVat: 2_000n })] })] }), message: /deductible VAT\| <= \|VAT\|/ },
    { name: 'a period of more than ten fiscal years', model: testVoucherExport({ from: '2000-01-01', to: '2024-03-31' }), message: /more than 10 fiscal years/ },
  ];
  for (const { name, model, message } of cases) {
    it(`refuses ${name}`, () => {
      expect(() => writeSie4(model)).toThrow(ExportFormatError);
      expect(() => writeSie4(model)).toThrow(message);
    });
  }
});
