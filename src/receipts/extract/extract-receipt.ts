import { readFile, stat } from 'node:fs/promises';
import { sniffMediaType } from '../media-type.js';
import type { DateOptions } from './dates.js';
import { ReceiptTooLargeError, ReceiptUnsupportedTypeError } from './errors.js';
import { linesOfText, readReceiptReadings, type ReceiptFields, type ReceiptReading } from './fields.js';
import { consensusLines } from './line-consensus.js';
import type { OcrBinarisation, OcrLine, ReceiptOcr } from './ocr-page.js';
import { createReceiptOcr, ocrTimeoutMs } from './tesseract-ocr.js';
import { readPdf, type PdfReader } from './pdf.js';
import { pageParts } from './page-parts.js';
import { analyseReceiptImage, encodeReceiptPage, renderReceiptPage, type EncodeOptions, type ReceiptPage } from './preprocess.js';
import { bandsToReread, unsureStrips, type Band, type ReceiptField } from './rereading.js';

export { ReceiptFileError, ReceiptImageTooLargeError, ReceiptTooLargeError, ReceiptUnreadableError, ReceiptUnsupportedTypeError } from './errors.js';

/** Receipt files larger than this are refused before decoding. */
export const receiptBytesMax = 20 * 1024 * 1024;

/** How the receipt was read: OCR of a photo or scan, a PDF's text layer, OCR of a scanned PDF, or plain text. */
export type ReceiptSource = 'image' | 'pdf_text' | 'pdf_scan' | 'text';

export interface ReceiptExtraction extends ReceiptFields {
  source: ReceiptSource;
  /** The text the fields were read from (OCR output or text layer), for display and review. */
  text: string;
}

export interface ExtractReceiptOptions extends DateOptions {
  /** A shared OCR pool; without one a pool of the default size is started and stopped for this call. */
  ocr?: ReceiptOcr;
  /** A shared PDF reader (its child process); without one a reader is started and stopped for this call. */
  pdf?: PdfReader;
  /**
   * A second engine whose one reading of the page is further evidence for the total and the
   * date, where `ocr`'s first reading left either weak; `ocr`'s readings alone give the
   * merchant. PaddleOCR finds amounts and dates that Tesseract misses, Tesseract reads the
   * letters of the company's language.
   */
  figuresOcr?: ReceiptOcr;
  timeoutMs?: number;
}

/** One way of reading an image: how it is rendered and how Tesseract binarises it. */
interface ImageReading {
  render: Omit<EncodeOptions, 'strip'>;
  binarisation: OcrBinarisation;
}

/**
 * The readings tried in turn while a field is still weak. The first, slightly softened,
 * joins the dots of dot-matrix and faint thermal print and reads most receipts best; the
 * second, sharp with Tesseract's local (Sauvola) threshold, reads the thin digits that the
 * blur runs together; the third tries the global (Otsu) threshold on the sharp page. Readings
 * after the first cover only the strips of the page that hold the weak fields, when they can.
 */
const imageReadings: readonly ImageReading[] = [
  { render: { soften: true }, binarisation: 'otsu' },
  { render: {}, binarisation: 'sauvola' },
  { render: {}, binarisation: 'otsu' },
];
/**
 * A field read with less confidence than this is read again from the next rendering. The
 * date's bar is low: an unlabelled date is usually right, only a missing one is worth a read.
 */
export const rereadConfidenceMin: Record<ReceiptField, number> = { total: 0.7, date: 0.3, merchant: 0.6 };
/** White kept above and below a strip, so Tesseract sees whole lines. */
const bandMarginPx = 12;
/**
 * Lines of the name, the date and the total that the first reading was unsure of are read
 * again in these renderings and voted on word by word (line-consensus.ts): sharp, the thin
 * strokes that the softened first reading runs together come apart, and each threshold errs
 * elsewhere.
 */
const voteReadings: readonly ImageReading[] = [
  { render: {}, binarisation: 'sauvola' },
  { render: {}, binarisation: 'otsu' },
];

async function loadFile(file: string | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(file)) {
    if (file.length > receiptBytesMax) throw new ReceiptTooLargeError(file.length, receiptBytesMax);
    return file;
  }
  const { size } = await stat(file);
  if (size > receiptBytesMax) throw new ReceiptTooLargeError(size, receiptBytesMax);
  return readFile(file);
}

function weakFields(fields: ReceiptFields): ReceiptField[] {
  return (['merchant', 'date', 'total'] as const).filter((field) => fields.confidence[field] < rereadConfidenceMin[field]);
}

function textOf(lines: readonly OcrLine[]): string {
  return lines.map((l) => l.text).join('\n');
}

/** OCR of a strip of a rendered page, its lines placed on the whole page. */
async function readStrip(page: ReceiptPage, strip: { top: number; bottom: number }, ocr: ReceiptOcr, reading: ImageReading, timeoutMs: number, marginPx = bandMarginPx): Promise<OcrLine[]> {
  const top = Math.max(0, Math.floor(strip.top - marginPx));
  const read = await ocr.recognize(await encodeReceiptPage(page, { ...reading.render, strip: { top, bottom: strip.bottom + marginPx } }), { timeoutMs, binarisation: reading.binarisation });
  return read.lines.map((l) => ({ ...l, top: l.top === undefined ? undefined : l.top + top, bottom: l.bottom === undefined ? undefined : l.bottom + top }));
}

/**
 * OCR of the whole page, in the parts cut between its lines (page-parts.ts) read at once by
 * the pool's workers, their lines placed on the page top to bottom.
 */
async function readPage(page: ReceiptPage, ocr: ReceiptOcr, reading: ImageReading, timeoutMs: number): Promise<OcrLine[]> {
  const parts = await Promise.all(pageParts(page).map((part) => readStrip(page, part, ocr, reading, timeoutMs, 0)));
  return parts.flat();
}

/**
 * The first reading's lines with those holding the name, the date and the total voted on by
 * further readings of their strips, where a word of them was unsure (rereading.ts
 * unsureStrips); `voted` names the fields whose lines were.
 */
async function voteOnUnsureLines(page: ReceiptPage, lines: readonly OcrLine[], ocr: ReceiptOcr, timeoutMs: number): Promise<{ lines: OcrLine[]; voted: ReceiptField[] }> {
  let voted: OcrLine[] = [...lines];
  const fields = new Set<ReceiptField>();
  const middle = (l: OcrLine) => ((l.top ?? 0) + (l.bottom ?? 0)) / 2;
  const strips = unsureStrips(lines, page.height);
  // The strips do not overlap, so all their readings go to the pool at once.
  const rereads = await Promise.all(strips.map((strip) => Promise.all(voteReadings.map((reading) => readStrip(page, strip, ocr, reading, timeoutMs)))));
  strips.forEach((strip, i) => {
    const inStrip = (l: OcrLine) => middle(l) >= strip.top && middle(l) <= strip.bottom;
    const consensus = consensusLines([voted.filter(inStrip), ...(rereads[i] ?? [])]);
    voted = [...voted.filter((l) => middle(l) < strip.top), ...consensus, ...voted.filter((l) => middle(l) > strip.bottom)];
    for (const field of strip.fields) fields.add(field);
  });
  return { lines: voted, voted: [...fields] };
}

/** OCR of the strips of a rendered page, each a reading for its own fields, all at once. */
async function readBands(page: ReceiptPage, bands: readonly Band[], ocr: ReceiptOcr, reading: ImageReading, timeoutMs: number): Promise<ReceiptReading[]> {
  return Promise.all(bands.map(async (band) => ({ lines: await readStrip(page, band, ocr, reading, timeoutMs), fields: band.fields })));
}

/** The rendering an engine that reads once (ReceiptOcr.readsOnce) is given: the page as it is. */
const onceReading: ImageReading = { render: {}, binarisation: 'otsu' };

/**
 * Reads one image (a photo, a scan or a rendered PDF page): the whole page once, then, while
 * a field stays weak, the strips that hold its evidence again in other renderings. An engine
 * that reads once reads the whole page only; a figures engine reads it where the first
 * reading left the total or the date weak.
 */
async function readImage(image: Buffer, ocr: ReceiptOcr, options: ExtractReceiptOptions): Promise<{ fields: ReceiptFields; lines: OcrLine[]; figures: OcrLine[] | null }> {
  const timeoutMs = options.timeoutMs ?? ocrTimeoutMs;
  const page = await renderReceiptPage(image, await analyseReceiptImage(image));
  if (ocr.readsOnce) {
    const lines = await readStrip(page, { top: 0, bottom: page.height }, ocr, onceReading, timeoutMs, 0);
    return { fields: readReceiptReadings([{ lines }], options), lines, figures: null };
  }
  const [first, ...others] = imageReadings;
  if (!first) throw new Error('no image reading is configured');
  const { figuresOcr } = options;
  const named = await voteOnUnsureLines(page, await readPage(page, ocr, first, timeoutMs), ocr, timeoutMs);
  const readings: ReceiptReading[] = [{ lines: named.lines }];
  let fields = readReceiptReadings(readings, options);
  // The figures engine reads the page only where the total or the date is still weak: most
  // receipts are read well enough by the first engine, and the second costs about a second.
  let figures: OcrLine[] | null = null;
  if (figuresOcr && weakFields(fields).some((field) => field === 'total' || field === 'date')) {
    figures = await readStrip(page, { top: 0, bottom: page.height }, figuresOcr, onceReading, timeoutMs, 0);
    readings.push({ lines: figures, fields: ['total', 'date'] });
    fields = readReceiptReadings(readings, options);
  }
  for (const reading of others) {
    // A name already voted on was read in these renderings.
    const weak = weakFields(fields).filter((field) => !(field === 'merchant' && named.voted.includes(field)));
    if (weak.length === 0) break;
    const bands = bandsToReread(named.lines, weak, page.height);
    if (bands) readings.push(...(await readBands(page, bands, ocr, reading, timeoutMs)));
    else readings.push({ lines: await readPage(page, ocr, reading, timeoutMs) });
    fields = readReceiptReadings(readings, options);
  }
  // The text kept for review is the first reading of the whole page, with the name as voted.
  return { fields, lines: named.lines, figures };
}

async function withOcr<T>(options: ExtractReceiptOptions, work: (ocr: ReceiptOcr) => Promise<T>): Promise<T> {
  const ocr = options.ocr ?? createReceiptOcr();
  try {
    return await work(ocr);
  } finally {
    if (!options.ocr) await ocr.close();
  }
}

async function extractPdf(bytes: Buffer, options: ExtractReceiptOptions): Promise<ReceiptExtraction> {
  const content = await readPdf(bytes, options.pdf);
  if (content.kind === 'text') {
    const text = content.lines.join('\n');
    return { ...readReceiptReadings([{ lines: linesOfText(text) }], options), source: 'pdf_text', text };
  }
  // Each page is read on its own; the fields come from all pages' lines together, with the
  // figures engine's reading of a page as further evidence for the total and the date.
  return withOcr(options, async (ocr) => {
    const lines: OcrLine[] = [];
    const figures: ReceiptReading[] = [];
    for (const page of content.pages) {
      const read = await readImage(page, ocr, options);
      lines.push(...read.lines);
      if (read.figures) figures.push({ lines: read.figures, fields: ['total', 'date'] });
    }
    return { ...readReceiptReadings([{ lines }, ...figures], options), source: 'pdf_scan', text: textOf(lines) };
  });
}

/**
 * Reads a receipt offline, whatever its file type as told by its content: a photo or scan
 * (JPEG, PNG, WebP) is preprocessed and OCR'd, a PDF is read from its text layer or, when it
 * has none, rendered and OCR'd. Fields read with weak evidence are null.
 */
export async function extractReceipt(file: string | Buffer, options: ExtractReceiptOptions = {}): Promise<ReceiptExtraction> {
  const bytes = await loadFile(file);
  const mediaType = sniffMediaType(bytes);
  if (mediaType === null) throw new ReceiptUnsupportedTypeError();
  if (mediaType === 'application/pdf') return extractPdf(bytes, options);
  return withOcr(options, async (ocr) => {
    const { fields, lines } = await readImage(bytes, ocr, options);
    return { ...fields, source: 'image', text: textOf(lines) };
  });
}
