/**
 * Receipt reading benchmark: runs the offline extractor on every receipt of a fixture folder
 * (img/NNN.jpg with key/NNN.json holding the true company, date and total) and reports the
 * share of exactly right totals and dates, merchants equal after normalisation
 * (normaliseMerchantName), and seconds per receipt.
 *
 * Receipts are read one at a time on a pool of as many OCR workers as the server and
 * `outlay receipts extract` start by default (one per core, at most two), so the seconds are
 * the time one receipt takes from file to fields: its page parts and rereadings are read side
 * by side on the pool. `--ocr-workers 1` reads them one after another on a single worker.
 * `--workers N` reads N receipts at once (on a pool of at least N); the seconds then include
 * their contention for the cores, and wallSeconds shows the throughput.
 *
 * The reference, measured in the same run on the same pool: one Tesseract pass over the file
 * as it is (no cropping, levels, parts, rereading or voting), its text read by the same field
 * reader. A single pass uses one worker. The ratios say what the extractor's work costs and
 * what it buys.
 *
 * `--engine paddle` reads with PaddleOCR alone, `--engine paddle+tesseract` with Tesseract and,
 * where the total or the date is weak, PaddleOCR's reading as further evidence for them (ocr-engines.ts); the
 * reference is then one pass of the engine's first OCR. PaddleOCR reads one receipt at a time
 * on the process's one worker, whatever --ocr-workers says.
 *
 * `--locale da-DK` reads as a company with that locale would: OCR in its language and English
 * (receipt-languages.ts), numeric dates day or month first. lineItemsGiven counts receipts whose
 * items were given (they add up to the total or a subtotal, line-items.ts).
 *
 *   npm run bench:receipts -- [--json] [--dir ../shared/fixtures/receipts-sroie] [--engine tesseract] [--locale en-GB] [--workers 1] [--ocr-workers 2] [--verbose] [--no-reference]
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { normaliseAmount } from '../src/receipts/extract/amounts.js';
import { findDates } from '../src/receipts/extract/dates.js';
import { extractReceipt, type ReceiptExtraction } from '../src/receipts/extract/extract-receipt.js';
import { readReceiptFields } from '../src/receipts/extract/fields.js';
import { ocrEngines, ocrOfEngine, type OcrEngine } from '../src/receipts/extract/ocr-engines.js';
import type { ReceiptOcr } from '../src/receipts/extract/ocr-page.js';
import { createPaddleOcr } from '../src/receipts/extract/paddle-ocr.js';
import { dayFirstOf, receiptLanguagesOf } from '../src/receipts/extract/receipt-languages.js';
import { createReceiptOcr, ocrWorkersDefault } from '../src/receipts/extract/tesseract-ocr.js';
import { normaliseMerchantName } from '../src/receipts/merchant-name.js';

interface ReceiptKey {
  company: string;
  date: string;
  total: string;
}

interface Outcome {
  id: string;
  seconds: number;
  total: boolean;
  date: boolean;
  merchant: boolean;
  lineItems: number;
  read: Read | { error: string };
  expected: { merchant: string; date: string | null; total: string | null };
}

/** The key prints totals as on the receipt ("9.00", "RM 8.50", "$9.20"); "" means none. */
function expectedTotal(printed: string): string | null {
  const digits = printed.replace(/^\s*(RM|\$|MYR)\s*/i, '').trim();
  return digits === '' ? null : normaliseAmount(digits);
}

/** The key prints dates as on the receipt; they are read with the same date reader. */
function expectedDate(printed: string): string | null {
  const date = findDates(printed)[0];
  if (!date) return null;
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

type Read = Pick<ReceiptExtraction, 'merchant' | 'date' | 'total' | 'lineItems'> & { source?: ReceiptExtraction['source'] };
/** A way of reading a receipt file: the extractor, or the reference's single plain pass. */
type Reader = (file: Buffer, ocr: ReceiptOcr) => Promise<Read>;

let dayFirst = true;
/** PaddleOCR's reading for the total and the date, with --engine paddle+tesseract. */
let figuresOcr: ReceiptOcr | undefined;
const extractor: Reader = (file, ocr) => extractReceipt(file, { ocr, figuresOcr, dayFirst });
const reference: Reader = async (file, ocr) => readReceiptFields((await ocr.recognize(file)).lines, { dayFirst });

async function runReceipt(dir: string, id: string, ocr: ReceiptOcr, reader: Reader): Promise<Outcome> {
  const key = JSON.parse(await readFile(path.join(dir, 'key', `${id}.json`), 'utf8')) as ReceiptKey;
  const file = await readFile(path.join(dir, 'img', `${id}.jpg`));
  const expected = { merchant: key.company, date: expectedDate(key.date), total: expectedTotal(key.total) };
  const started = performance.now();
  try {
    const read = await reader(file, ocr);
    const seconds = (performance.now() - started) / 1000;
    return {
      id,
      seconds,
      total: read.total === expected.total,
      date: read.date === expected.date,
      merchant: read.merchant !== null && normaliseMerchantName(read.merchant) === normaliseMerchantName(key.company),
      lineItems: read.lineItems.length,
      read: { merchant: read.merchant, date: read.date, total: read.total, lineItems: read.lineItems, ...(read.source ? { source: read.source } : {}) },
      expected,
    };
  } catch (error) {
    const seconds = (performance.now() - started) / 1000;
    const code = (error as { code?: unknown }).code;
    return { id, seconds, total: false, date: false, merchant: false, lineItems: 0, read: { error: typeof code === 'string' ? `${code}: ${String(error)}` : String(error) }, expected };
  }
}

/** Runs receipts through the pool, never more at once than it has workers. */
async function runAll(dir: string, ids: readonly string[], ocr: ReceiptOcr, workers: number, reader: Reader): Promise<{ outcomes: Outcome[]; wallSeconds: number }> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < ids.length) {
        const id = ids[next] ?? '';
        next += 1;
        outcomes.push(await runReceipt(dir, id, ocr, reader));
      }
    }),
  );
  return { outcomes: outcomes.sort((a, b) => a.id.localeCompare(b.id)), wallSeconds: (performance.now() - started) / 1000 };
}

interface Summary {
  receipts: number;
  totalRight: number;
  dateRight: number;
  merchantRight: number;
  lineItemsGiven: number;
  errors: number;
  totalShare: number;
  dateShare: number;
  merchantShare: number;
  medianSeconds: number;
  p95Seconds: number;
  wallSeconds: number;
}

const round = (value: number, places: number): number => Math.round(value * 10 ** places) / 10 ** places;

function summarise(outcomes: readonly Outcome[], wallSeconds: number): Summary {
  const share = (hits: number): number => round(hits / Math.max(1, outcomes.length), 3);
  const count = (field: 'total' | 'date' | 'merchant'): number => outcomes.filter((o) => o[field]).length;
  const seconds = outcomes.map((o) => o.seconds).sort((a, b) => a - b);
  return {
    receipts: outcomes.length,
    totalRight: count('total'),
    dateRight: count('date'),
    merchantRight: count('merchant'),
    lineItemsGiven: outcomes.filter((o) => o.lineItems > 0).length,
    errors: outcomes.filter((o) => 'error' in o.read).length,
    totalShare: share(count('total')),
    dateShare: share(count('date')),
    merchantShare: share(count('merchant')),
    medianSeconds: round(quantile(seconds, 0.5), 3),
    p95Seconds: round(quantile(seconds, 0.95), 3),
    wallSeconds: round(wallSeconds, 1),
  };
}

function printOutcomes(label: string, outcomes: readonly Outcome[]): void {
  for (const o of outcomes) {
    const marks = `${o.total ? 'T' : '-'}${o.date ? 'D' : '-'}${o.merchant ? 'M' : '-'}${o.lineItems > 0 ? `I${o.lineItems}` : ''}`;
    process.stderr.write(`${label} ${o.id} ${marks} ${o.seconds.toFixed(2)}s read=${JSON.stringify(o.read)} expected=${JSON.stringify(o.expected)}\n`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      dir: { type: 'string', default: path.resolve('../shared/fixtures/receipts-sroie') },
      workers: { type: 'string', default: '1' },
      'ocr-workers': { type: 'string' },
      locale: { type: 'string', default: 'en-GB' },
      engine: { type: 'string', default: 'tesseract' },
      reference: { type: 'boolean', default: true },
    },
    allowNegative: true,
  });
  const dir = values.dir;
  const workers = Number(values.workers);
  const ids = (await readdir(path.join(dir, 'img'))).filter((f) => f.endsWith('.jpg')).map((f) => f.slice(0, -4)).sort();
  const ocrWorkers = Math.max(workers, Number(values['ocr-workers'] ?? ocrWorkersDefault));
  const languages = receiptLanguagesOf(values.locale);
  dayFirst = dayFirstOf(values.locale);
  if (!(ocrEngines as readonly string[]).includes(values.engine)) throw new Error(`--engine is one of ${ocrEngines.join(', ')}`);
  const engine = values.engine as OcrEngine;
  const started: ReceiptOcr[] = [];
  const keep = (ocr: ReceiptOcr): ReceiptOcr => (started.push(ocr), ocr);
  const engineOcr = ocrOfEngine(engine, { tesseract: () => keep(createReceiptOcr(ocrWorkers, languages)), paddle: () => keep(createPaddleOcr()) });
  const ocr = engineOcr.ocr;
  figuresOcr = engineOcr.figuresOcr;
  try {
    // The workers start while the first receipts wait, in both passes alike: one warm-up read first.
    if (ids[0]) await runReceipt(dir, ids[0], ocr, reference);
    if (ids[0] && figuresOcr) await runReceipt(dir, ids[0], figuresOcr, reference);
    const ours = await runAll(dir, ids, ocr, workers, extractor);
    const summary = summarise(ours.outcomes, ours.wallSeconds);
    if (values.verbose) printOutcomes('extractor', ours.outcomes);
    let figures: Record<string, number | string> = { ...summary, engine, workers, ocrWorkers, languages: languages.join('+') };
    if (values.reference) {
      const plain = await runAll(dir, ids, ocr, workers, reference);
      const base = summarise(plain.outcomes, plain.wallSeconds);
      if (values.verbose) printOutcomes('reference', plain.outcomes);
      const ratio = (a: number, b: number): number => (b === 0 ? 0 : round(a / b, 2));
      figures = {
        ...figures,
        referenceTotalShare: base.totalShare,
        referenceDateShare: base.dateShare,
        referenceMerchantShare: base.merchantShare,
        referenceMedianSeconds: base.medianSeconds,
        referenceP95Seconds: base.p95Seconds,
        totalShareRatio: ratio(summary.totalShare, base.totalShare),
        dateShareRatio: ratio(summary.dateShare, base.dateShare),
        merchantShareRatio: ratio(summary.merchantShare, base.merchantShare),
        medianSecondsRatio: ratio(summary.medianSeconds, base.medianSeconds),
      };
    }
    if (values.json) console.log(JSON.stringify(figures));
    else console.table(figures);
  } finally {
    await Promise.all(started.map((o) => o.close()));
  }
}

await main();
