// How much a PDF's compressed streams inflate to, counted before pdf.js opens the file.
// pdf.js inflates a stream whole into one growing buffer, with no bound: a 3 MB receipt whose
// page content is 3 GiB of deflated zeros makes it allocate 3 GiB. Counting the output of
// node's zlib, chunk by chunk and thrown away, finds such a file in a fraction of a second
// and without holding what it inflates.
import { constants, createInflate } from 'node:zlib';
import { ReceiptUnreadableError } from './errors.js';

/**
 * All of a receipt's Flate streams together inflate to at most this. A page scanned at
 * 300 DPI in colour is about 26 MB of pixels, so a few such pages fit; a content stream of
 * hundreds of megabytes is no receipt.
 */
export const pdfInflatedBytesMax = 256 * 1024 * 1024;

/** Inflated output is counted in chunks of this size (zlib's default of 16 KiB is 16,384 events for 256 MiB). */
const inflateChunkBytes = 256 * 1024;

const streamKeyword = Buffer.from('stream', 'latin1');
const endstreamKeyword = Buffer.from('endstream', 'latin1');

/**
 * The data of each stream of the file: from the end of line after `stream` to the next
 * `endstream` (PDF 32000 7.3.8.1), found by scanning the bytes, as pdf.js itself does when a
 * stream's /Length is wrong; a /Length is never trusted here.
 */
function* streamData(bytes: Buffer): Generator<Buffer> {
  let from = 0;
  for (;;) {
    const keyword = bytes.indexOf(streamKeyword, from);
    if (keyword < 0) return;
    from = keyword + streamKeyword.length;
    // `endstream` contains `stream`; its data ended before it.
    if (keyword >= 3 && bytes.toString('latin1', keyword - 3, keyword) === 'end') continue;
    let start = from;
    if (bytes[start] === 0x0d) start += 1;
    if (bytes[start] === 0x0a) start += 1;
    if (start === from) continue;
    const end = bytes.indexOf(endstreamKeyword, start);
    yield bytes.subarray(start, end < 0 ? bytes.length : end);
    if (end < 0) return;
    from = end + endstreamKeyword.length;
  }
}

/** A zlib header (RFC 1950 2.2): deflate, and a check value that is a multiple of 31. */
function isZlib(data: Buffer): boolean {
  const [cmf = 0, flg = 0] = data;
  return data.length >= 2 && (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

/** Bytes the stream inflates to, counted up to `budget` (then budget + 1); broken data counts what came before the break. */
function inflatedLength(data: Buffer, budget: number): Promise<number> {
  return new Promise((resolve) => {
    // A stream cut short or followed by junk is still read by pdf.js: count what inflates.
    const inflate = createInflate({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: inflateChunkBytes });
    let length = 0;
    const done = () => {
      inflate.removeAllListeners('data');
      resolve(length);
    };
    inflate.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > budget) {
        inflate.destroy();
        done();
      }
    });
    inflate.on('end', done);
    inflate.on('error', done);
    inflate.on('close', done);
    inflate.end(data);
  });
}

/**
 * Refuses a PDF whose Flate streams inflate to more than pdfInflatedBytesMax together. Streams
 * hidden behind another filter first (ASCIIHex, ASCII85, LZW) are not counted here: the
 * worker's memory bound stops those.
 */
export async function checkPdfInflation(bytes: Buffer, inflatedBytesMax = pdfInflatedBytesMax): Promise<void> {
  let total = 0;
  for (const data of streamData(bytes)) {
    if (!isZlib(data)) continue;
    total += await inflatedLength(data, inflatedBytesMax - total);
    if (total > inflatedBytesMax) {
      throw new ReceiptUnreadableError(`the PDF's compressed streams inflate to more than ${inflatedBytesMax / 1024 / 1024} MiB`);
    }
  }
}
