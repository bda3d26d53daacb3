import { describe, expect, it } from 'vitest';
import { isCurrency } from '../money/money.js';
import { currencyOfCode, numericCodeOf } from './currency-codes.js';

describe('ISO 4217 numeric currency codes', () => {
  it('reads the numeric codes of the common currencies, and alphabetic codes as they are', () => {
    const expected = { 978: 'EUR', 840: 'USD', 826: 'GBP', 208: 'DKK', 752: 'SEK', 578: 'NOK', 756: 'CHF', 392: 'JPY', 985: 'PLN', 203: 'CZK', 348: 'HUF', 458: 'MYR' };
    for (const [numeric, alpha] of Object.entries(expected)) expect(currencyOfCode(numeric)).toBe(alpha);
    expect(currencyOfCode('EUR')).toBe('EUR');
    expect([currencyOfCode('999'), currencyOfCode('XYZ'), currencyOfCode('eur')]).toEqual([null, null, null]);
    expect(numericCodeOf('JPY')).toBe('392');
  });

  it('names only currencies Outlay supports, each numeric and alphabetic code once', () => {
    const numeric = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
    const known = numeric.flatMap((code) => {
      const alpha = currencyOfCode(code);
      return alpha === null ? [] : [{ code, alpha }];
    });
    expect(known.length).toBeGreaterThan(40);
    expect(known.filter(({ alpha }) => !isCurrency(alpha))).toEqual([]);
    // Each alphabetic code maps back to the one numeric code it came from.
    expect(known.filter(({ code, alpha }) => numericCodeOf(alpha) !== code)).toEqual([]);
  });
});
