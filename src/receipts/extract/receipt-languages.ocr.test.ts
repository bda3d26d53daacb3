// Receipts printed in Danish, Swedish and German, drawn as images and read by real OCR: the
// words, letters and number forms of those languages have to survive Tesseract, not only the
// text parsers.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { renderLinesPdf } from '../../demo/receipt-pictures.js';
import { danishSlip, germanSlip, renderSlip, swedishSlip, type Slip } from '../../test-support/receipt-slips.js';
import { extractReceipt } from './extract-receipt.js';
import type { ReceiptOcr } from './ocr-page.js';
import type { ReceiptLanguage } from './receipt-languages.js';
import { createReceiptOcr } from './tesseract-ocr.js';

const today = new Date('2026-12-15T00:00:00Z');

const slips: [string, ReceiptLanguage, Slip][] = [
  ['a Danish furniture shop', 'dan', danishSlip],
  ['a Swedish café', 'swe', swedishSlip],
  ['a German bakery', 'deu', germanSlip],
];

describe('reading receipts printed in the company\'s language', () => {
  const pools = new Map<string, ReceiptOcr>();
  const poolOf = (languages: ReceiptLanguage[]): ReceiptOcr => {
    const key = languages.join('+');
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = createReceiptOcr(1, languages)));
    return pool;
  };
  afterAll(() => Promise.all([...pools.values()].map((pool) => pool.close())));

  it.each(slips)('reads %s in its language and English, with its items', async (_name, language, slip) => {
    const read = await extractReceipt(await renderSlip(slip.lines), { ocr: poolOf([language, 'eng']), today });
    expect(read).toMatchObject({ ...slip.fields, source: 'image' });
    expect(read.lineItems).toEqual(slip.lineItems);
  });

  it.each([3, -6])('reads the Danish slip photographed %d degrees askew', async (degrees) => {
    const photo = await sharp(await renderSlip(danishSlip.lines)).rotate(degrees, { background: '#8a8f96' }).jpeg({ quality: 85 }).toBuffer();
    const read = await extractReceipt(photo, { ocr: poolOf(['dan', 'eng']), today });
    const { merchant, date, total } = danishSlip.fields;
    expect(read).toMatchObject({ merchant, date, total });
  });

  it.each(slips)('reads %s from a shop\'s PDF with a text layer', async (_name, _language, slip) => {
    const read = await extractReceipt(renderLinesPdf(slip.lines), { today });
    expect(read).toMatchObject({ ...slip.fields, source: 'pdf_text' });
    expect(read.lineItems).toEqual(slip.lineItems);
  });

  it.each(slips)('misses the letters of %s in English alone', async (_name, _language, slip) => {
    const read = await extractReceipt(await renderSlip(slip.lines), { ocr: poolOf(['eng']), today });
    expect(read.merchant).not.toBe(slip.fields.merchant);
  });
});
