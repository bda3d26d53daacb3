// Display formatting. Amounts stay the exact decimal strings the API sends: Intl.NumberFormat
// formats a decimal string without going through a float (ECMA-402 NumberFormat v3), and
// signs are read and dropped as text. Nothing here does arithmetic on money. Amounts and
// dates are written in the company's locale (i18n/locale.ts), "4,01 €" in a Danish company.
import type { CompanyRole, Money, PersonStatus, Role } from './api/types';
import { en } from './i18n/en';
import { t } from './i18n/i18n';
import { labelsOf } from './i18n/labels';
import { formatLocale } from './i18n/locale';

const decimalPattern = /^-?\d+(\.\d+)?$/;
const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  const locale = formatLocale();
  const key = `${locale} ${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format;
}

export function formatMoney(money: Money): string {
  // Never guess: an amount that is not a plain decimal is shown as sent.
  if (!decimalPattern.test(money.amount)) return `${money.amount} ${money.currency}`;
  try {
    return moneyFormat(money.currency).format(money.amount as Intl.StringNumericLiteral);
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}

export function isNegative(money: Money): boolean {
  return money.amount.startsWith('-');
}

/** The same amount without its sign, for showing a credit in a credit column. */
export function withoutSign(money: Money): Money {
  return { amount: money.amount.replace(/^-/, ''), currency: money.currency };
}

/** A date and time in the company's time zone, or the browser's when none is given. */
export function formatDateTime(iso: string | null, timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  } catch {
    // An unknown zone name throws a RangeError; the browser's own zone is the next best.
    return new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
}

/** A calendar date (YYYY-MM-DD) as written, in no time zone: the 3rd stays the 3rd. */
export function formatDate(date: string | null): string {
  if (!date) return '—';
  const parsed = new Date(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(parsed.getTime())) return date;
  return new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(parsed);
}

/** The day of a moment, in the company's time zone (or the browser's). */
export function formatDay(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'medium', timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'medium' }).format(date);
  }
}

/** The keys of a labels table, in its order: what a select or a group of checkboxes offers.
 * The table's type names every value the API has, so none can be left out. */
export const choicesOf = <Key extends string>(labels: Record<Key, string>): Key[] => Object.keys(labels) as Key[];

const companyRoleLabels: Record<CompanyRole, string> = labelsOf('format.companyRoles', en.format.companyRoles);
export const roleLabels: Record<Role, string> = labelsOf('format.roles', en.format.roles);
/** The roles a company gives its people, in the order they are offered. */
export const companyRoles = choicesOf(companyRoleLabels);

export function formatRoles(roles: readonly Role[]): string {
  return roles.length === 0 ? t('format.noRoles') : roles.map((role) => roleLabels[role]).join(', ');
}

export const statusLabels: Record<PersonStatus, string> = labelsOf('format.statuses', en.format.statuses);
