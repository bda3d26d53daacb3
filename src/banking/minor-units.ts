import { currencyExponent, isCurrency } from '../money/money.js';
import { DomainError } from '../shared/errors.js';

/**
 * A statement's decimal string in minor units. The statement parsers give exact decimals; a
 * currency Outlay does not know is taken with two decimals, and a digit past the currency's
 * last decimal is refused rather than rounded away.
 */
export function minorUnits(amount: string, currency: string): bigint {
  const exponent = isCurrency(currency) ? currencyExponent(currency) : 2;
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = amount.replace(/^[-+]/, '').split('.');
  const digits = `${whole}${fraction.padEnd(exponent, '0').slice(0, exponent)}`;
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) throw new DomainError('validation_failed', `amount ${amount} has more decimals than ${currency} allows`);
  const value = BigInt(digits || '0');
  return negative ? -value : value;
}
