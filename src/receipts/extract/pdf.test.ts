import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ReceiptUnreadableError } from './errors.js';
import { extractReceipt } from './extract-receipt.js';
import { createReceiptOcr } from './tesseract-ocr.js';
import { linesOfTextItems, pdfPagesMax } from './pdf-document.js';
import { readPdf } from './pdf.js';
import { pdfOfObjects } from '../../test-support/hostile-files.js';
import { pdfOfScan } from '../../test-support/receipt-pdfs.js';


const receiptLines = ['CORNER BAKERY SDN BHD', 'Date: 05/06/2018', 'BREAD         3.50', 'CAKE          9.00', 'TOTAL    RM  12.50', 'CASH         20.00', 'CHANGE        7.50'];

/** Pages of text set in Helvetica, one content stream each, as a till or a web shop writes them. */
function textPdf(pages: string[][]): Buffer {
  const pageCount = pages.length;
  const font = 3 + 2 * pageCount;
  const objects: string[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${pages.map((_, i) => `${3 + 2 * i} 0 R`).join(' ')}] /Count ${pageCount} >>`];
  for (const [index, lines] of pages.entries()) {
    const content = `BT /F1 10 Tf 20 380 Td 14 TL\n${lines.map((l) => `(${l}) Tj T*`).join('\n')}\nET`;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 226 400] /Contents ${4 + 2 * index} 0 R /Resources << /Font << /F1 ${font} 0 R >> >> >>`);
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  }
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  return pdfOfObjects(objects);
}

/** A scan saved as PDF: one page showing one JPEG and no text layer. */
async function scannedPdf(lines: string[]): Promise<Buffer> {
  // sharp renders text as a white-on-black mask; negated it is black print on white paper.
  const mask = await sharp({ text: { text: lines.join('\n'), dpi: 220, font: 'DejaVu Sans Mono' } }).negate().png().toBuffer();
  const jpeg = await sharp(mask).extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#ffffff' }).jpeg().toBuffer();
  return pdfOfScan(jpeg);
}

describe('readPdf', () => {
  it('reads a PDF with a text layer as lines of text', async () => {
    const content = await readPdf(textPdf([receiptLines]));
    expect(content.kind).toBe('text');
    expect(content.kind === 'text' && content.lines).toEqual(expect.arrayContaining(['CORNER BAKERY SDN BHD', 'Date: 05/06/2018']));
  });

  it(`reads only the first ${pdfPagesMax} pages`, async () => {
    const pages = Array.from({ length: pdfPagesMax + 2 }, (_, i) => [`PAGE ${i + 1} OF THE ORDER CONFIRMATION`]);
    const content = await readPdf(textPdf(pages));
    expect(content.kind === 'text' && content.lines).toEqual(pages.slice(0, pdfPagesMax).map(([line]) => line));
  });

  it('renders a page without a text layer for OCR', async () => {
    const content = await readPdf(await scannedPdf(receiptLines));
    expect(content.kind).toBe('scan');
    const [page] = content.kind === 'scan' ? content.pages : [];
    const { width = 0, height = 0 } = page ? await sharp(page).metadata() : {};
    // Rendered at print resolution, larger than the 200 DPI it was scanned at.
    expect(width).toBeGreaterThan(600);
    expect(height).toBeGreaterThan(300);
  });

  it.each([
    ['a header and garbage', Buffer.from('%PDF-1.4\nthis is no PDF at all')],
    ['a file cut short', textPdf([receiptLines]).subarray(0, 200)],
  ])('refuses %s with a typed error', async (_name, bytes) => {
    await expect(readPdf(bytes)).rejects.toBeInstanceOf(ReceiptUnreadableError);
    await expect(readPdf(bytes)).rejects.toMatchObject({ code: 'receipt_unreadable' });
  });
});

describe('linesOfTextItems', () => {
  const item = (str: string, x: number, y: number, width: number) => ({ str, dir: 'ltr', width, height: 10, transform: [10, 0, 0, 10, x, y], fontName: 'F1', hasEOL: false });

  it('joins the items of one baseline left to right, spaced by their gaps', () => {
    const items = [item('12.50', 180, 100, 25), item('TOTAL', 20, 100.5, 30), item('CAFE', 20, 120, 25)];
    expect(linesOfTextItems(items)).toEqual(['CAFE', 'TOTAL   12.50']);
  });
});

describe('extractReceipt on PDFs', () => {
  const ocr = createReceiptOcr(1);
  afterAll(() => ocr.close());

  it('reads the fields of a PDF receipt from its text layer, without OCR', async () => {
    const read = await extractReceipt(textPdf([receiptLines]), { ocr });
    expect(read).toMatchObject({ source: 'pdf_text', merchant: 'CORNER BAKERY SDN BHD', date: '2018-06-05', total: '12.50', currency: 'MYR' });
    expect(read.text).toContain('TOTAL');
  });

  it('reads the fields of a scanned PDF receipt by OCR', async () => {
    const read = await extractReceipt(await scannedPdf(receiptLines), { ocr });
    expect(read).toMatchObject({ source: 'pdf_scan', date: '2018-06-05', total: '12.50' });
    expect(read.text).toMatch(/CORNER BAKERY/);
  });

  it('keeps the figures engine\'s reading of a scanned page as evidence for the total', async () => {
    // No total line and no items: cash less change alone gives the total, too weakly, so the
    // figures engine (here a second Tesseract) is asked to read the page.
    const unlabelled = await scannedPdf(['CORNER BAKERY SDN BHD', 'Date: 05/06/2018', 'CASH         20.00', 'CHANGE        7.50']);
    const asked: number[] = [];
    const second = createReceiptOcr(1);
    const figuresOcr = { recognize: (image: Buffer, options?: Parameters<typeof second.recognize>[1]) => (asked.push(1), second.recognize(image, options)), close: () => second.close() };
    try {
      const alone = await extractReceipt(unlabelled, { ocr });
      const together = await extractReceipt(unlabelled, { ocr, figuresOcr });
      expect(asked.length).toBeGreaterThan(0);
      expect([alone.total, together.total]).toEqual(['12.50', '12.50']);
      expect(together.confidence.total).toBeGreaterThan(alone.confidence.total);
    } finally {
      await figuresOcr.close();
    }
  });

  it('refuses a broken PDF with a typed error', async () => {
    await expect(extractReceipt(Buffer.from('%PDF-1.7\n1 0 obj <<'), { ocr })).rejects.toMatchObject({ code: 'receipt_unreadable' });
  });
});
