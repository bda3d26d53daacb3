import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideHalfUp, ratePercent, splitVat } from './vat.js';

describe('splitVat', () => {
  it.each([
    // gross, rate bp, deductible bp, vat, deductible, net
    [12500n, 2500, 10000, 2500n, 2500n, 10000n], // 125.00 incl. 25 %: 25.00 VAT
    [11900n, 1900, 10000, 1900n, 1900n, 10000n], // 119.00 incl. 19 %
    [1000n, 1900, 10000, 160n, 160n, 840n], // 10.00 incl. 19 %: 1.5966 rounds to 1.60
    [1n, 2500, 10000, 0n, 0n, 1n], // 0.01: 0.002 rounds to 0.00
    [3n, 2500, 10000, 1n, 1n, 2n], // 0.03: 0.006 rounds half up to 0.01
    [10700n, 700, 10000, 700n, 700n, 10000n], // 7 %
    [12500n, 2500, 2500, 2500n, 625n, 10000n], // restaurant in Denmark: 25 % of the VAT deductible
    [12500n, 2500, 0, 2500n, 0n, 10000n], // nothing deductible
    [5000n, 0, 10000, 0n, 0n, 5000n], // exempt
    [0n, 2500, 10000, 0n, 0n, 0n],
  ])('splits %s at %s bp (%s bp deductible)', (gross, rate, deductibleBp, vat, deductible, net) => {
    expect(splitVat(gross, rate, deductibleBp)).toEqual({ vat, deductible, net });
  });

  it('keeps net + VAT equal to the gross and the deductible part within the VAT', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 10000 }), (gross, rate, share) => {
        const split = splitVat(gross, rate, share);
        return split.net + split.vat === gross && split.deductible >= 0n && split.deductible <= split.vat && split.vat <= gross;
      }),
    );
  });

  it('refuses negative amounts and rates out of range', () => {
    expect(() => splitVat(-1n, 2500, 10000)).toThrow(RangeError);
    expect(() => splitVat(100n, 10001, 10000)).toThrow(RangeError);
    expect(() => splitVat(100n, 2500, 12.5)).toThrow(RangeError);
  });
});

describe('divideHalfUp', () => {
  it.each([
    [5n, 2n, 3n],
    [4n, 2n, 2n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
  ])('%s / %s rounds to %s', (a, b, expected) => {
    expect(divideHalfUp(a, b)).toBe(expected);
  });
});

describe('ratePercent', () => {
  it.each([
    [2500, '25'],
    [750, '7.5'],
    [1275, '12.75'],
    [0, '0'],
  ])('%s bp is %s %%', (bp, text) => {
    expect(ratePercent(bp)).toBe(text);
  });
});
