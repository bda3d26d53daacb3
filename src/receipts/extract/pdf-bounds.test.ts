// Hostile PDFs end as unreadable receipts within the reader's bounds of memory and time,
// and the reader goes on reading the next file. The files are built here: a few hundred
// kilobytes that inflate to hundreds of megabytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bombReceiptText, pdfBomb, pdfOfObjects } from '../../test-support/hostile-files.js';
import { pdfInflatedBytesMax } from './pdf-streams.js';
import { createPdfReader, readPdf } from './pdf.js';

const mebibyte = 1024 * 1024;
/** What the rest of the process (the test runner, zlib's buffers) may add while a file is read. */
const otherGrowthMbMax = 128;

const receiptContent = 'BT /F1 10 Tf 10 100 Td (CORNER BAKERY TOTAL 12.50 CASH) Tj ET';
const receipt = pdfOfObjects([
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 226 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
  `<< /Length ${receiptContent.length} >>\nstream\n${receiptContent}\nendstream`,
  '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
]);

/** The highest resident memory of this process while `work` runs, above what it was before. */
async function peakGrowthMb(work: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    await work().catch(() => undefined);
  } finally {
    clearInterval(sample);
  }
  return (Math.max(peak, process.memoryUsage.rss()) - before) / mebibyte;
}

describe('reading a hostile PDF', () => {
  const reader = createPdfReader();
  // The worker is started and pdf.js loaded before any memory is measured.
  beforeAll(() => reader.read(receipt));
  afterAll(() => reader.close());

  it(`refuses a PDF whose page inflates to 600 MiB without inflating more than ${pdfInflatedBytesMax / mebibyte} MiB of it, and holds none of it`, async () => {
    const bomb = await pdfBomb(600 * mebibyte);
    expect(bomb.length).toBeLessThan(mebibyte);
    let outcome: unknown;
    const grownMb = await peakGrowthMb(async () => (outcome = await reader.read(bomb).catch((error: unknown) => error)));
    expect(outcome).toMatchObject({ code: 'receipt_unreadable', message: expect.stringContaining('inflate to more than') });
    expect(grownMb).toBeLessThan(otherGrowthMbMax);
  });

  it('stops a PDF whose inflating stream is hidden behind another filter once the process grew by its memory bound', async () => {
    // A bound below the default, and time enough on a busy machine, so that memory is what stops it.
    const memoryMbMax = 192;
    const watched = createPdfReader({ memoryMbMax, timeoutMs: 100_000 });
    try {
      await watched.read(receipt);
      const bomb = await pdfBomb(1024 * mebibyte, { hidden: true });
      let outcome: unknown;
      const grownMb = await peakGrowthMb(async () => (outcome = await watched.read(bomb).catch((error: unknown) => error)));
      expect(outcome).toMatchObject({ code: 'receipt_unreadable', message: expect.stringContaining(`more than ${memoryMbMax} MB of memory`) });
      expect(grownMb).toBeLessThan(memoryMbMax + otherGrowthMbMax);
    } finally {
      await watched.close();
    }
  }, 120_000);

  it('gives up a PDF still being read at its time bound, and reads the next one on a new worker', async () => {
    const hasty = createPdfReader({ timeoutMs: 1000 });
    try {
      await hasty.read(receipt);
      await expect(hasty.read(await pdfBomb(600 * mebibyte, { hidden: true }))).rejects.toMatchObject({ code: 'receipt_unreadable', message: expect.stringContaining('not read within 1000 ms') });
      const content = await hasty.read(receipt);
      expect(content.kind === 'text' && content.lines).toEqual(['CORNER BAKERY TOTAL 12.50 CASH']);
    } finally {
      await hasty.close();
    }
  });

  it('reads the text of a PDF whose stream inflates to less than the bound', async () => {
    const content = await readPdf(await pdfBomb(8 * mebibyte));
    expect(content.kind === 'text' && content.lines).toEqual([bombReceiptText]);
  });
});
