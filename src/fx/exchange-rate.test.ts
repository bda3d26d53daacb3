import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkRate,
  crossRate,
  divideRoundingHalfAwayFromZero,
  formatRate,
  inverseRate,
  rateUnitsMax,
  rateWithMarkup,
} from './exchange-rate.js';

const units = (text: string): bigint => {
  const checked = checkRate(text);
  if (!checked.ok) throw new Error(checked.problem);
  return checked.units;
};

describe('checkRate', () => {
  it.each([
    ['1.0546', 10_546_000_000n],
    ['163.45', 1_634_500_000_000n],
    ['0.0000000001', 1n],
    ['1.0546000000', 10_546_000_000n],
    ['999999999.9999999999', rateUnitsMax],
  ])('reads %s exactly as %s ten-billionths', (text, expected) => {
    expect(checkRate(text)).toEqual({ ok: true, units: expected });
  });

  it.each([
    ['abc', 'not a positive decimal'],
    ['-1.05', 'not a positive decimal'],
    ['+1.05', 'not a positive decimal'],
    ['1e3', 'not a positive decimal'],
    ['1,05', 'not a positive decimal'],
    ['01.05', 'not a positive decimal'],
    ['1.', 'not a positive decimal'],
    ['.5', 'not a positive decimal'],
    [' 1.05', 'not a positive decimal'],
    ['', 'not a positive decimal'],
    ['0', 'zero'],
    ['0.0000000000', 'zero'],
    ['1.05460000001', '11 decimals'],
    ['1000000000', '10 digits before the decimal point'],
  ])('refuses %j as %s', (text, problem) => {
    const checked = checkRate(text);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.problem).toContain(problem);
  });
});

describe('formatRate', () => {
  it('writes the shortest exact decimal', () => {
    expect(formatRate(10_546_000_000n)).toBe('1.0546');
    expect(formatRate(10_000_000_000n)).toBe('1');
    expect(formatRate(1n)).toBe('0.0000000001');
    expect(formatRate(1_634_500_000_000n)).toBe('163.45');
  });

  it('is read back as the same rate, for every rate in range', () => {
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: rateUnitsMax }), (rate) => checkRate(formatRate(rate)).ok && units(formatRate(rate)) === rate));
  });
});

describe('divideRoundingHalfAwayFromZero', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [7n, 3n, 2n],
    [8n, 3n, 3n],
    [-7n, 3n, -2n],
    [-8n, 3n, -3n],
    [0n, 7n, 0n],
    [1n, 2n, 1n],
    [-1n, 2n, -1n],
    [49n, 100n, 0n],
  ])('rounds %s / %s to %s', (numerator, denominator, expected) => {
    expect(divideRoundingHalfAwayFromZero(numerator, denominator)).toBe(expected);
  });

  it('is never more than half away from the exact quotient, a tie going away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 20n }), (numerator, denominator) => {
        const quotient = divideRoundingHalfAwayFromZero(numerator, denominator);
        const twiceError = 2n * (quotient * denominator - numerator);
        const magnitude = twiceError < 0n ? -twiceError : twiceError;
        if (magnitude > denominator) return false;
        // On a tie the result lies on the far side from zero.
        return magnitude !== denominator || (numerator >= 0n ? twiceError > 0n : twiceError < 0n);
      }),
    );
  });
});

describe('derived rates', () => {
  it('inverts EUR -> DKK to DKK -> EUR, rounded half up to 10 decimals', () => {
    expect(formatRate(inverseRate(units('7.4604')))).toBe('0.1340410702');
  });

  it('crosses EUR -> USD and EUR -> DKK into USD -> DKK', () => {
    expect(formatRate(crossRate(units('1.0546'), units('7.4604')))).toBe('7.074151337');
  });

  it('adds a markup in basis points, rounding half up to 10 decimals', () => {
    expect(formatRate(rateWithMarkup(units('1.0546'), 200))).toBe('1.075692');
    expect(formatRate(rateWithMarkup(units('0.0000000005'), 1000))).toBe('0.0000000006');
    expect(formatRate(rateWithMarkup(units('0.0000000005'), 100))).toBe('0.0000000005');
    expect(rateWithMarkup(units('1.0546'), 0)).toBe(units('1.0546'));
  });
});
