// Hostile PDFs end as unreadable receipts within the reader's bounds of memory and time,
// and the reader goes on reading the next file in a new child process. The files are built
// here: a few hundred kilobytes that inflate to hundreds of megabytes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bombReceiptText, pdfBomb, pdfHeapBomb, pdfOfObjects } from '../../test-support/hostile-files.js';
import { pdfInflatedBytesMax } from './pdf-streams.js';
import { createPdfReader, pdfReaderHeapMbMax, readPdf, type PdfReader } from './pdf.js';

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

/** The resident memory of process `pid` in MB (Linux's /proc), 0 once it is gone. */
function residentMb(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The reader's child, which must be running. */
function childOf(reader: PdfReader): number {
  const pid = reader.pid();
  if (pid === null) throw new Error('the reader has no child');
  return pid;
}

const receiptText = (content: unknown) => (content as { lines?: string[] }).lines;

describe('reading a hostile PDF', () => {
  const reader = createPdfReader();
  // The child is started and pdf.js loaded before any memory is measured.
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

  it('stops a PDF whose inflating stream is hidden behind another filter once the child grew by its memory bound', async () => {
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

  it('gives up a PDF still being read at its time bound, and reads the next one on a new child', async () => {
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

  it(`ends a PDF whose parsing needs more than the child's ${pdfReaderHeapMbMax} MB of heap as unreadable, outside this process, and reads the next on a new child`, async () => {
    // No memory bound of the reader's own to come first: V8 ends the child at its heap limit.
    const heapBound = createPdfReader({ memoryMbMax: 100_000, timeoutMs: 100_000 });
    try {
      await heapBound.read(receipt);
      const bomb = await pdfHeapBomb(40_000_000);
      expect(bomb.length).toBeLessThan(mebibyte);
      const child = childOf(heapBound);
      let outcome: unknown;
      const grownMb = await peakGrowthMb(async () => (outcome = await heapBound.read(bomb).catch((error: unknown) => error)));
      expect(outcome).toMatchObject({ code: 'receipt_unreadable', message: expect.stringContaining(`needed more than ${pdfReaderHeapMbMax} MB of heap`) });
      // The heap filled up in the child, not here.
      expect(grownMb).toBeLessThan(otherGrowthMbMax);
      expect(isRunning(child)).toBe(false);
      expect(receiptText(await heapBound.read(receipt))).toEqual(['CORNER BAKERY TOTAL 12.50 CASH']);
      expect(childOf(heapBound)).not.toBe(child);
    } finally {
      await heapBound.close();
    }
  }, 120_000);

  it('reads the next PDF on a new child when its child is killed mid-file, the file unreadable', async () => {
    const patient = createPdfReader({ timeoutMs: 100_000 });
    try {
      await patient.read(receipt);
      const child = childOf(patient);
      const idleMb = residentMb(child);
      const reading = patient.read(await pdfBomb(600 * mebibyte, { hidden: true })).catch((error: unknown) => error);
      // Mid-file: the child grows as pdf.js inflates the stream.
      while (residentMb(child) < idleMb + 32) await new Promise((resolve) => setTimeout(resolve, 10));
      process.kill(child, 'SIGKILL');
      expect(await reading).toMatchObject({ code: 'receipt_unreadable', message: expect.stringContaining('the PDF reader ended while reading it (SIGKILL)') });
      expect(receiptText(await patient.read(receipt))).toEqual(['CORNER BAKERY TOTAL 12.50 CASH']);
      expect(childOf(patient)).not.toBe(child);
    } finally {
      await patient.close();
    }
  });

  it('holds the child to its data segment limit, however fast a PDF makes it grow, and reads the next file', async () => {
    // No memory bound of the reader's own to come first: only the kernel's limit stops it.
    const dataMbMax = 400;
    const limited = createPdfReader({ dataMbMax, memoryMbMax: 100_000, timeoutMs: 100_000 });
    try {
      await limited.read(receipt);
      const child = childOf(limited);
      let peakMb = 0;
      const sample = setInterval(() => (peakMb = Math.max(peakMb, residentMb(child))), 5);
      const outcome = await limited.read(await pdfBomb(1024 * mebibyte, { hidden: true })).catch((error: unknown) => error);
      clearInterval(sample);
      expect(peakMb).toBeGreaterThan(0);
      expect(peakMb).toBeLessThan(dataMbMax);
      // The allocation the kernel refused failed the file (unreadable), ended the child, or
      // was swallowed by pdf.js, which then read a page without its text; never the bomb's text.
      expect(receiptText(outcome) ?? []).not.toContain(bombReceiptText);
      expect(receiptText(await limited.read(receipt))).toEqual(['CORNER BAKERY TOTAL 12.50 CASH']);
    } finally {
      await limited.close();
    }
  }, 120_000);

  it('ends its child when closed', async () => {
    const closing = createPdfReader();
    await closing.read(receipt);
    const child = childOf(closing);
    await closing.close();
    expect(isRunning(child)).toBe(false);
    expect(closing.pid()).toBeNull();
  });

  it('reads the text of a PDF whose stream inflates to less than the bound', async () => {
    const content = await readPdf(await pdfBomb(8 * mebibyte));
    expect(content.kind === 'text' && content.lines).toEqual([bombReceiptText]);
  });
});
