import { normaliseMerchantName } from '../merchant-name.js';
import { findCurrency } from './currency.js';
import { dateCandidates, pickDate, type DateCandidate, type DateOptions } from './dates.js';
import type { FieldReading } from './field-reading.js';
import { merchantCandidates, pickMerchant, type MerchantCandidate } from './merchant.js';
import type { OcrLine } from './ocr-page.js';
import type { ReceiptField } from './rereading.js';
import { pickTotal, totalCandidates, type TotalCandidate } from './total.js';
import { findVat } from './vat.js';
import { readLineItems, type LineItem } from './line-items.js';

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
  /** The items printed, read from the first whole page; empty unless they add up (line-items.ts). */
  lineItems: LineItem[];
}

/** Fields read with less confidence than this are reported as null: no guessing. */
export const fieldConfidenceMin = 0.2;

function accept(reading: FieldReading | null): FieldReading | null {
  return reading && reading.confidence >= fieldConfidenceMin ? reading : null;
}

/** Two readings that find the same name: a little more, not twice, since the header's position counts most. */
const merchantAgreement = 1;

/** Plain text as lines, each taken as read with full confidence. */
export function linesOfText(text: string): OcrLine[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => ({ text: l, confidence: 1 }));
}

/**
 * Candidates of every reading added up by key: agreement between readings is evidence.
 * With `agreement` set, a candidate keeps its best single score plus that much for each
 * further reading that found it, for fields where one clean reading should beat two readings
 * that agree on a wrong line.
 */
function combine<T extends { score: number }>(readings: readonly T[][], key: (candidate: T) => string, agreement?: number): T[] {
  const byKey = new Map<string, { best: T; score: number }>();
  for (const candidates of readings) {
    for (const candidate of candidates) {
      const seen = byKey.get(key(candidate));
      if (!seen) byKey.set(key(candidate), { best: candidate, score: candidate.score });
      else {
        if (candidate.score > seen.best.score) seen.best = candidate;
        seen.score = agreement === undefined ? seen.score + candidate.score : seen.best.score + agreement;
      }
    }
  }
  return [...byKey.values()].map(({ best, score }) => ({ ...best, score })).sort((a, b) => b.score - a.score);
}

function mostConfident(readings: readonly (FieldReading | null)[]): FieldReading | null {
  return readings.reduce<FieldReading | null>((best, r) => (r && (!best || r.confidence > best.confidence) ? r : best), null);
}

/** One reading of a receipt: OCR of the page or of a strip of it, or plain text. */
export interface ReceiptReading {
  lines: readonly OcrLine[];
  /** The fields a strip was read for; absent for a whole page, which is evidence for all. */
  fields?: readonly ReceiptField[];
}

/**
 * Reads the receipt fields out of one or more readings of the same receipt (OCR of several
 * renderings, or plain text). Each field's candidates are scored per reading and added up,
 * so a value that several readings agree on wins over one reading's misread digit. Pure: the
 * same readings always give the same fields.
 */
export function readReceiptReadings(all: readonly ReceiptReading[], options: DateOptions = {}): ReceiptFields {
  const about = (field: ReceiptField): (readonly OcrLine[])[] => all.filter((r) => !r.fields || r.fields.includes(field)).map((r) => r.lines);
  // Currency and VAT are read from whole pages only: a strip may miss the one line naming them.
  const pages = all.filter((r) => !r.fields).map((r) => r.lines.map((l) => l.text));
  const totals = combine<TotalCandidate>(
    about('total').map((lines) => totalCandidates(lines)),
    (c) => c.value,
  ).sort((a, b) => b.score - a.score || b.line - a.line);
  const dates = combine<DateCandidate>(
    about('date').map((lines) => dateCandidates(lines.map((l) => l.text), options)),
    (c) => c.value,
  ).sort((a, b) => b.score - a.score || a.line - b.line);
  const merchants = combine<MerchantCandidate>(
    about('merchant').map((lines) => merchantCandidates(lines)),
    (c) => normaliseMerchantName(c.value),
    merchantAgreement,
  );
  const merchant = accept(pickMerchant(merchants));
  const date = accept(pickDate(dates));
  const total = accept(pickTotal(totals));
  const currency = accept(mostConfident(pages.map((lines) => findCurrency(lines))));
  const vat = accept(mostConfident(pages.map((lines) => findVat(lines))));
  return {
    merchant: merchant?.value ?? null,
    date: date?.value ?? null,
    total: total?.value ?? null,
    currency: currency?.value ?? null,
    vat: vat?.value ?? null,
    lineItems: pages[0] ? readLineItems(pages[0], total?.value ?? null) : [],
    confidence: {
      merchant: merchant?.confidence ?? 0,
      date: date?.confidence ?? 0,
      total: total?.confidence ?? 0,
      currency: currency?.confidence ?? 0,
      vat: vat?.confidence ?? 0,
    },
  };
}

/**
 * Reads the receipt fields out of text: OCR output, a PDF's text layer or the body of an
 * e-mail receipt. Pure: the same text always gives the same fields.
 */
export function readReceiptFields(text: string | readonly OcrLine[], options: DateOptions = {}): ReceiptFields {
  return readReceiptReadings([{ lines: typeof text === 'string' ? linesOfText(text) : text }], options);
}
