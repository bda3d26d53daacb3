import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../test-support/fixtures.js';
import { findDates } from './dates.js';
import { createPaddleOcr, pageOfSegments, spacedDateTimes } from './paddle-ocr.js';
import { OcrTimeoutError } from './tesseract-ocr.js';

describe('spacedDateTimes', () => {
  it.each([
    ['26/02/201808:28', '26/02/2018 08:28'],
    ['26/02/1808:28', '26/02/18 08:28'],
    ['2017-12-2822:17PM', '2017-12-28 22:17PM'],
    ['Date:05-03-2018 19:02:50', 'Date:05-03-2018 19:02:50'],
    ['TOTAL 80.90', 'TOTAL 80.90'],
  ])('reads %s as %s', (read, spaced) => {
    expect(spacedDateTimes(read)).toBe(spaced);
  });

  it('gives the date reader the date a dropped space hid', () => {
    expect(findDates('2017-12-2822:17PM')).toEqual([]);
    expect(findDates(spacedDateTimes('2017-12-2822:17PM'))[0]).toMatchObject({ year: 2017, month: 12, day: 28 });
  });
});

describe('pageOfSegments', () => {
  it('joins a label and the amount detected apart on its line, and keeps lines top to bottom', () => {
    const box = (left: number, top: number, right: number, bottom: number) => [[left, top], [right, top], [right, bottom], [left, bottom]];
    const page = pageOfSegments([
      { text: 'CASH', confidence: 0.9, box: box(20, 60, 80, 80) },
      { text: '15.00', confidence: 0.95, box: box(400, 32, 470, 52) },
      { text: 'Sub Total', confidence: 0.9, box: box(20, 30, 150, 50) },
    ]);
    expect(page.lines.map((l) => l.text.replace(/\s+/g, ' '))).toEqual(['Sub Total 15.00', 'CASH']);
    expect(page.lines[0]?.words?.map((w) => w.text)).toEqual(['Sub', 'Total', '15.00']);
  });
});

describe('the PaddleOCR engine', () => {
  const ocr = createPaddleOcr();
  afterAll(() => ocr.close());

  it('fails a read that runs past its time, and reads the next image on a new worker', async () => {
    const scan = await readFile(fixturePath('receipts-sroie', 'img', '103.jpg'));
    // The first read loads the models; the second is past its time while a model runs.
    expect((await ocr.recognize(scan, { timeoutMs: 120_000 })).text).toMatch(/148\.40/);
    await expect(ocr.recognize(scan, { timeoutMs: 300 })).rejects.toBeInstanceOf(OcrTimeoutError);
    expect((await ocr.recognize(scan, { timeoutMs: 120_000 })).text).toMatch(/148\.40/);
  }, 180_000);
});
