import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractReceipt } from './extract-receipt.js';
import { createReceiptOcr } from './ocr.js';

const fixtures = path.resolve('../shared/fixtures/receipts-sroie/img');

describe('extractReceipt', () => {
  const ocr = createReceiptOcr(1);
  afterAll(() => ocr.close());

  it.each([
    ['103.jpg', { total: '148.40', date: '2017-12-28', currency: 'MYR' }],
    ['133.jpg', { total: '248.05', date: '2017-09-27', currency: 'MYR' }],
  ])('reads the total and date of the scanned receipt %s offline', async (file, expected) => {
    const read = await extractReceipt(path.join(fixtures, file), { ocr });
    expect(read).toMatchObject(expected);
    expect(read.confidence.total).toBeGreaterThan(0.3);
  });

  it('refuses an input that is not an image', async () => {
    await expect(extractReceipt(Buffer.from('not an image'), { ocr })).rejects.toThrow();
  });
});
