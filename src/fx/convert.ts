// Converting an amount between currencies with exact arithmetic: bigint minor units times a
// bigint-scaled decimal rate, rounded once, at the end, to the target currency's minor unit.
import { amountMinorMax, currencyExponent } from '../money/money.js';
import { DomainError } from '../shared/errors.js';
import { checkRate, divideRoundingHalfAwayFromZero, formatRate, rateUnitsPerOne, rateWithMarkup } from './exchange-rate.js';

/** card_settings.fx_markup_basis_points allows 0 to 1000 (10 %). */
export const markupBasisPointsMax = 1000;

export interface Conversion {
  /** In minor units of the target currency. */
  amount: bigint;
  /** The rate the amount was computed with, markup included: what card_transactions.fx_rate
   * stores, so the amount can be recomputed from what is stored. */
  appliedRate: string;
}

/**
 * Converts `amountMinor` of `from` into `to` at `rate` (units of `to` per unit of `from`, a
 * decimal string) made dearer by `markupBasisPoints`, as a purchase in a foreign currency
 * costs the company more: applied rate = rate * (1 + bps / 10000).
 *
 * Rounding, twice, each time to the nearest value with a tie going away from zero (round half
 * up; -0.5 becomes -1): the applied rate to 10 decimals, the scale Outlay stores rates at, and
 * then amount * applied rate to the minor unit of `to`. Minor units differ in size (JPY 0
 * decimals, EUR 2, KWD 3), so the product is scaled by 10^(exponent of to - exponent of from)
 * before that one rounding of the amount.
 *
 * Converting a currency into itself is no foreign exchange: the rate must be 1 and no markup
 * applies. The result is not capped; whoever books it checks it against its own limits.
 */
export function convert(amountMinor: bigint, from: string, to: string, rate: string, markupBasisPoints: number): Conversion {
  const fromExponent = currencyExponent(from);
  const toExponent = currencyExponent(to);
  if (amountMinor > amountMinorMax || amountMinor < -amountMinorMax) {
    throw new DomainError('invalid_money', `${amountMinor} minor units of ${from} is more than Outlay accepts`, 'amount');
  }
  if (!Number.isSafeInteger(markupBasisPoints) || markupBasisPoints < 0 || markupBasisPoints > markupBasisPointsMax) {
    throw new DomainError('validation_failed', `an FX markup is a whole number of basis points from 0 to ${markupBasisPointsMax}, not ${markupBasisPoints}`, 'markupBasisPoints');
  }
  const checked = checkRate(rate);
  if (!checked.ok) throw new DomainError('validation_failed', `the rate ${from} -> ${to}: ${checked.problem}`, 'rate');
  if (from === to) {
    if (checked.units !== rateUnitsPerOne) throw new DomainError('validation_failed', `the rate ${from} -> ${to} must be 1, not ${rate}`, 'rate');
    return { amount: amountMinor, appliedRate: '1' };
  }

  const appliedRate = rateWithMarkup(checked.units, markupBasisPoints);
  const shift = toExponent - fromExponent;
  const numerator = amountMinor * appliedRate * 10n ** BigInt(Math.max(shift, 0));
  const denominator = rateUnitsPerOne * 10n ** BigInt(Math.max(-shift, 0));
  return { amount: divideRoundingHalfAwayFromZero(numerator, denominator), appliedRate: formatRate(appliedRate) };
}
