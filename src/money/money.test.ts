import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, formatAmount, parseAmount, parseCurrency } from './money.js';

describe('currency exponents', () => {
  it.each([
    ['JPY', 0],
    ['DKK', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['CLF', 4],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('refuses codes that are not ISO 4217, or not upper case', () => {
    for (const code of ['EURO', 'eur', 'XXX', '', 'ABC']) {
      expect(() => parseCurrency(code)).toThrow(expect.objectContaining({ code: 'unknown_currency' }));
    }
  });
});

describe('parseAmount', () => {
  it.each([
    ['12.50', 'EUR', 1250n],
    ['12.5', 'EUR', 1250n],
    ['12', 'EUR', 1200n],
    ['0.01', 'EUR', 1n],
    ['1250', 'JPY', 1250n],
    ['1.005', 'KWD', 1005n],
    ['0.005', 'KWD', 5n],
  ])('reads %s %s as %s minor units', (text, currency, minor) => {
    expect(parseAmount(text, currency)).toBe(minor);
  });

  it.each([
    [12.5, 'EUR', 'not numbers'],
    ['12.505', 'EUR', 'has 3 decimals, but EUR has 2'],
    ['12.5', 'JPY', 'has 1 decimals, but JPY has 0'],
    ['1e3', 'EUR', 'is not a decimal amount'],
    ['1,000.00', 'EUR', 'is not a decimal amount'],
    [' 12.50', 'EUR', 'is not a decimal amount'],
    ['+12.50', 'EUR', 'is not a decimal amount'],
    ['012.50', 'EUR', 'is not a decimal amount'],
    ['12.', 'EUR', 'is not a decimal amount'],
    ['-5.00', 'EUR', 'is negative'],
    ['0.00', 'EUR', 'must not be zero'],
    ['99999999999999999.00', 'EUR', 'larger than Outlay accepts'],
  ])('rejects %j in %s: %s', (text, currency, message) => {
    expect(() => parseAmount(text, currency)).toThrow(message);
  });

  it('names the offending field', () => {
    expect(() => parseAmount('1.234', 'EUR', { field: 'topUp.amount' })).toThrow(
      expect.objectContaining({ code: 'invalid_money', field: 'topUp.amount' }),
    );
  });

  it('accepts negative amounts only when asked', () => {
    expect(parseAmount('-0.05', 'EUR', { allowNegative: true })).toBe(-5n);
  });
});

describe('formatAmount', () => {
  it.each([
    [1250n, 'EUR', '12.50'],
    [5n, 'EUR', '0.05'],
    [-5n, 'EUR', '-0.05'],
    [0n, 'EUR', '0.00'],
    [1250n, 'JPY', '1250'],
    [5n, 'KWD', '0.005'],
  ])('writes %s %s as %s', (minor, currency, text) => {
    expect(formatAmount(minor, currency)).toBe(text);
  });

  it('round-trips every amount in every exponent exactly', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('JPY', 'EUR', 'KWD', 'CLF'),
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).filter((n) => n !== 0n),
        (currency, minor) => {
          const text = formatAmount(minor, currency);
          expect(parseAmount(text, currency, { allowNegative: true })).toBe(minor);
        },
      ),
    );
  });
});
