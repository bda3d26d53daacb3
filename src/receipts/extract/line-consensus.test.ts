import { describe, expect, it } from 'vitest';
import { consensusLines } from './line-consensus.js';
import type { OcrLine } from './ocr-page.js';

/** A line read at `top`, its words laid out left to right 100 px apart. */
function line(top: number, words: [string, number][]): OcrLine {
  return {
    text: words.map(([text]) => text).join(' '),
    confidence: Math.min(...words.map(([, c]) => c)),
    top,
    bottom: top + 30,
    words: words.map(([text, confidence], i) => ({ text, confidence, left: i * 100, right: i * 100 + 80 })),
  };
}

describe('consensusLines', () => {
  it('lets two readings that agree outvote one unsure misread word', () => {
    const voted = consensusLines([
      [line(10, [['SANYO', 0.3], ['STATIONERY', 0.95]])],
      [line(12, [['SANYU', 0.8], ['STATIONERY', 0.9]])],
      [line(9, [['SANYU', 0.7], ['STATIONERY', 0.9]])],
    ]);
    expect(voted.map((l) => l.text)).toEqual(['SANYU STATIONERY']);
  });

  it('keeps the first reading where the others read nothing better', () => {
    const voted = consensusLines([[line(10, [['TEO', 0.95], ['HENG', 0.9]])], [line(10, [['TED', 0.4], ['HENG', 0.9]])]]);
    expect(voted.map((l) => l.text)).toEqual(['TEO HENG']);
  });

  it('drops a speck only one of three readings saw and lines the first reading lacks', () => {
    const speck = { text: '~', confidence: 0.2, left: 400, right: 410 };
    const first = line(10, [['ONE', 0.9], ['THREE', 0.9]]);
    const voted = consensusLines([
      [{ ...first, text: 'ONE THREE ~', words: [...(first.words ?? []), speck] }],
      [line(10, [['ONE', 0.9], ['THREE', 0.9]]), line(200, [['EXTRA', 0.9]])],
      [line(11, [['ONE', 0.9], ['THREE', 0.9]])],
    ]);
    expect(voted.map((l) => l.text)).toEqual(['ONE THREE']);
  });

  it('returns the first reading as it is when a reading has no word positions', () => {
    const plain = [{ text: 'PLAIN TEXT', confidence: 1 }];
    expect(consensusLines([plain, [line(10, [['OTHER', 0.9]])]])).toEqual(plain);
  });
});
