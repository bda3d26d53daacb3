import { describe, expect, it } from 'vitest';
import { isCurrency } from '../money/money.js';
import { currencyOfCode, knownCurrencyCodes, numericCodeOf } from './currency-codes.js';

describe('ISO 4217 numeric currency codes', () => {
  it('reads the numeric codes of the common currencies, and alphabetic codes as they are', () => {
    const expected = { 978: 'EUR', 840: 'USD', 826: 'GBP', 208: 'DKK', 752: 'SEK', 578: 'NOK', 756: 'CHF', 392: 'JPY', 985: 'PLN', 203: 'CZK', 348: 'HUF', 458: 'MYR' };
    for (const [numeric, alpha] of Object.entries(expected)) expect(currencyOfCode(numeric)).toBe(alpha);
    expect(currencyOfCode('EUR')).toBe('EUR');
    expect([currencyOfCode('999'), currencyOfCode('XYZ'), currencyOfCode('eur')]).toEqual([null, null, null]);
    expect(numericCodeOf('JPY')).toBe('392');
  });

  it('names only currencies Outlay supports, each numeric and alphabetic code once', () => {
    expect(knownCurrencyCodes.filter(([, alpha]) => !isCurrency(alpha))).toEqual([]);
    expect(new Set(knownCurrencyCodes.map(([, alpha]) => alpha)).size).toBe(knownCurrencyCodes.length);
  });
});
