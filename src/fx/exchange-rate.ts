// Exchange rates as exact decimals: a bigint count of 10^-10 units, the scale of the numeric
// columns fx_rates.rate and card_transactions.fx_rate, so every rate Outlay computes is one it
// can store without the database rounding it. A rate is how many units of the quote currency
// one unit of the base currency buys. No JavaScript number ever holds one.

/** Digits after the decimal point: numeric(24, 10) and numeric(20, 10) in the migrations. */
export const rateScale = 10;
export const rateUnitsPerOne = 10n ** BigInt(rateScale);

/** card_transactions.fx_rate is numeric(20, 10): 10 integer digits. A rate may have one
 * fewer, so the rate with a markup of up to 10 % still fits there. Real rates are far
 * smaller (the largest ECB rate, EUR to IDR, has 5 integer digits). */
export const rateIntegerDigitsMax = 9;
export const rateUnitsMax = 10n ** BigInt(rateIntegerDigitsMax + rateScale) - 1n;

/** A positive decimal written the plain way: "1.0546", "163.45", "0.8731". */
const ratePattern = /^(0|[1-9]\d*)(?:\.(\d+))?$/;

export type RateCheck = { ok: true; units: bigint } | { ok: false; problem: string };

/** Reads a decimal rate string, saying what is wrong with it when it is not a usable rate. */
export function checkRate(text: string): RateCheck {
  const match = ratePattern.exec(text);
  if (!match) return { ok: false, problem: `"${text}" is not a positive decimal such as "1.0546"` };
  const [, whole, fraction = ''] = match;
  if (fraction.length > rateScale) {
    return { ok: false, problem: `"${text}" has ${fraction.length} decimals; a rate has at most ${rateScale}` };
  }
  if (whole!.length > rateIntegerDigitsMax) {
    return { ok: false, problem: `"${text}" has ${whole!.length} digits before the decimal point; a rate has at most ${rateIntegerDigitsMax}` };
  }
  const units = BigInt(whole! + fraction.padEnd(rateScale, '0'));
  if (units === 0n) return { ok: false, problem: `"${text}" is zero; a rate must be positive` };
  return { ok: true, units };
}

export function isRateInRange(units: bigint): boolean {
  return units > 0n && units <= rateUnitsMax;
}

/** Writes a rate in its shortest exact form: 10546000000n as "1.0546", 10^10 as "1". */
export function formatRate(units: bigint): string {
  const digits = units.toString().padStart(rateScale + 1, '0');
  const whole = digits.slice(0, -rateScale);
  const fraction = digits.slice(-rateScale).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/**
 * The integer nearest to numerator / denominator, a tie rounding away from zero ("round half
 * up" for positive amounts, as commercial rounding does): 5/2 = 3, -5/2 = -3, 7/3 = 2.
 * The denominator must be positive.
 */
export function divideRoundingHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('the denominator must be positive');
  const magnitude = numerator < 0n ? -numerator : numerator;
  const quotient = (2n * magnitude + denominator) / (2n * denominator);
  return numerator < 0n ? -quotient : quotient;
}

/** base -> quote turned into quote -> base: DKK -> EUR = 1 / (EUR -> DKK), rounded to the scale. */
export function inverseRate(units: bigint): bigint {
  return divideRoundingHalfAwayFromZero(rateUnitsPerOne * rateUnitsPerOne, units);
}

/** The rate between two currencies both quoted against a third: with EUR -> USD and EUR -> DKK,
 * USD -> DKK = (EUR -> DKK) / (EUR -> USD), rounded to the scale. */
export function crossRate(pivotToFrom: bigint, pivotToTo: bigint): bigint {
  return divideRoundingHalfAwayFromZero(pivotToTo * rateUnitsPerOne, pivotToFrom);
}

/** The rate made dearer by a markup in basis points: rate * (1 + bps / 10000), rounded to the scale. */
export function rateWithMarkup(units: bigint, markupBasisPoints: number): bigint {
  return divideRoundingHalfAwayFromZero(units * (10_000n + BigInt(markupBasisPoints)), 10_000n);
}
