// Receipt files made to hurt the reader: small files that decode to far more than they
// weigh. Tests build them as they run, so no such file is committed; the zeros they stand for
// are deflated in chunks and never held whole.
import { createDeflate, crc32, deflateSync } from 'node:zlib';

const chunkBytes = 1024 * 1024;

/** These parts one after the other, deflated (RFC 1950) as they come, never held together. */
async function deflatedParts(parts: Iterable<Buffer>): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  for (const part of parts) {
    if (!deflate.write(part)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  return Buffer.concat(out);
}

function* zeroParts(zeros: number, head: Buffer): Generator<Buffer> {
  yield head;
  const chunk = Buffer.alloc(chunkBytes);
  for (let written = 0; written < zeros; written += chunk.length) yield zeros - written >= chunk.length ? chunk : chunk.subarray(0, zeros - written);
}

/** `head`, then `zeros` zero bytes, deflated (RFC 1950) without ever holding the zeros. */
export function deflatedZeros(zeros: number, head = Buffer.alloc(0)): Promise<Buffer> {
  return deflatedParts(zeroParts(zeros, head));
}

/** A PDF 1.4 file of these objects, numbered from 1, with its cross-reference table (PDF 32000 7.5). */
export function pdfOfObjects(objects: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  let length = parts[0]?.length ?? 0;
  const offsets = objects.map((body, index) => {
    const offset = length;
    const chunk = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    length += chunk.length;
    return offset;
  });
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** The printed line of the bomb's page: enough text that a reader takes the PDF for a till's. */
export const bombReceiptText = 'CORNER BAKERY TOTAL 12.50 THANK YOU';

/**
 * A one-page PDF receipt whose content stream is a line of text and then `inflatedBytes` zero
 * bytes (white space to a PDF parser): a few hundred kilobytes that inflate to that much.
 * `hidden`: the deflated stream is also ASCIIHex-encoded ([/ASCIIHexDecode /FlateDecode]), so
 * its first bytes are no zlib header and only a bound on the reader's memory stops it.
 */
export async function pdfBomb(inflatedBytes: number, { hidden = false }: { hidden?: boolean } = {}): Promise<Buffer> {
  const deflated = await deflatedZeros(inflatedBytes, Buffer.from(`BT /F1 10 Tf 10 100 Td (${bombReceiptText}) Tj ET\n`, 'latin1'));
  const data = hidden ? Buffer.from(`${deflated.toString('hex')}>`, 'latin1') : deflated;
  const filter = hidden ? '[/ASCIIHexDecode /FlateDecode]' : '/FlateDecode';
  return pdfOfObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 226 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    Buffer.concat([Buffer.from(`<< /Length ${data.length} /Filter ${filter} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

function* numberArrayParts(numbers: number, head: string, tail: string): Generator<Buffer> {
  yield Buffer.from(head, 'latin1');
  const perChunk = chunkBytes / 2;
  const chunk = Buffer.from('1 '.repeat(perChunk), 'latin1');
  for (let written = 0; written < numbers; written += perChunk) yield numbers - written >= perChunk ? chunk : chunk.subarray(0, 2 * (numbers - written));
  yield Buffer.from(tail, 'latin1');
}

/**
 * A one-page PDF receipt whose page shows its text with a TJ array (PDF 32000 9.4.3) of
 * `numbers` numbers, "1 1 1 ...": a few tens of kilobytes, inflating to two bytes a number,
 * that pdf.js parses into one JavaScript array of that many elements. Twenty million take
 * more than 256 MB of V8 heap (eight bytes each, and more while the array grows), with
 * little memory outside it.
 */
export async function pdfHeapBomb(numbers: number): Promise<Buffer> {
  const data = await deflatedParts(numberArrayParts(numbers, `BT /F1 10 Tf 10 100 Td (${bombReceiptText}) Tj [`, '] TJ ET\n'));
  return pdfOfObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 226 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    Buffer.concat([Buffer.from(`<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A black PNG (ISO 15948: one bit a pixel, gray) of width x height pixels: 20,000 x 20,000 is
 * about 50 kB on disk and 400 million pixels decoded.
 */
export function pngBomb(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(1, 8); // bit depth
  header.writeUInt8(0, 9); // colour type: gray
  // Each row: filter type 0, then the row's bits; all zero.
  const rows = Buffer.alloc(height * (1 + Math.ceil(width / 8)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
