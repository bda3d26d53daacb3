import { describe, expect, it } from 'vitest';
import { parseBalance, parseEntryTotal, parseFloorLimit, parseStatementLine } from './mt940-fields.js';
import { StatementValueError } from './statement-parse-error.js';

describe(':61: statement line', () => {
  // One row a layout banks send; references are split at the first "//" (SWIFT subfield 8).
  it.each([
    ['0709040904DR500250,NTRFKREF+//BD7CFA74485E7E69', { mark: 'D', written: '500250,', typeCode: 'NTRF', customerReference: 'KREF+', bankReference: 'BD7CFA74485E7E69' }],
    ['0709070904CR50990,05NTRFNONREF//0724710333343453', { mark: 'C', written: '50990,05', customerReference: 'NONREF', bankReference: '0724710333343453' }],
    ['0709040904DR326609,66NTRFTFNr 01008 MEBB//9A4616CC6128D651', { customerReference: 'TFNr 01008 MEBB', bankReference: '9A4616CC6128D651' }],
    ['0211011102DR800,NSTONONREF//55555', { mark: 'D', entryDate: '2002-11-02', customerReference: 'NONREF', bankReference: '55555' }],
    ['0709040904RCR204,88NRTIMSGIDCTSc03MintT//R724710290656678', { mark: 'RC', written: '204,88', typeCode: 'NRTI', customerReference: 'MSGIDCTSc03MintT' }],
    ['110701CN50,00NZ10NONREF', { mark: 'C', entryDate: null, written: '50,00', typeCode: 'NZ10', bankReference: null }],
    ['131017D620,3NSTON', { mark: 'D', written: '620,3', typeCode: 'NSTO', customerReference: 'N' }],
    ['1409010902DR000000000001,62NTRF0000549855700010//025498557/000001', { written: '000000000001,62', customerReference: '0000549855700010', bankReference: '025498557/000001' }],
    ['240105RD12,50FCHG', { mark: 'RD', typeCode: 'FCHG', customerReference: null }],
    ['1710111011DF2402,00S   X', { mark: 'D', written: '2402,00', typeCode: null, customerReference: 'S   X' }],
    ['240105C12,00//BANK-9', { written: '12,00', typeCode: null, customerReference: null, bankReference: 'BANK-9' }],
    ['240105C1200NTRFX', { written: '1200', amount: { units: 1200n, scale: 0 }, typeCode: 'NTRF' }],
    ['240105C0,NTRFX', { written: '0,', amount: { units: 0n, scale: 0 } }],
  ])('reads %s', (value, expected) => {
    expect(parseStatementLine([value])).toMatchObject(expected);
  });

  it.each([
    ['1710111011DF2402,00S   X', ['transaction_type_missing']],
    ['240105C1200NTRFX', ['amount_without_decimal_comma']],
    ['240105C0,NTRFX', ['zero_amount']],
    ['2302300230C1,NTRFX', ['date_not_in_calendar', 'date_not_in_calendar']],
    ['240105C1,NTRFX', []],
  ])('notes what is unusual in %s', (value, codes) => {
    const noted: string[] = [];
    parseStatementLine([value], (code) => noted.push(code));
    expect(noted).toEqual(codes);
  });

  it('reads the supplementary details from the second line', () => {
    expect(parseStatementLine(['0310201020C20000,00FMSCNONREF//8327000090031789', 'Card transaction']).supplementaryDetails).toBe('Card transaction');
  });

  it.each([
    ['24010', 'value date "24010" is not a date (YYMMDD)'],
    ['240105C1,00XYZ', 'no transaction type (N, S or F and three characters, e.g. NTRF) after the amount in "240105C1,00XYZ"'],
    ['240105C', 'no transaction type (N, S or F and three characters, e.g. NTRF) after the amount in "240105C"'],
    ['240105C1.00NTRFX', 'amount "1.00" is not a decimal (SWIFT 15d: digits with a decimal comma, at most 15 characters)'],
    ['2401051399C1,00NTRFX', 'entry date "1399" is not a date (MMDD)'],
    ['240105C1234567890123,45NTRFX', 'amount "1234567890123,45" is not a decimal (SWIFT 15d: digits with a decimal comma, at most 15 characters)'],
  ])('refuses %s', (value, detail) => {
    expect(() => parseStatementLine([value])).toThrow(new StatementValueError(detail));
  });
});

describe('balances and MT942 totals', () => {
  it('reads a balance: mark, date, currency and amount as written', () => {
    expect(parseBalance('D140829EUR000000000147,64')).toMatchObject({ debit: true, date: '2014-08-29', currency: 'EUR', amount: { units: 14764n, scale: 2 } });
  });

  it.each([
    ['X140829EUR1,00', 'debit/credit mark "X" is not C or D'],
    ['C140829eur1,00', 'currency "eur" is not an ISO 4217 code'],
    ['C140829EUR-1,00', 'amount "-1,00" is not a decimal (SWIFT 15d: digits with a decimal comma, at most 15 characters)'],
    ['C140829EUR', 'amount "" is not a decimal (SWIFT 15d: digits with a decimal comma, at most 15 characters)'],
  ])('refuses the balance %s', (value, detail) => {
    expect(() => parseBalance(value)).toThrow(new StatementValueError(detail));
  });

  it('reads a floor limit with and without a mark', () => {
    expect(parseFloorLimit('EUR0,')).toMatchObject({ currency: 'EUR', debit: null });
    expect(parseFloorLimit('EURD100,')).toMatchObject({ currency: 'EUR', debit: true, amount: { units: 100n, scale: 0 } });
  });

  it('reads an entry total and refuses one without a count', () => {
    expect(parseEntryTotal('00002EUR6,25')).toMatchObject({ count: 2, currency: 'EUR', written: '6,25' });
    expect(() => parseEntryTotal('EUR6,25')).toThrow(StatementValueError);
  });
});
