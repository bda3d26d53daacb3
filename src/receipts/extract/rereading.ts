import { dateCandidates, findDates } from './dates.js';
import { merchantCandidates } from './merchant.js';
import type { OcrLine } from './ocr-page.js';
import { moneyLines, totalLines } from './total.js';

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

/**
 * A word OCR read with at least this confidence is taken as read; below it, a letter or digit
 * is often wrong ("SANYO" for "SANYU" came with 0.3, "TED" for "TEO" with 0.6).
 */
export const wordConfidenceClear = 0.9;

type Strip = { top: number; bottom: number };

/** A strip to read again and vote on, for the fields whose evidence it holds. */
export type VoteStrip = Strip & { fields: ReceiptField[] };

function unsure(line: OcrLine | undefined, word: (text: string) => boolean): boolean {
  return (line?.words ?? []).some((w) => word(w.text) && w.confidence < wordConfidenceClear);
}

function lineSpan(lines: readonly OcrLine[], first: number, last: number, pageHeight: number): Strip | null {
  const placed = lines.slice(Math.max(0, first), last + 1).filter((l): l is OcrLine & Strip => l.top !== undefined && l.bottom !== undefined);
  if (placed.length === 0) return null;
  return { top: Math.max(0, Math.min(...placed.map((l) => l.top))), bottom: Math.min(pageHeight, Math.max(...placed.map((l) => l.bottom))) };
}

const hasDigit = (text: string): boolean => /\d/.test(text);

/**
 * The strips of the page that hold the merchant's name, the date and the total as the first
 * reading found them, where a word of them was read unsure: to be read again and voted on
 * word by word. The name comes with the lines just above and below (the rest of a wrapped
 * name, or a brand over the legal name); the date and each total line with their own line.
 * Overlapping strips are merged.
 */
export function unsureStrips(lines: readonly OcrLine[], pageHeight: number): VoteStrip[] {
  const strips: VoteStrip[] = [];
  const add = (strip: Strip | null, field: ReceiptField) => {
    if (strip) strips.push({ ...strip, fields: [field] });
  };
  const name = merchantCandidates(lines)[0];
  if (name && lines.slice(name.lines.first, name.lines.last + 1).some((l) => unsure(l, () => true))) {
    add(lineSpan(lines, name.lines.first - 1, name.lines.last + 1, pageHeight), 'merchant');
  }
  const texts = lines.map((l) => l.text);
  const date = dateCandidates(texts)[0];
  if (date && unsure(lines[date.line], hasDigit)) add(lineSpan(lines, date.line, date.line, pageHeight), 'date');
  for (const index of totalLines(texts)) if (unsure(lines[index], hasDigit)) add(lineSpan(lines, index, index, pageHeight), 'total');
  strips.sort((a, b) => a.top - b.top);
  const merged: VoteStrip[] = [];
  for (const strip of strips) {
    const last = merged[merged.length - 1];
    if (last && strip.top <= last.bottom) {
      last.bottom = Math.max(last.bottom, strip.bottom);
      last.fields = [...new Set([...last.fields, ...strip.fields])];
    } else merged.push({ ...strip, fields: [...strip.fields] });
  }
  return merged;
}
