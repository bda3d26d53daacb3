// The PDF reading child process: reads the PDFs that pdf.ts sends it over IPC, one at a
// time, and answers with what it read or why it could not. It holds no state between files;
// pdf.ts kills it when a file takes too long or too much memory, and it dies on its own when
// V8 runs out of the heap it was started with. Before it says it is ready it reads two tiny
// PDFs of its own, so that loading pdf.js, its fonts and the canvas is not counted against
// the first receipt's memory.
import { ReceiptUnreadableError } from './errors.js';
import { readPdfDocument, type PdfContent } from './pdf-document.js';
import { checkPdfInflation } from './pdf-streams.js';

export interface PdfReadRequest {
  id: number;
  bytes: Uint8Array;
}

export type PdfReadAnswer =
  | { ready: true }
  | { id: number; ok: true; content: PdfContent }
  | { id: number; ok: false; unreadable: boolean; message: string };

/**
 * An allocation the kernel refused: the child runs under a data segment limit (pdf.ts
 * pdfReaderDataMbMax), so pdf.js's typed arrays fail with this rather than grow it further.
 */
function isAllocationFailure(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof RangeError && /allocation failed/i.test(cause.message)) return true;
  }
  return false;
}

/** `message` of an unreadable file says what is wrong with it, without the error's prefix. */
async function read({ id, bytes }: PdfReadRequest): Promise<PdfReadAnswer> {
  try {
    await checkPdfInflation(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    // IPC's advanced serialization hands a Buffer over as a Buffer, which pdf.js refuses.
    return { id, ok: true, content: await readPdfDocument(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) };
  } catch (error) {
    if (isAllocationFailure(error)) return { id, ok: false, unreadable: true, message: 'reading the PDF needed more memory than its reader may have' };
    if (error instanceof ReceiptUnreadableError) return { id, ok: false, unreadable: true, message: error.what };
    return { id, ok: false, unreadable: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** A PDF of one page (PDF 32000 7.5), without a cross-reference table: pdf.js rebuilds it. */
const pdfOfPage = (page: string, content: string, objects: string[] = []): Uint8Array =>
  new TextEncoder().encode(
    [
      '%PDF-1.4',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      `3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] ${page} /Contents 4 0 R >> endobj`,
      `4 0 obj << /Length ${content.length} >> stream\n${content}\nendstream endobj`,
      ...objects,
      'trailer << /Root 1 0 R >>',
      '%%EOF',
    ].join('\n'),
  );

/** A page of text in a standard font, and a page that is one gray pixel (read as a scan). */
const warmUpPdfs = [
  pdfOfPage('/Resources << /Font << /F1 5 0 R >> >>', 'BT /F1 10 Tf 10 50 Td (WARM UP TOTAL 0.00 READY) Tj ET', ['5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj']),
  pdfOfPage('/Resources << /XObject << /Im1 5 0 R >> >>', 'q 100 0 0 100 0 0 cm /Im1 Do Q', ['5 0 obj << /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >> stream\n\x80\nendstream endobj']),
];

const send = process.send?.bind(process);
if (!send) throw new Error('pdf-read-child runs as a child process of pdf.ts, with an IPC channel');
// The server is gone (or closed the reader): nobody is left to answer.
process.on('disconnect', () => process.exit(0));
for (const pdf of warmUpPdfs) await readPdfDocument(pdf);
process.on('message', (request: PdfReadRequest) => {
  void read(request).then((answer) => send(answer));
});
send({ ready: true } satisfies PdfReadAnswer);
