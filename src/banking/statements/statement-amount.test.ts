import { describe, expect, it } from 'vitest';
import { formatExactAmount, inCurrency, parseIsoAmount, parseSwiftAmount, sameAmount, sumAmounts } from './statement-amount.js';

describe('statement amounts', () => {
  it.each([
    ['380115,12', 38011512n, 2],
    ['380115,1', 3801151n, 1],
    ['380115,', 380115n, 0],
    ['00,12', 12n, 2],
    ['000000000147,64', 14764n, 2],
  ])('reads the SWIFT amount %s exactly', (text, units, scale) => {
    expect(parseSwiftAmount(text)).toEqual({ units, scale });
  });

  it.each([
    ['12', 12n, 0, ['amount_without_decimal_comma']],
    ['0', 0n, 0, ['amount_without_decimal_comma']],
    ['0000000000000000000147,64', 14764n, 2, ['amount_zero_padded']],
    ['00000000000000000147', 147n, 0, ['amount_without_decimal_comma', 'amount_zero_padded']],
  ])('reads the SWIFT amount %s as a person would, noting what is unusual', (text, units, scale, codes) => {
    const noted: string[] = [];
    expect(parseSwiftAmount(text, (code) => noted.push(code))).toEqual({ units, scale });
    expect(noted).toEqual(codes);
  });

  it.each([',12', '', '1.234,56', '1.00', '1 234,56', '-1,00', '+1,00', '12x,00', '1234567890123,45', '01234567890123456', '1,2,3'])('refuses the SWIFT amount "%s"', (text) => {
    expect(() => parseSwiftAmount(text)).toThrow(`amount "${text}" is not a decimal`);
  });

  it.each(['8.85', '2700', '0.00001'])('reads the ISO amount %s', (text) => {
    expect(formatExactAmount(parseIsoAmount(text), null)).toBe(text);
  });

  it.each(['-8.85', '8,85', '1e3', '.5', ' 8.85', '1234567890123456789'])('refuses the ISO amount "%s"', (text) => {
    expect(() => parseIsoAmount(text)).toThrow(`amount "${text}" is not a decimal`);
  });

  it('brings amounts to the currency minor unit: JPY 0, EUR 2, KWD 3 decimals', () => {
    expect(formatExactAmount(inCurrency(parseSwiftAmount('2700,'), 'JPY', '2700,'), 'JPY')).toBe('2700');
    expect(formatExactAmount(inCurrency(parseSwiftAmount('5,'), 'EUR', '5,'), 'EUR')).toBe('5.00');
    expect(formatExactAmount(inCurrency(parseIsoAmount('0.005'), 'KWD', '0.005'), 'KWD')).toBe('0.005');
  });

  it('accepts zeros beyond the minor unit and refuses any other digit there', () => {
    expect(formatExactAmount(inCurrency(parseIsoAmount('8.850'), 'EUR', '8.850'), 'EUR')).toBe('8.85');
    expect(() => inCurrency(parseIsoAmount('8.855'), 'EUR', '8.855')).toThrow('amount "8.855" has 3 decimals, but EUR has 2');
    expect(() => inCurrency(parseIsoAmount('1.5'), 'JPY', '1.5')).toThrow('amount "1.5" has 1 decimals, but JPY has 0');
  });

  it('sums amounts of different written scales exactly, far beyond what a float holds', () => {
    const sum = sumAmounts([parseIsoAmount('9007199254740993.01'), parseIsoAmount('0.1'), { units: -2n, scale: 0 }]);
    expect(formatExactAmount(sum, null)).toBe('9007199254740991.11');
    expect(sameAmount(parseIsoAmount('1.10'), parseIsoAmount('1.1'))).toBe(true);
  });

  it('writes negative amounts below one and zero without a sign', () => {
    expect(formatExactAmount({ units: -5n, scale: 2 }, 'EUR')).toBe('-0.05');
    expect(formatExactAmount({ units: -5n, scale: 3 }, 'DEM')).toBe('-0.005');
    expect(formatExactAmount({ units: 0n, scale: 2 }, 'EUR')).toBe('0.00');
  });
});
