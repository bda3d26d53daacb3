// Sums of amounts as the split editor needs them: the decimal strings are turned into
// integer minor units (BigInt) of their currency, added and subtracted exactly, and written
// back as decimal strings. Nothing goes through a float. What is not a plain decimal in the
// currency's precision is refused (null), never rounded.
import type { Money } from './api/types';

const decimalsByCurrency = new Map<string, number>();

/** The currency's minor-unit digits (EUR 2, JPY 0, KWD 3), as ECMA-402 knows them. */
export function currencyDecimals(currency: string): number {
  let decimals = decimalsByCurrency.get(currency);
  if (decimals === undefined) {
    try {
      decimals = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      decimals = 2;
    }
    decimalsByCurrency.set(currency, decimals);
  }
  return decimals;
}

/** "12.5" in EUR → 1250n; null when it is no amount or has more decimals than the currency. */
export function toMinor(amount: string, currency: string): bigint | null {
  const decimals = currencyDecimals(currency);
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > decimals) return null;
  const minor = BigInt(whole!) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  return sign === '-' ? -minor : minor;
}

/** 1250n in EUR → "12.50". */
export function fromMinor(minor: bigint, currency: string): string {
  const decimals = currencyDecimals(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** What is left of `total` after the parts; null while a part is not an amount yet. */
export function remainderOf(total: Money, parts: readonly string[]): Money | null {
  const totalMinor = toMinor(total.amount, total.currency);
  if (totalMinor === null) return null;
  let left = totalMinor;
  for (const part of parts) {
    const minor = toMinor(part === '' ? '0' : part, total.currency);
    if (minor === null) return null;
    left -= minor;
  }
  return { amount: fromMinor(left, total.currency), currency: total.currency };
}

export function isZero(money: Money): boolean {
  return toMinor(money.amount, money.currency) === 0n;
}
