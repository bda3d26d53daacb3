import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponents } from '../money/currencies.js';
import { amountMinorMax, currencyExponent } from '../money/money.js';
import { convert, markupBasisPointsMax, type Conversion } from './convert.js';
import { checkRate, formatRate, rateScale, rateUnitsMax, rateUnitsPerOne } from './exchange-rate.js';

type Row = [string, bigint, string, string, string, number, Conversion];

// One case a row: what is converted, and the exact result.
const rows: Row[] = [
  ['EUR 100.00 into USD at the bare rate', 10_000n, 'EUR', 'USD', '1.0546', 0, { amount: 10_546n, appliedRate: '1.0546' }],
  ['EUR 100.00 into USD with a 2 % markup', 10_000n, 'EUR', 'USD', '1.0546', 200, { amount: 10_757n, appliedRate: '1.075692' }],
  ['JPY 1000 (no decimals) into EUR (2)', 1_000n, 'JPY', 'EUR', '0.0061', 0, { amount: 610n, appliedRate: '0.0061' }],
  ['EUR 12.34 into JPY, rounding 2016.973 to 2017', 1_234n, 'EUR', 'JPY', '163.45', 0, { amount: 2_017n, appliedRate: '163.45' }],
  ['EUR 10.00 into KWD (3 decimals)', 1_000n, 'EUR', 'KWD', '0.3245', 0, { amount: 3_245n, appliedRate: '0.3245' }],
  ['JPY 1000 into KWD, 0 to 3 decimals', 1_000n, 'JPY', 'KWD', '0.002', 0, { amount: 2_000n, appliedRate: '0.002' }],
  ['KWD 3.245 into EUR, rounding 9.999792 to 10.00', 3_245n, 'KWD', 'EUR', '3.0816', 0, { amount: 1_000n, appliedRate: '3.0816' }],
  ['KWD 1.000 into JPY, 497.5 rounding half up to 498', 1_000n, 'KWD', 'JPY', '497.5', 0, { amount: 498n, appliedRate: '497.5' }],
  ['a refund of EUR -100.00 into USD with a markup', -10_000n, 'EUR', 'USD', '1.0546', 200, { amount: -10_757n, appliedRate: '1.075692' }],
  ['zero', 0n, 'EUR', 'USD', '1.0546', 200, { amount: 0n, appliedRate: '1.075692' }],
  ['the same currency: no rate but 1, and no markup', 12_345n, 'EUR', 'EUR', '1', 150, { amount: 12_345n, appliedRate: '1' }],
];

// Round half up (away from zero) at the target minor unit, on both sides of the boundary.
const boundaryRows: Row[] = [
  ['exactly half a cent rounds up', 1n, 'EUR', 'USD', '0.5', 0, { amount: 1n, appliedRate: '0.5' }],
  ['one and a half cents round up to two', 3n, 'EUR', 'USD', '0.5', 0, { amount: 2n, appliedRate: '0.5' }],
  ['just under half a cent rounds down', 1n, 'EUR', 'USD', '0.4999999999', 0, { amount: 0n, appliedRate: '0.4999999999' }],
  ['just over half a cent rounds up', 1n, 'EUR', 'USD', '0.5000000001', 0, { amount: 1n, appliedRate: '0.5000000001' }],
  ['minus half a cent rounds away from zero', -1n, 'EUR', 'USD', '0.5', 0, { amount: -1n, appliedRate: '0.5' }],
  ['JPY 5 at 0.001 is half a euro cent: rounds up', 5n, 'JPY', 'EUR', '0.001', 0, { amount: 1n, appliedRate: '0.001' }],
  ['JPY 15 at 0.0063 is 9.45 euro cents: rounds down', 15n, 'JPY', 'EUR', '0.0063', 0, { amount: 9n, appliedRate: '0.0063' }],
  ['KWD 0.001 at 500 is half a yen: rounds up', 1n, 'KWD', 'JPY', '500', 0, { amount: 1n, appliedRate: '500' }],
  ['a markup landing on half a cent rounds up', 25n, 'EUR', 'USD', '1', 200, { amount: 26n, appliedRate: '1.02' }],
  ['the applied rate is rounded half up to 10 decimals first', 10n ** 12n, 'EUR', 'USD', '0.0000000005', 1000, { amount: 600n, appliedRate: '0.0000000006' }],
];

describe('convert', () => {
  it.each(rows)('converts %s', (_case, amount, from, to, rate, markup, expected) => {
    expect(convert(amount, from, to, rate, markup)).toEqual(expected);
  });

  it.each(boundaryRows)('rounds half up: %s', (_case, amount, from, to, rate, markup, expected) => {
    expect(convert(amount, from, to, rate, markup)).toEqual(expected);
  });

  it.each([
    ['an unknown currency', () => convert(100n, 'EUR', 'XYZ', '1.05', 0), 'unknown_currency', undefined],
    ['a rate that is not a decimal', () => convert(100n, 'EUR', 'USD', '1e3', 0), 'validation_failed', 'rate'],
    ['a zero rate', () => convert(100n, 'EUR', 'USD', '0', 0), 'validation_failed', 'rate'],
    ['a negative rate', () => convert(100n, 'EUR', 'USD', '-1.05', 0), 'validation_failed', 'rate'],
    ['a rate with 11 decimals', () => convert(100n, 'EUR', 'USD', '1.05460000001', 0), 'validation_failed', 'rate'],
    ['a rate of a billion or more', () => convert(100n, 'EUR', 'USD', '1000000000', 0), 'validation_failed', 'rate'],
    ['a negative markup', () => convert(100n, 'EUR', 'USD', '1.05', -1), 'validation_failed', 'markupBasisPoints'],
    ['a markup above 10 %', () => convert(100n, 'EUR', 'USD', '1.05', markupBasisPointsMax + 1), 'validation_failed', 'markupBasisPoints'],
    ['a fractional markup', () => convert(100n, 'EUR', 'USD', '1.05', 1.5), 'validation_failed', 'markupBasisPoints'],
    ['an amount above the maximum', () => convert(amountMinorMax + 1n, 'EUR', 'USD', '1.05', 0), 'invalid_money', 'amount'],
    ['a same-currency rate other than 1', () => convert(100n, 'EUR', 'EUR', '1.01', 0), 'validation_failed', 'rate'],
  ])('refuses %s', (_case, run, code, field) => {
    expect(run).toThrow(expect.objectContaining({ code, field }));
  });
});

/** Reads an applied rate exactly; unlike a given rate it may reach 10 integer digits (a rate
 * just under 10^9 with a 10 % markup), which card_transactions.fx_rate still holds. */
function appliedUnits(text: string): bigint {
  const match = /^(\d{1,10})(?:\.(\d{1,10}))?$/.exec(text);
  if (!match) throw new Error(`"${text}" is not an applied rate numeric(20, 10) can hold`);
  return BigInt(match[1]! + (match[2] ?? '').padEnd(rateScale, '0'));
}

const currencies = [...currencyExponents.keys()];
const currencyPair = fc
  .tuple(fc.constantFrom(...currencies), fc.constantFrom(...currencies))
  .filter(([from, to]) => from !== to);
const amount = fc.bigInt({ min: -amountMinorMax, max: amountMinorMax });
const rate = fc.bigInt({ min: 1n, max: rateUnitsMax }).map(formatRate);
const markup = fc.integer({ min: 0, max: markupBasisPointsMax });

describe('convert, for any input', () => {
  it('is the identity at rate 1 without markup between currencies with the same minor unit', () => {
    const sameExponentPair = currencyPair.filter(([from, to]) => currencyExponent(from) === currencyExponent(to));
    fc.assert(
      fc.property(amount, sameExponentPair, fc.constantFrom('1', '1.0', '1.0000000000'), (value, [from, to], one) => {
        expect(convert(value, from, to, one, 0)).toEqual({ amount: value, appliedRate: '1' });
      }),
    );
  });

  it('gives a larger amount never less', () => {
    fc.assert(
      fc.property(amount, amount, currencyPair, rate, markup, (a, b, [from, to], r, bps) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(convert(low, from, to, r, bps).amount <= convert(high, from, to, r, bps).amount).toBe(true);
      }),
    );
  });

  it('never throws for amounts up to 10^15 minor units, and lands within half a minor unit of amount * applied rate', () => {
    fc.assert(
      fc.property(amount, currencyPair, rate, markup, (value, [from, to], r, bps) => {
        const result = convert(value, from, to, r, bps);
        const applied = appliedUnits(result.appliedRate);
        // amount * applied / 10^rateScale, in target minor units: compare 2 * |result - exact| <= 1.
        const shift = currencyExponent(to) - currencyExponent(from);
        const exactNumerator = value * applied * 10n ** BigInt(Math.max(shift, 0));
        const denominator = rateUnitsPerOne * 10n ** BigInt(Math.max(-shift, 0));
        const twiceError = 2n * (result.amount * denominator - exactNumerator);
        expect(twiceError <= denominator && -twiceError <= denominator).toBe(true);
      }),
    );
  });

  it('never applies a rate below the given one, nor above it plus the markup', () => {
    fc.assert(
      fc.property(currencyPair, rate, markup, ([from, to], r, bps) => {
        const given = checkRate(r);
        if (!given.ok) throw new Error(given.problem);
        const applied = appliedUnits(convert(1n, from, to, r, bps).appliedRate);
        expect(applied >= given.units).toBe(true);
        // Within half a 10^-10 unit of rate * (1 + bps / 10000).
        const twiceError = 2n * (applied * 10_000n - given.units * (10_000n + BigInt(bps)));
        expect(twiceError <= 10_000n && -twiceError <= 10_000n).toBe(true);
      }),
    );
  });

  it('converts A -> B -> A with the exact inverse rate back to within half a minor unit of each currency', () => {
    // Rates 2^i * 5^j have an inverse 2^-i * 5^-j that is also exact at 10 decimals.
    const invertibleRate = fc
      .tuple(fc.integer({ min: -10, max: 10 }), fc.integer({ min: -10, max: 10 }))
      .map(([i, j]) => ({ rate: 2n ** BigInt(10 + i) * 5n ** BigInt(10 + j), inverse: 2n ** BigInt(10 - i) * 5n ** BigInt(10 - j) }))
      .filter(({ rate, inverse }) => rate <= rateUnitsMax && inverse <= rateUnitsMax);
    const roundTrip = fc.tuple(currencyPair, invertibleRate).chain(([[from, to], { rate, inverse }]) => {
      // Only amounts whose converted value is itself an amount Outlay accepts.
      const eFrom = 10n ** BigInt(currencyExponent(from));
      const eTo = 10n ** BigInt(currencyExponent(to));
      const limit = (amountMinorMax * rateUnitsPerOne * eFrom) / (rate * eTo) - 1n;
      const bound = limit < amountMinorMax ? (limit > 0n ? limit : 0n) : amountMinorMax;
      return fc.record({ from: fc.constant(from), to: fc.constant(to), rate: fc.constant(rate), inverse: fc.constant(inverse), value: fc.bigInt({ min: -bound, max: bound }) });
    });
    fc.assert(
      fc.property(roundTrip, ({ from, to, rate, inverse, value }) => {
        const there = convert(value, from, to, formatRate(rate), 0).amount;
        const back = convert(there, to, from, formatRate(inverse), 0).amount;
        const drift = back > value ? back - value : value - back;
        // |back - value| <= 1/2 (last rounding, in A) + 1/2 unit of B expressed in A, that is
        // (2 * drift - 1) * rate * 10^eB <= 10^rateScale * 10^eA.
        const lhs = (2n * drift - 1n) * rate * 10n ** BigInt(currencyExponent(to));
        const rhs = 10n ** BigInt(rateScale) * 10n ** BigInt(currencyExponent(from));
        expect(lhs <= rhs).toBe(true);
      }),
    );
  });
});
