/**
 * PDF reading overhead benchmark: how long the PDF reader (src/receipts/extract/pdf.ts) takes
 * for a one-page receipt, the first file (the reader starts, loads pdf.js and warms up) and
 * warm (the reader already running). Two receipts are made from a fixture scan: the scan
 * saved as a PDF (read by rendering the page for OCR) and a till's PDF with a text layer
 * holding the receipt's key (read as text). OCR is not part of it.
 *
 *   npm run bench:pdf -- [--json] [--built [--dist dist/server]] [--image ../shared/fixtures/receipts-sroie/img/003.jpg] [--runs 5] [--warm 10]
 *
 * `--built` reads with the compiled reader under dist/server (`npm run build:server` first),
 * as the server in the container image does, or under `--dist` (another build, to compare);
 * otherwise with the TypeScript sources, whose reader compiles its own code with tsx as it
 * starts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pdfOfObjects } from '../src/test-support/hostile-files.js';
import { pdfOfScan } from '../src/test-support/receipt-pdfs.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    built: { type: 'boolean', default: false },
    dist: { type: 'string', default: 'dist/server' },
    image: { type: 'string', default: path.resolve(import.meta.dirname, '../../shared/fixtures/receipts-sroie/img/003.jpg') },
    runs: { type: 'string', default: '5' },
    warm: { type: 'string', default: '10' },
  },
});

type PdfModule = typeof import('../src/receipts/extract/pdf.js');
const { createPdfReader } = (await import(values.built ? path.resolve(import.meta.dirname, '..', values.dist, 'receipts/extract/pdf.js') : '../src/receipts/extract/pdf.js')) as PdfModule;

function textPdf(lines: string[]): Buffer {
  const escaped = lines.map((line) => line.replace(/[\\()]/g, (c) => `\\${c}`));
  const content = `BT /F1 10 Tf 20 380 Td 14 TL\n${escaped.map((l) => `(${l}) Tj T*`).join('\n')}\nET`;
  return pdfOfObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 226 400] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Milliseconds of the first file on a new reader (median of `runs` readers) and of warm files. */
async function measure(pdf: Buffer, runs: number, warm: number): Promise<{ firstMs: number; warmMs: number }> {
  const firsts: number[] = [];
  const warms: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const reader = createPdfReader();
    try {
      firsts.push(await timed(() => reader.read(pdf)));
      if (run === 0) for (let i = 0; i < warm; i += 1) warms.push(await timed(() => reader.read(pdf)));
    } finally {
      await reader.close();
    }
  }
  return { firstMs: Math.round(median(firsts)), warmMs: Math.round(median(warms)) };
}

const jpeg = await readFile(values.image);
const keyFile = path.join(path.dirname(values.image), '..', 'key', `${path.basename(values.image, '.jpg')}.json`);
const key = JSON.parse(await readFile(keyFile, 'utf8')) as { company: string; date: string; address: string; total: string };
const runs = Number(values.runs);
const warm = Number(values.warm);
const results = {
  reader: values.built ? values.dist : 'sources',
  text: await measure(textPdf([key.company, key.address, `DATE: ${key.date}`, `TOTAL: ${key.total}`]), runs, warm),
  scan: await measure(await pdfOfScan(jpeg), runs, warm),
};
if (values.json) console.log(JSON.stringify(results));
else for (const kind of ['text', 'scan'] as const) console.log(`${results.reader} ${kind}: first file ${results[kind].firstMs} ms, warm ${results[kind].warmMs} ms (median)`);
