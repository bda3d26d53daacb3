// Amounts as people type them in their company's locale ("15,00" in Denmark, Germany and
// Sweden; "1.234,50" or "1 234,50" with thousands), read into the decimal string the API
// takes ("15.00"), and written back for a form the same way. The locale's own separators come
// from Intl; nothing goes through a float, and what cannot be read without guessing is refused.
// A currency pasted along ("15,00 kr.", "€15.00", "DKK 1.234,50") is set aside.
import { currencyDecimals } from './money';

export interface Separators {
  decimal: string;
  group: string;
}

const separatorsByLocale = new Map<string, Separators>();

export function separatorsOf(locale: string): Separators {
  let separators = separatorsByLocale.get(locale);
  if (!separators) {
    const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5);
    separators = {
      decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
      group: parts.find((part) => part.type === 'group')?.value ?? ',',
    };
    separatorsByLocale.set(locale, separators);
  }
  return separators;
}

/** Spaces of every width that people and locales put between thousands. */
const spaces = /[\s\u00a0\u202f]+/g;

/** A currency symbol or code before or after the number ("€", "kr.", "DKK", "US$"), with
 * the spaces around it (a single letter is a typing error, not a currency: "15,0x"); a minus before the symbol stays ("-€4.01" → "-4.01"). */
const currencyBefore = /^([-\u2212]?)[\s\u00a0\u202f]*(?:[\p{Sc}]|[\p{L}]{2,3}\.?[\p{Sc}]?)[\s\u00a0\u202f]*/u;
const currencyAfter = /[\s\u00a0\u202f]*(?:[\p{Sc}]|[\p{L}]{2,3}\.?)[\s\u00a0\u202f]*$/u;

function withoutCurrency(typed: string): string {
  return typed.trim().replace(currencyBefore, '$1').replace(currencyAfter, '');
}

/** Whole digits with optional thousands groups: "1234", "1.234", "1 234 567". */
function wholeDigits(text: string, group: string): string | null {
  if (/^\d+$/.test(text)) return text;
  const groups = text.split(group);
  if (groups.length < 2 || !/^\d{1,3}$/.test(groups[0]!) || groups.slice(1).some((part) => !/^\d{3}$/.test(part))) return null;
  return groups.join('');
}

/**
 * The decimal string ("1234.50") for what was typed in `locale`, or null when it is no amount.
 * The locale's decimal separator is the decimal point; thousands may be grouped with the
 * locale's separator or with spaces. A point typed where the locale writes a comma still
 * counts as one when it cannot be a thousands separator ("15.00", "7.5"), since people copy
 * amounts from elsewhere; "15.000" in such a locale is fifteen thousand.
 */
export function readAmountInput(typed: string, locale: string): string | null {
  const { decimal, group } = separatorsOf(locale);
  // Any space stands for the thousands separator; a locale that groups with spaces uses one.
  const groupSeparator = group.replace(spaces, ' ') === ' ' ? ' ' : group;
  const text = withoutCurrency(typed).replace(/^[-\u2212]/, '-').replace(spaces, groupSeparator);
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  let whole: string | null;
  let fraction = '';
  const at = body.lastIndexOf(decimal);
  if (at >= 0) {
    whole = wholeDigits(body.slice(0, at), groupSeparator);
    fraction = body.slice(at + 1);
    if (!/^\d+$/.test(fraction)) return null;
  } else if (decimal !== '.' && /^\d+\.\d{1,2}$/.test(body)) {
    [whole, fraction] = body.split('.') as [string, string];
  } else {
    whole = wholeDigits(body, groupSeparator);
  }
  if (whole === null || whole === '') return null;
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The decimal string the API sent ("15.00"), as the locale writes it in a form ("15,00"). */
export function writeAmountInput(decimalText: string, locale: string): string {
  const { decimal } = separatorsOf(locale);
  return decimal === '.' ? decimalText : decimalText.replace('.', decimal);
}

export type AmountReading =
  | { readable: true; amount: string }
  /** `unreadable`: no amount; `negative`: a minus where none is allowed; `too_precise`:
   * more decimals than `decimals` (the currency's, or what the field allows). */
  | { readable: false; reason: 'unreadable' | 'negative' | 'too_precise'; decimals: number };

export interface AmountRules {
  /** The currency the amount is in: its minor units bound the decimals (JPY none, KWD 3). */
  currency?: string;
  /** Decimals allowed when there is no currency (a distance in km: 3). */
  decimals?: number;
  /** Whether a minus may be typed (a correction); amounts are positive otherwise. */
  negative?: boolean;
}

/** What was typed, read in `locale` and checked against the field's rules, in that order. */
export function parseAmountInput(typed: string, locale: string, rules: AmountRules = {}): AmountReading {
  const decimals = rules.decimals ?? (rules.currency ? currencyDecimals(rules.currency) : 2);
  const amount = readAmountInput(typed, locale);
  if (amount === null) return { readable: false, reason: 'unreadable', decimals };
  if (amount.startsWith('-') && !rules.negative) return { readable: false, reason: 'negative', decimals };
  const fraction = amount.split('.')[1] ?? '';
  if (fraction.length > decimals) return { readable: false, reason: 'too_precise', decimals };
  return { readable: true, amount };
}
