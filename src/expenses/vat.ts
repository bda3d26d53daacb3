/**
 * VAT inside a gross amount, in exact minor units. The rounding rule, stated once:
 * - the VAT is gross * rate / (100 % + rate), rounded half up to a whole minor unit;
 * - the deductible part is that VAT * deductible share, rounded half up;
 * - the net is gross - VAT, so net + VAT is always exactly the gross.
 * Each expense line is rounded on its own (VAT is printed per rate on a receipt, and a
 * line has one rate). Rates and shares are basis points: 2500 = 25 %, 10000 = 100 %.
 */
export const basisPointsWhole = 10_000;

/** a / b rounded half up, for a >= 0 and b > 0. */
export function divideHalfUp(a: bigint, b: bigint): bigint {
  if (a < 0n || b <= 0n) throw new RangeError('divideHalfUp takes a >= 0 and b > 0');
  return (2n * a + b) / (2n * b);
}

export interface VatSplit {
  vat: bigint;
  deductible: bigint;
  net: bigint;
}

export function splitVat(gross: bigint, rateBp: number, deductibleBp: number): VatSplit {
  if (gross < 0n) throw new RangeError('a gross amount is not negative');
  if (!Number.isInteger(rateBp) || rateBp < 0 || rateBp > basisPointsWhole) throw new RangeError('a VAT rate is 0 to 10000 basis points');
  if (!Number.isInteger(deductibleBp) || deductibleBp < 0 || deductibleBp > basisPointsWhole) throw new RangeError('a deductible share is 0 to 10000 basis points');
  const vat = divideHalfUp(gross * BigInt(rateBp), BigInt(basisPointsWhole + rateBp));
  const deductible = divideHalfUp(vat * BigInt(deductibleBp), BigInt(basisPointsWhole));
  return { vat, deductible, net: gross - vat };
}

/** "25", "7.5", "12.75": a rate in basis points as a percentage without trailing zeros. */
export function ratePercent(rateBp: number): string {
  const whole = Math.trunc(rateBp / 100);
  const fraction = String(rateBp % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}
