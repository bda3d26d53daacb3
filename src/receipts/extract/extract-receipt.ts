import { readFile, stat } from 'node:fs/promises';
import type { DateOptions } from './dates.js';
import { readReceiptFields, type ReceiptFields } from './fields.js';
import { createReceiptOcr, ocrTimeoutMs, type ReceiptOcr } from './ocr.js';
import { preprocessReceipt } from './preprocess.js';

/** Receipt photos larger than this are refused before decoding. */
export const receiptBytesMax = 20 * 1024 * 1024;
/**
 * When the total, date or merchant is read with less confidence than this, the receipt is
 * read a second time from a binarised image (which suits faint or shadowed prints better)
 * and each field keeps the more confident of the two readings.
 */
export const secondReadConfidenceMin = 0.3;
const retriedFields = ['merchant', 'date', 'total', 'currency', 'vat'] as const;

export interface ReceiptExtraction extends ReceiptFields {
  /** The OCR text the fields were read from, for display and review. */
  text: string;
}

export interface ExtractReceiptOptions extends DateOptions {
  /** A shared OCR pool; without one a single worker is started and stopped for this call. */
  ocr?: ReceiptOcr;
  timeoutMs?: number;
}

export class ReceiptTooLargeError extends Error {
  readonly code = 'receipt_too_large';
  constructor(bytes: number) {
    super(`receipt is ${bytes} bytes; the limit is ${receiptBytesMax}`);
  }
}

async function loadImage(file: string | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(file)) {
    if (file.length > receiptBytesMax) throw new ReceiptTooLargeError(file.length);
    return file;
  }
  const { size } = await stat(file);
  if (size > receiptBytesMax) throw new ReceiptTooLargeError(size);
  return readFile(file);
}

function weakest(read: ReceiptFields): number {
  return Math.min(read.confidence.total, read.confidence.date, read.confidence.merchant);
}

/** Per field, the more confident of two readings of the same receipt. */
function mergeReadings(first: ReceiptExtraction, second: ReceiptExtraction): ReceiptExtraction {
  const merged: ReceiptExtraction = { ...first, confidence: { ...first.confidence } };
  for (const field of retriedFields) {
    if (second.confidence[field] > first.confidence[field]) {
      merged[field] = second[field];
      merged.confidence[field] = second.confidence[field];
    }
  }
  if (weakest(second) > weakest(first)) merged.text = second.text;
  return merged;
}

/**
 * Reads a receipt image (JPEG, PNG, WebP) offline: preprocessing, OCR, then field parsing.
 * PDFs are not handled yet.
 */
export async function extractReceipt(file: string | Buffer, options: ExtractReceiptOptions = {}): Promise<ReceiptExtraction> {
  const original = await loadImage(file);
  const ocr = options.ocr ?? createReceiptOcr(1);
  const timeoutMs = options.timeoutMs ?? ocrTimeoutMs;
  const read = async (threshold: boolean): Promise<ReceiptExtraction> => {
    const text = await ocr.recognize(await preprocessReceipt(original, { threshold }), timeoutMs);
    return { ...readReceiptFields(text, options), text };
  };
  try {
    const first = await read(false);
    if (weakest(first) >= secondReadConfidenceMin) return first;
    return mergeReadings(first, await read(true));
  } finally {
    if (!options.ocr) await ocr.close();
  }
}
