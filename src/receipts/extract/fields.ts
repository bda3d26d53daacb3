import { findCurrency } from './currency.js';
import { findPurchaseDate, type DateOptions } from './dates.js';
import { findMerchant } from './merchant.js';
import type { FieldReading } from './field-reading.js';
import { findTotal } from './total.js';
import { findVat } from './vat.js';

export interface ReceiptFields {
  merchant: string | null;
  /** ISO 8601 calendar date, YYYY-MM-DD. */
  date: string | null;
  /** Exact decimal string as printed, e.g. "12.50"; never a float. */
  total: string | null;
  /** ISO 4217 code. */
  currency: string | null;
  vat: string | null;
  confidence: { merchant: number; date: number; total: number; currency: number; vat: number };
}

/** Fields read with less confidence than this are reported as null: no guessing. */
export const fieldConfidenceMin = 0.2;

function accept(reading: FieldReading | null): FieldReading | null {
  return reading && reading.confidence >= fieldConfidenceMin ? reading : null;
}

/** Reads the receipt fields out of OCR text. Pure: the same text always gives the same fields. */
export function readReceiptFields(text: string, options: DateOptions = {}): ReceiptFields {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const merchant = accept(findMerchant(lines));
  const date = accept(findPurchaseDate(lines, options));
  const total = accept(findTotal(lines));
  const currency = accept(findCurrency(lines));
  const vat = accept(findVat(lines));
  return {
    merchant: merchant?.value ?? null,
    date: date?.value ?? null,
    total: total?.value ?? null,
    currency: currency?.value ?? null,
    vat: vat?.value ?? null,
    confidence: {
      merchant: merchant?.confidence ?? 0,
      date: date?.confidence ?? 0,
      total: total?.confidence ?? 0,
      currency: currency?.confidence ?? 0,
      vat: vat?.confidence ?? 0,
    },
  };
}
