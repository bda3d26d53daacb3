import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ReceiptImageTooLargeError, ReceiptTooLargeError, ReceiptUnreadableError, ReceiptUnsupportedTypeError } from './errors.js';
import { extractReceipt, extractReceiptText, receiptBytesMax } from './extract-receipt.js';
import { createReceiptOcr } from './ocr.js';

const fixtures = path.resolve('../shared/fixtures/receipts-sroie/img');

describe('extractReceipt', () => {
  const ocr = createReceiptOcr(1);
  afterAll(() => ocr.close());

  it.each([
    ['103.jpg', { total: '148.40', date: '2017-12-28', currency: 'MYR', source: 'image' }],
    ['133.jpg', { total: '248.05', date: '2017-09-27', currency: 'MYR', source: 'image' }],
  ])('reads the total and date of the scanned receipt %s offline', async (file, expected) => {
    const read = await extractReceipt(path.join(fixtures, file), { ocr });
    expect(read).toMatchObject(expected);
    expect(read.confidence.total).toBeGreaterThan(0.3);
    expect(read.text).toMatch(/TOTAL/i);
  });

  it('refuses a file that is neither an image nor a PDF, whatever it is called', async () => {
    await expect(extractReceipt(Buffer.from('<html>receipt.jpg</html>'), { ocr })).rejects.toBeInstanceOf(ReceiptUnsupportedTypeError);
  });

  it('refuses a JPEG whose data is broken with a typed error', async () => {
    const jpeg = await sharp({ create: { width: 400, height: 800, channels: 3, background: '#fff' } }).jpeg().toBuffer();
    const broken = Buffer.concat([jpeg.subarray(0, 40), Buffer.alloc(2000, 0x55)]);
    await expect(extractReceipt(broken, { ocr })).rejects.toBeInstanceOf(ReceiptUnreadableError);
  });

  it('refuses an image claiming absurd dimensions before decoding it', async () => {
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#fff' } }).jpeg().toBuffer();
    const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(65_000, frame + 5);
    jpeg.writeUInt16BE(65_000, frame + 7);
    await expect(extractReceipt(jpeg, { ocr })).rejects.toBeInstanceOf(ReceiptImageTooLargeError);
  });

  it('refuses a file over the size limit before reading it', async () => {
    await expect(extractReceipt(Buffer.alloc(receiptBytesMax + 1), { ocr })).rejects.toBeInstanceOf(ReceiptTooLargeError);
  });
});

describe('extractReceiptText', () => {
  it('reads an e-mail receipt body and says it was read from text', () => {
    const read = extractReceiptText('Acme Books Ltd\nOrder date: 30 Nov 2026\nTotal: €12.50', { today: new Date('2026-12-15T00:00:00Z') });
    expect(read).toMatchObject({ source: 'text', merchant: 'Acme Books Ltd', date: '2026-11-30', total: '12.50', currency: 'EUR' });
  });
});
