// Money is a bigint count of a currency's minor units. Outside the process it is written as
// an exact decimal string ("12.50") beside its ISO 4217 code; a JavaScript number never
// holds an amount.
import { DomainError } from '../shared/errors.js';
import { currencyExponents } from './currencies.js';

export interface Money {
  readonly amount: bigint;
  readonly currency: string;
}

/** The largest amount Outlay accepts, in minor units: far above any real card or wallet
 * figure, far below where int8 columns or sums of many of them could overflow. */
export const amountMinorMax = 10n ** 15n;

const decimalPattern = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?$/;

export function currencyExponent(currency: string): number {
  const exponent = currencyExponents.get(currency);
  if (exponent === undefined) {
    throw new DomainError('unknown_currency', `"${currency}" is not an ISO 4217 currency code Outlay supports`);
  }
  return exponent;
}

export function isCurrency(code: string): boolean {
  return currencyExponents.has(code);
}

/** Checks a currency code, naming the input field when it is wrong. */
export function parseCurrency(code: unknown, field = 'currency'): string {
  if (typeof code !== 'string' || !currencyExponents.has(code)) {
    throw new DomainError(
      'unknown_currency',
      `${JSON.stringify(code)} is not an ISO 4217 currency code Outlay supports (use upper case, like "EUR")`,
      field,
    );
  }
  return code;
}

export interface ParseOptions {
  field?: string;
  /** Statements and corrections carry negative amounts; what a user enters does not. */
  allowNegative?: boolean;
  allowZero?: boolean;
}

/** Parses "12.50" in EUR to 1250n. Rejects numbers, exponents, separators and digits
 * beyond the currency's minor unit: an amount is never rounded on the way in. */
export function parseAmount(text: unknown, currency: string, options: ParseOptions = {}): bigint {
  const field = options.field ?? 'amount';
  const exponent = currencyExponent(currency);
  if (typeof text !== 'string') {
    throw new DomainError(
      'invalid_money',
      `amounts are decimal strings such as "12.50", not ${typeof text === 'number' ? 'numbers' : typeof text}`,
      field,
    );
  }
  const match = decimalPattern.exec(text);
  if (!match) {
    throw new DomainError('invalid_money', `"${text}" is not a decimal amount such as "12.50"`, field);
  }
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new DomainError(
      'invalid_money',
      `"${text}" has ${fraction.length} decimals, but ${currency} has ${exponent}`,
      field,
    );
  }
  const minor = BigInt(whole! + fraction.padEnd(exponent, '0')) * (sign === '-' ? -1n : 1n);
  if (minor < 0n && !options.allowNegative) {
    throw new DomainError('invalid_money', `"${text}" is negative; the amount must be positive`, field);
  }
  if (minor === 0n && !options.allowZero) {
    throw new DomainError('invalid_money', 'the amount must not be zero', field);
  }
  if (minor > amountMinorMax || -minor > amountMinorMax) {
    throw new DomainError('invalid_money', `"${text}" is larger than Outlay accepts`, field);
  }
  return minor;
}

/** Formats 1250n in EUR as "12.50"; 5n in KWD as "0.005"; 1250n in JPY as "1250". */
export function formatAmount(minor: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString();
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

export interface MoneyJson {
  amount: string;
  currency: string;
}

export function toMoneyJson(minor: bigint, currency: string): MoneyJson {
  return { amount: formatAmount(minor, currency), currency };
}

