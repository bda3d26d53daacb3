import { describe, expect, it } from 'vitest';
import { minorUnits } from './minor-units.js';

describe('a statement amount in minor units', () => {
  const cases: [string, string, string, bigint][] = [
    ['two decimals', '1250.50', 'EUR', 125050n],
    ['a debit', '-2.5', 'EUR', -250n],
    ['a plus sign', '+7', 'EUR', 700n],
    ['no decimals in yen', '1200', 'JPY', 1200n],
    ['three decimals in dinar', '1.234', 'KWD', 1234n],
    ['trailing zeros past the exponent', '3.1000', 'EUR', 310n],
    ['a currency Outlay does not know, with two decimals', '9.99', 'XYZ', 999n],
  ];
  it.each(cases)('%s', (_name, amount, currency, expected) => {
    expect(minorUnits(amount, currency)).toBe(expected);
  });

  it('refuses a digit past the currency\'s last decimal rather than round it', () => {
    expect(() => minorUnits('1.005', 'EUR')).toThrow(/more decimals than EUR allows/);
  });
});
