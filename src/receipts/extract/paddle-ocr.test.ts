import { describe, expect, it } from 'vitest';
import { findDates } from './dates.js';
import { pageOfSegments, spacedDateTimes } from './paddle-ocr.js';

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
