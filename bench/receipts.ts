/**
 * Receipt reading benchmark: runs the offline extractor on every receipt of a fixture folder
 * (img/NNN.jpg with key/NNN.json holding the true company, date and total) and reports the
 * share of exactly right totals and dates, merchants equal after normalisation
 * (normaliseMerchantName), and seconds per receipt.
 *
 *   npm run bench:receipts -- [--json] [--dir ../shared/fixtures/receipts-sroie] [--workers 2] [--verbose]
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { normaliseAmount } from '../src/receipts/extract/amounts.js';
import { findDates } from '../src/receipts/extract/dates.js';
import { extractReceipt, type ReceiptExtraction } from '../src/receipts/extract/extract-receipt.js';
import { createReceiptOcr } from '../src/receipts/extract/ocr.js';
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
  read: Pick<ReceiptExtraction, 'merchant' | 'date' | 'total' | 'source'> | { error: string };
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

async function runReceipt(dir: string, id: string, ocr: ReturnType<typeof createReceiptOcr>): Promise<Outcome> {
  const key = JSON.parse(await readFile(path.join(dir, 'key', `${id}.json`), 'utf8')) as ReceiptKey;
  const expected = { merchant: key.company, date: expectedDate(key.date), total: expectedTotal(key.total) };
  const started = performance.now();
  try {
    const read = await extractReceipt(path.join(dir, 'img', `${id}.jpg`), { ocr });
    const seconds = (performance.now() - started) / 1000;
    return {
      id,
      seconds,
      total: read.total === expected.total,
      date: read.date === expected.date,
      merchant: read.merchant !== null && normaliseMerchantName(read.merchant) === normaliseMerchantName(key.company),
      read: { merchant: read.merchant, date: read.date, total: read.total, source: read.source },
      expected,
    };
  } catch (error) {
    const seconds = (performance.now() - started) / 1000;
    const code = (error as { code?: unknown }).code;
    return { id, seconds, total: false, date: false, merchant: false, read: { error: typeof code === 'string' ? `${code}: ${String(error)}` : String(error) }, expected };
  }
}

/** Runs receipts through the pool, never more at once than it has workers. */
async function runAll(dir: string, ids: readonly string[], workers: number): Promise<Outcome[]> {
  const ocr = createReceiptOcr(workers);
  const outcomes: Outcome[] = [];
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < ids.length) {
          const id = ids[next] ?? '';
          next += 1;
          outcomes.push(await runReceipt(dir, id, ocr));
        }
      }),
    );
  } finally {
    await ocr.close();
  }
  return outcomes.sort((a, b) => a.id.localeCompare(b.id));
}

function summarise(outcomes: readonly Outcome[], wallSeconds: number, workers: number): Record<string, number> {
  const share = (hits: number): number => Math.round((hits / Math.max(1, outcomes.length)) * 1000) / 1000;
  const count = (field: 'total' | 'date' | 'merchant'): number => outcomes.filter((o) => o[field]).length;
  const seconds = outcomes.map((o) => o.seconds).sort((a, b) => a - b);
  return {
    receipts: outcomes.length,
    totalRight: count('total'),
    dateRight: count('date'),
    merchantRight: count('merchant'),
    errors: outcomes.filter((o) => 'error' in o.read).length,
    totalShare: share(count('total')),
    dateShare: share(count('date')),
    merchantShare: share(count('merchant')),
    medianSeconds: Math.round(quantile(seconds, 0.5) * 1000) / 1000,
    p95Seconds: Math.round(quantile(seconds, 0.95) * 1000) / 1000,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    workers,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      dir: { type: 'string', default: path.resolve('../shared/fixtures/receipts-sroie') },
      workers: { type: 'string', default: '2' },
    },
  });
  const dir = values.dir;
  const workers = Number(values.workers);
  const ids = (await readdir(path.join(dir, 'img'))).filter((f) => f.endsWith('.jpg')).map((f) => f.slice(0, -4)).sort();
  const started = performance.now();
  const outcomes = await runAll(dir, ids, workers);
  const summary = summarise(outcomes, (performance.now() - started) / 1000, workers);
  if (values.verbose) {
    for (const o of outcomes) {
      const marks = `${o.total ? 'T' : '-'}${o.date ? 'D' : '-'}${o.merchant ? 'M' : '-'}`;
      process.stderr.write(`${o.id} ${marks} ${o.seconds.toFixed(2)}s read=${JSON.stringify(o.read)} expected=${JSON.stringify(o.expected)}\n`);
    }
  }
  if (values.json) console.log(JSON.stringify(summary));
  else console.table(summary);
}

await main();
