import { findDates } from './dates.js';
import type { OcrLine } from './ocr.js';
import { moneyLines } from './total.js';

export type ReceiptField = 'merchant' | 'date' | 'total';

/** A horizontal strip of the page, read again for the fields named. */
export interface Band {
  top: number;
  bottom: number;
  fields: ReceiptField[];
}

/** The merchant is named within the first lines, or at least the top of the page. */
const merchantBandLines = 6;
const merchantBandShare = 0.22;
/** With no money label found, the totals are somewhere in the lower part. */
const totalBandStartShare = 0.4;
/** Strips covering more of the page than this are read as the whole page instead. */
const bandsShareMax = 0.6;
const dateLabel = /\bDATE\b|\bTARIKH\b/i;

function span(lines: readonly OcrLine[], indexes: readonly number[], pageHeight: number): { top: number; bottom: number } | null {
  const around = indexes.flatMap((i) => [i - 1, i, i + 1]).filter((i) => i >= 0 && i < lines.length);
  const placed = around.map((i) => lines[i]).filter((l): l is OcrLine & { top: number; bottom: number } => l?.top !== undefined && l.bottom !== undefined);
  if (placed.length === 0) return null;
  return { top: Math.max(0, Math.min(...placed.map((l) => l.top))), bottom: Math.min(pageHeight, Math.max(...placed.map((l) => l.bottom))) };
}

function bandFor(field: ReceiptField, lines: readonly OcrLine[], pageHeight: number): Band | null {
  const texts = lines.map((l) => l.text);
  if (field === 'merchant') {
    const head = span(lines, [Math.min(merchantBandLines, lines.length) - 1], pageHeight);
    return { top: 0, bottom: Math.max(head?.bottom ?? 0, Math.round(pageHeight * merchantBandShare)), fields: [field] };
  }
  if (field === 'total') {
    const money = span(lines, moneyLines(texts), pageHeight);
    return { ...(money ?? { top: Math.round(pageHeight * totalBandStartShare), bottom: pageHeight }), fields: [field] };
  }
  const dated = texts.flatMap((text, i) => (dateLabel.test(text) || findDates(text).length > 0 ? [i] : []));
  const where = span(lines, dated, pageHeight);
  return where ? { ...where, fields: [field] } : null;
}

/**
 * Where to read again for the weak fields: a strip around the lines that hold each field's
 * evidence (the header for the merchant, the money lines for the total, the dated lines for
 * the date), merged where they overlap. Null when the strips would cover most of the page,
 * or a field's evidence was not found at all: then the whole page is read again.
 */
export function bandsToReread(lines: readonly OcrLine[], weak: readonly ReceiptField[], pageHeight: number): Band[] | null {
  const bands: Band[] = [];
  for (const field of weak) {
    const band = bandFor(field, lines, pageHeight);
    if (!band) return null;
    bands.push(band);
  }
  bands.sort((a, b) => a.top - b.top);
  const merged: Band[] = [];
  for (const band of bands) {
    const last = merged[merged.length - 1];
    if (last && band.top <= last.bottom) {
      last.bottom = Math.max(last.bottom, band.bottom);
      last.fields = [...new Set([...last.fields, ...band.fields])];
    } else merged.push({ ...band, fields: [...band.fields] });
  }
  const covered = merged.reduce((sum, b) => sum + b.bottom - b.top, 0);
  return covered > pageHeight * bandsShareMax ? null : merged;
}
