// What a read receipt fills in of a new out-of-pocket expense: its total and currency, its
// date, its merchant, and the tax code whose rate gives the VAT printed on it. Only what was
// read is filled in, and only into what the person has not typed themselves.
import type { Receipt, TaxCode } from '../api/types';
import { toMinor } from '../money';

/** The currencies an expense can be paid in: the euro and those the ECB publishes a
 * reference rate for (src/fx converts at those rates). */
export const paidCurrencies = [
  'EUR', 'AUD', 'BGN', 'BRL', 'CAD', 'CHF', 'CNY', 'CZK', 'DKK', 'GBP', 'HKD', 'HUF', 'IDR', 'ILS', 'INR', 'ISK',
  'JPY', 'KRW', 'MXN', 'MYR', 'NOK', 'NZD', 'PHP', 'PLN', 'RON', 'SEK', 'SGD', 'THB', 'TRY', 'USD', 'ZAR',
] as const;

export interface Prefill {
  amount?: string;
  currency?: string;
  spentOn?: string;
  merchant?: string;
  taxCodeId?: string;
}

/** "25" → 2500, "7.5" → 750; null for what is no such percentage. */
function basisPointsOf(percent: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(percent);
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : null;
}

/** The VAT inside a gross amount at a rate, rounded half up: src/expenses/vat.ts splitVat. */
function vatInside(gross: bigint, rateBp: number): bigint {
  const divisor = BigInt(10_000 + rateBp);
  return (2n * gross * BigInt(rateBp) + divisor) / (2n * divisor);
}

/** The active tax code whose rate gives the VAT printed on the receipt (to a minor unit:
 * receipts round per line). */
export function taxCodeFitting(total: string, vat: string, currency: string, taxCodes: readonly TaxCode[]): TaxCode | undefined {
  const gross = toMinor(total, currency);
  const printed = toMinor(vat, currency);
  if (gross === null || printed === null || printed <= 0n || gross <= printed) return undefined;
  return taxCodes.find((code) => {
    const rateBp = basisPointsOf(code.rate);
    if (!code.active || rateBp === null || rateBp === 0) return false;
    const difference = vatInside(gross, rateBp) - printed;
    return difference >= -1n && difference <= 1n;
  });
}

/** What the receipt's reading fills in; nothing before it is read. A total without its
 * currency is taken as the company's. */
export function prefillOf(receipt: Receipt, taxCodes: readonly TaxCode[], companyCurrency: string): Prefill {
  if (receipt.reading.state !== 'read') return {};
  const { total, currency, date, merchant, vat } = receipt.fields;
  const paidIn = currency && (paidCurrencies as readonly string[]).includes(currency) ? currency : null;
  const prefill: Prefill = {};
  if (total !== null && (currency === null || paidIn !== null) && toMinor(total, paidIn ?? companyCurrency) !== null) prefill.amount = total;
  if (paidIn) prefill.currency = paidIn;
  if (date) prefill.spentOn = date;
  if (merchant) prefill.merchant = merchant;
  const taxCode = total !== null && vat !== null ? taxCodeFitting(total, vat, paidIn ?? companyCurrency, taxCodes) : undefined;
  if (taxCode) prefill.taxCodeId = taxCode.id;
  return prefill;
}
