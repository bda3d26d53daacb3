// Exact amounts of statement files. A bank writes an amount as decimal digits; it is read
// into a bigint count of units at the written scale and never passes through a number.
// Known currencies are brought to their ISO 4217 minor unit (src/money); historic ones that
// Outlay does not move (DEM in old MT940 files) keep the scale the bank wrote.
import { currencyExponent, formatAmount, isCurrency } from '../../money/money.js';
import { StatementValueError } from './statement-parse-error.js';
import type { NoteUnusual } from './statement-warnings.js';

export interface ExactAmount {
  /** Signed count of 10^-scale units. */
  readonly units: bigint;
  readonly scale: number;
}

/** SWIFT 15d: digits, a mandatory decimal comma, at most 15 characters ("1234,56", "800,").
 * Read more widely, as a person reads it: without the comma ("800") and with leading zeros
 * past the 15 characters ("0000000000000800,00"), each noted. A point or any other character
 * is refused: "1.000" is a thousand in some countries and one in others. */
const swiftAmountPattern = /^(\d+)(?:,(\d*))?$/;
const swiftAmountCharsMax = 15;

/** xs:decimal as ISO 20022 restricts it: no sign (the direction is CdtDbtInd), at most 18 digits. */
const isoAmountPattern = /^(\d+)(?:\.(\d*))?$/;
const isoAmountDigitsMax = 18;

function fromDigits(whole: string, fraction: string): ExactAmount {
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

export function parseSwiftAmount(text: string, note?: NoteUnusual): ExactAmount {
  const match = swiftAmountPattern.exec(text);
  const significant = text.replace(/^0+(?=\d)/, '');
  if (!match || significant.length > swiftAmountCharsMax) {
    throw new StatementValueError(`amount "${text.slice(0, 40)}" is not a decimal (SWIFT 15d: digits with a decimal comma, at most 15 characters)`);
  }
  if (match[2] === undefined) note?.('amount_without_decimal_comma', `amount "${text}" has no decimal comma; read as ${match[1]},`);
  if (text.length > swiftAmountCharsMax) note?.('amount_zero_padded', `amount "${text}" is ${text.length} characters with its leading zeros; SWIFT allows 15`);
  return fromDigits(match[1]!, match[2] ?? '');
}

export function parseIsoAmount(text: string): ExactAmount {
  const match = isoAmountPattern.exec(text);
  if (!match || match[1]!.length + (match[2] ?? '').length > isoAmountDigitsMax) {
    throw new StatementValueError(`amount "${text}" is not a decimal (digits with a decimal point, at most 18 digits, no sign)`);
  }
  return fromDigits(match[1]!, match[2] ?? '');
}

function rescale(amount: ExactAmount, scale: number): ExactAmount {
  if (scale >= amount.scale) return { units: amount.units * 10n ** BigInt(scale - amount.scale), scale };
  const divisor = 10n ** BigInt(amount.scale - scale);
  return { units: amount.units / divisor, scale };
}

/** Brings an amount to its currency's minor unit. Digits beyond it are accepted only when
 * they are zeros ("8.850" EUR is 8.85); otherwise the amount would have to be rounded. */
export function inCurrency(amount: ExactAmount, currency: string | null, written: string): ExactAmount {
  if (currency === null || !isCurrency(currency)) return amount;
  const exponent = currencyExponent(currency);
  const fitted = rescale(amount, exponent);
  if (rescale(fitted, amount.scale).units !== amount.units) {
    throw new StatementValueError(`amount "${written}" has ${amount.scale} decimals, but ${currency} has ${exponent}`);
  }
  return fitted;
}

export function negate(amount: ExactAmount): ExactAmount {
  return { units: -amount.units, scale: amount.scale };
}

export function sumAmounts(amounts: readonly ExactAmount[]): ExactAmount {
  const scale = Math.max(0, ...amounts.map((amount) => amount.scale));
  return { units: amounts.reduce((sum, amount) => sum + rescale(amount, scale).units, 0n), scale };
}

export function sameAmount(a: ExactAmount, b: ExactAmount): boolean {
  const scale = Math.max(a.scale, b.scale);
  return rescale(a, scale).units === rescale(b, scale).units;
}

/** "-250.00"; a currency Outlay knows is formatted by src/money at its minor unit. */
export function formatExactAmount(amount: ExactAmount, currency: string | null): string {
  if (currency !== null && isCurrency(currency) && amount.scale === currencyExponent(currency)) {
    return formatAmount(amount.units, currency);
  }
  const sign = amount.units < 0n ? '-' : '';
  const digits = (amount.units < 0n ? -amount.units : amount.units).toString().padStart(amount.scale + 1, '0');
  return amount.scale === 0 ? sign + digits : `${sign}${digits.slice(0, -amount.scale)}.${digits.slice(-amount.scale)}`;
}
