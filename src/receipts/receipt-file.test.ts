import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.js';
import { pngBomb } from '../test-support/hostile-files.js';
import { prepareReceiptFile, receiptImageSidePxMax } from './receipt-file.js';

const bytesMax = 10 * 1024 * 1024;
const photo = (width = 600, height = 900) => sharp({ create: { width, height, channels: 3, background: '#f4f1ea' } });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
}

describe('prepareReceiptFile', () => {
  it('removes the location and other metadata from a photo and keeps it upright', async () => {
    const withGps = await photo()
      .withMetadata({ orientation: 6, exif: { IFD0: { Make: 'PhoneMaker' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '55/1 40/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '12/1 34/1 0/1' } } })
      .jpeg()
      .toBuffer();
    expect((await sharp(withGps).metadata()).exif).toBeDefined();
    expect(withGps.includes(Buffer.from('PhoneMaker'))).toBe(true);
    const prepared = await prepareReceiptFile(withGps, bytesMax);
    const stored = await sharp(prepared.bytes).metadata();
    expect(prepared.mediaType).toBe('image/jpeg');
    expect(stored.exif).toBeUndefined();
    expect(prepared.bytes.includes(Buffer.from('PhoneMaker'))).toBe(false);
    // Orientation 6 means "rotate 90° clockwise to view": the stored image is turned.
    expect([stored.width, stored.height]).toEqual([900, 600]);
    expect(prepared.originalSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await sharp(prepared.thumbnail!).metadata()).width).toBe(240);
  });

  it('keeps a PDF as it is, without a thumbnail', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const prepared = await prepareReceiptFile(pdf, bytesMax);
    expect(prepared).toMatchObject({ mediaType: 'application/pdf', thumbnail: null });
    expect(prepared.bytes.equals(pdf)).toBe(true);
  });

  it.each([
    ['an empty file', async () => Buffer.alloc(0), 'validation_failed'],
    ['a GIF named like a photo', async () => photo(10, 10).gif().toBuffer(), 'receipt_unsupported_type'],
    ['an HTML page', async () => Buffer.from('<html>receipt</html>'), 'receipt_unsupported_type'],
    ['a truncated JPEG', async () => (await photo().jpeg().toBuffer()).subarray(0, 200), 'receipt_unsupported_type'],
    ['a strip longer than any receipt', async () => photo(receiptImageSidePxMax + 1, 4).png().toBuffer(), 'receipt_image_too_large'],
    ['a decompression bomb', async () => sharp({ create: { width: 7000, height: 7000, channels: 3, background: '#fff' } }).png().toBuffer(), 'receipt_image_too_large'],
    ['a 50 kB PNG of 20,000 x 20,000 pixels', async () => pngBomb(20_000, 20_000), 'receipt_image_too_large'],
  ])('refuses %s', async (_, make, code) => {
    expect(await codeOf(prepareReceiptFile(await make(), bytesMax))).toBe(code);
  });

  it('refuses a file over the size limit before looking inside', async () => {
    expect(await codeOf(prepareReceiptFile(await photo().jpeg().toBuffer(), 100))).toBe('receipt_too_large');
  });
});
