// The pdf.js half of reading a PDF receipt. It runs only in the PDF reading child process
// (pdf-read-child.ts), where a hostile file's memory and time are bounded (pdf.ts).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getDocument, GlobalWorkerOptions, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { ReceiptUnreadableError } from './errors.js';

/** A receipt is one page, an invoice a few; pages past these are not read. */
export const pdfPagesMax = 3;
/** A page with fewer printable characters than this in its text layer is taken for a scan. */
export const pdfTextCharsMin = 20;
/** Text layers longer than this are cut: no receipt needs more. */
export const pdfTextLengthMax = 100_000;
/** Scanned pages are rendered at print resolution, but never to more pixels than this. */
export const pdfRenderDpi = 300;
export const pdfRenderPixelsMax = 12_000_000;
/** pdf.js scales down an image it would paint bigger than this (4 bytes a pixel). */
export const pdfCanvasBytesMax = pdfRenderPixelsMax * 4;

const pointsPerInch = 72;

const require = createRequire(import.meta.url);
/**
 * pdf.js loads its worker, fonts, character maps and image decoders from URLs. In Node they
 * all come from the installed package, never from the network: the "worker" runs in this
 * thread (pdf.js's fake worker, loaded from the local file), and the data folders are read
 * with fs.
 */
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));
GlobalWorkerOptions.workerSrc ||= pathToFileURL(path.join(pdfjsRoot, 'legacy/build/pdf.worker.mjs')).href;
const localData = {
  standardFontDataUrl: `${path.join(pdfjsRoot, 'standard_fonts')}${path.sep}`,
  cMapUrl: `${path.join(pdfjsRoot, 'cmaps')}${path.sep}`,
  cMapPacked: true,
  wasmUrl: `${path.join(pdfjsRoot, 'wasm')}${path.sep}`,
  iccUrl: `${path.join(pdfjsRoot, 'iccs')}${path.sep}`,
};

export type PdfContent = { kind: 'text'; lines: string[] } | { kind: 'scan'; pages: Buffer[] };

function isTextItem(item: unknown): item is TextItem {
  return typeof (item as TextItem).str === 'string' && Array.isArray((item as TextItem).transform);
}

/**
 * The page's text as printed lines: items on the same baseline are joined left to right,
 * with spaces where the gap between them is wide, so "Total" and "12.50" set in separate
 * columns still read as one line.
 */
export function linesOfTextItems(items: readonly TextItem[]): string[] {
  const rows: { y: number; size: number; items: TextItem[] }[] = [];
  for (const item of items) {
    if (item.str.length === 0) continue;
    const y = Number(item.transform[5] ?? 0);
    const size = Math.abs(Number(item.transform[3] ?? 0)) || item.height || 10;
    const row = rows.find((r) => Math.abs(r.y - y) < Math.min(r.size, size) * 0.5);
    if (row) row.items.push(item);
    else rows.push({ y, size, items: [item] });
  }
  rows.sort((a, b) => b.y - a.y);
  return rows
    .map((row) => {
      const sorted = [...row.items].sort((a, b) => Number(a.transform[4] ?? 0) - Number(b.transform[4] ?? 0));
      let text = '';
      let end = -Infinity;
      for (const item of sorted) {
        const x = Number(item.transform[4] ?? 0);
        const gap = x - end;
        if (text.length > 0) text += gap > row.size * 1.5 ? '   ' : gap > row.size * 0.15 && !/\s$/.test(text) && !/^\s/.test(item.str) ? ' ' : '';
        text += item.str;
        end = x + item.width;
      }
      return text.replace(/\s+$/, '');
    })
    .filter((line) => line.trim().length > 0);
}

async function pageText(page: PDFPageProxy): Promise<string[]> {
  const content = await page.getTextContent();
  return linesOfTextItems(content.items.filter(isTextItem));
}

async function renderPage(doc: PDFDocumentProxy, page: PDFPageProxy): Promise<Buffer> {
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(pdfRenderDpi / pointsPerInch, Math.sqrt(pdfRenderPixelsMax / Math.max(1, base.width * base.height)));
  const viewport = page.getViewport({ scale });
  const factory = doc.canvasFactory as {
    create(width: number, height: number): { canvas: { toBuffer(type: 'image/png'): Buffer }; context: unknown };
    destroy(entry: unknown): void;
  };
  const entry = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
  try {
    // The canvas is @napi-rs/canvas's, which pdf.js drives like a browser's.
    const canvas = entry.canvas as unknown as Parameters<PDFPageProxy['render']>[0]['canvas'];
    await page.render({ canvas, viewport, background: 'white' }).promise;
    return entry.canvas.toBuffer('image/png');
  } finally {
    factory.destroy(entry);
  }
}

async function readDocument(doc: PDFDocumentProxy): Promise<PdfContent> {
  const pages: PDFPageProxy[] = [];
  for (let number = 1; number <= Math.min(doc.numPages, pdfPagesMax); number += 1) pages.push(await doc.getPage(number));
  if (pages.length === 0) throw new ReceiptUnreadableError('the PDF has no pages');
  const lines: string[] = [];
  for (const page of pages) lines.push(...(await pageText(page)));
  const printable = lines.join('').replace(/\s/g, '').length;
  if (printable >= pdfTextCharsMin) {
    let length = 0;
    return { kind: 'text', lines: lines.filter((line) => (length += line.length + 1) <= pdfTextLengthMax) };
  }
  const images: Buffer[] = [];
  for (const page of pages) images.push(await renderPage(doc, page));
  return { kind: 'scan', pages: images };
}

/**
 * Reads a PDF receipt: its text layer when it has one (a receipt made by a till or a web
 * shop), otherwise its pages rendered to images for OCR (a scan saved as PDF). Only the first
 * pdfPagesMax pages are read. pdf.js bounds the images it decodes (maxImageSize) and never
 * evaluates code from the file; what it cannot bound (a content stream that inflates to
 * gigabytes) is bounded by the child process this runs in.
 */
export async function readPdfDocument(bytes: Uint8Array): Promise<PdfContent> {
  const task = getDocument({
    data: bytes,
    ...localData,
    useSystemFonts: false,
    disableFontFace: true,
    isEvalSupported: false,
    stopAtErrors: false,
    verbosity: VerbosityLevel.ERRORS,
    maxImageSize: pdfRenderPixelsMax,
    canvasMaxAreaInBytes: pdfCanvasBytesMax,
  });
  try {
    return await readDocument(await task.promise);
  } catch (error) {
    if (error instanceof ReceiptUnreadableError) throw error;
    throw new ReceiptUnreadableError(`the PDF is broken (${error instanceof Error ? error.message : String(error)})`, error);
  } finally {
    await task.destroy();
  }
}
