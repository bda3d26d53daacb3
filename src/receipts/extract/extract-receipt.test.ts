import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ReceiptImageTooLargeError, ReceiptTooLargeError, ReceiptUnreadableError, ReceiptUnsupportedTypeError } from './errors.js';
import { extractReceipt, receiptBytesMax } from './extract-receipt.js';
import { renderReceiptPicture } from '../../demo/receipt-pictures.js';
import { normaliseMerchantName } from '../merchant-name.js';
import type { ReceiptOcr } from './ocr-page.js';
import { createReceiptOcr } from './tesseract-ocr.js';
import { createPaddleOcr } from './paddle-ocr.js';
import { fixturePath } from '../../test-support/fixtures.js';
import { pngBomb } from '../../test-support/hostile-files.js';

const fixtures = fixturePath('receipts-sroie', 'img');

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

  it('refuses a 50 kB PNG of 20,000 x 20,000 pixels before decoding it', async () => {
    await expect(extractReceipt(pngBomb(20_000, 20_000), { ocr })).rejects.toBeInstanceOf(ReceiptImageTooLargeError);
  });

  it('refuses a file over the size limit before reading it', async () => {
    await expect(extractReceipt(Buffer.alloc(receiptBytesMax + 1), { ocr })).rejects.toBeInstanceOf(ReceiptTooLargeError);
  });
});

/** The pool, noting when each recognition was given to it and when it came back. */
function watched(ocr: ReceiptOcr): ReceiptOcr & { events: ('start' | 'end')[] } {
  const events: ('start' | 'end')[] = [];
  return {
    async recognize(image, options) {
      events.push('start');
      try {
        return await ocr.recognize(image, options);
      } finally {
        events.push('end');
      }
    },
    close: () => ocr.close(),
    events,
  };
}

describe('extractReceipt on a pool of two workers', () => {
  const one = createReceiptOcr(1);
  const two = watched(createReceiptOcr(2));
  afterAll(() => Promise.all([one.close(), two.close()]));

  it('reads the parts of a tall receipt side by side, with the same fields and text as on one worker', async () => {
    const file = path.join(fixtures, '103.jpg');
    const alone = await extractReceipt(file, { ocr: one });
    const together = await extractReceipt(file, { ocr: two });
    // The first reading of the page: both parts were given to the pool before either came back.
    expect(two.events.slice(0, 2)).toEqual(['start', 'start']);
    expect(together).toEqual(alone);
    expect(together).toMatchObject({ total: '148.40', date: '2017-12-28' });
  });
});

describe('extractReceipt with a second engine for the figures', () => {
  const ocr = createReceiptOcr(1);
  const paddle = watched(createPaddleOcr());
  afterAll(() => Promise.all([ocr.close(), paddle.close()]));

  it('asks it only where the total or the date is weak after the first engine', async () => {
    // Tesseract reads this receipt's total and date well: PaddleOCR is not asked.
    const clear = await extractReceipt(path.join(fixtures, '103.jpg'), { ocr, figuresOcr: paddle });
    expect(clear).toMatchObject({ total: '148.40', date: '2017-12-28' });
    expect(paddle.events).toEqual([]);
    // A highlighter covers this one's total, and Tesseract loses it and the cash tendered;
    // PaddleOCR reads both, and the cash less the change agrees with it.
    const highlighted = await extractReceipt(path.join(fixtures, '213.jpg'), { ocr, figuresOcr: paddle });
    expect(highlighted).toMatchObject({ total: '10.45', date: '2018-02-28' });
    expect(paddle.events).toEqual(['start', 'end']);
  });
});

/** A till receipt photographed a little crooked and compressed harder, as phones do. */
async function crookedPhoto(jpeg: Buffer, degrees: number): Promise<Buffer> {
  return sharp(jpeg).rotate(degrees, { background: '#8a8f96' }).jpeg({ quality: 70 }).toBuffer();
}

describe('extractReceipt on till receipts with the amounts in a column on the right', () => {
  const ocr = createReceiptOcr(1);
  afterAll(() => ocr.close());
  const today = new Date('2026-12-15T00:00:00Z');

  it.each([
    ['one item and VAT', { merchant: 'Cafe Nord', date: '2026-12-01', items: [{ name: 'Lunch menu', amount: '18.40' }], total: '18.40', currency: 'EUR', vat: { rate: '25', amount: '3.68' } }],
    ['one item without VAT', { merchant: 'Kiosk Syd', date: '2026-11-28', items: [{ name: 'Newspaper', amount: '7.00' }], total: '7.00', currency: 'EUR' }],
    ['two items and VAT', { merchant: 'Tokyo Kitchen', date: '2026-10-03', items: [{ name: 'Ramen', amount: '21.50' }, { name: 'Green tea', amount: '10.20' }], total: '31.70', currency: 'EUR', vat: { rate: '25', amount: '6.34' } }],
    ['two items without VAT', { merchant: 'Bakery Lund', date: '2026-09-14', items: [{ name: 'Rye bread', amount: '4.50' }, { name: 'Cinnamon bun', amount: '3.25' }], total: '7.75', currency: 'EUR' }],
    ['three items and a large total', { merchant: 'Hardware Hansen', date: '2026-12-11', items: [{ name: 'Drill', amount: '899.00' }, { name: 'Screws', amount: '42.95' }, { name: 'Gloves', amount: '59.00' }], total: '1000.95', currency: 'EUR', vat: { rate: '25', amount: '200.19' } }],
  ])('reads the total, date and merchant of a receipt with %s', async (_case, picture) => {
    const read = await extractReceipt(await renderReceiptPicture(picture), { ocr, today });
    expect(read).toMatchObject({ total: picture.total, date: picture.date, currency: 'EUR' });
    expect(normaliseMerchantName(read.merchant ?? '')).toBe(normaliseMerchantName(picture.merchant));
    // The amounts' column is in the text kept for review, on the lines of their labels.
    expect(read.text).toMatch(new RegExp(`TOTAL EUR\\s+${picture.total.replace('.', '\\.')}`));
  });

  it.each([1.5, -2])('reads a receipt photographed %s degrees crooked', async (degrees) => {
    const picture = { merchant: 'Cafe Nord', date: '2026-12-01', items: [{ name: 'Lunch menu', amount: '18.40' }], total: '18.40', currency: 'EUR', vat: { rate: '25', amount: '3.68' } };
    const read = await extractReceipt(await crookedPhoto(await renderReceiptPicture(picture), degrees), { ocr, today });
    expect(read).toMatchObject({ total: '18.40', date: '2026-12-01' });
    expect(read.merchant).toMatch(/cafe nord/i);
  });
});
