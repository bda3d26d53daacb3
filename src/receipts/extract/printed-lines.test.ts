import { describe, expect, it } from 'vitest';
import type { OcrLine } from './ocr-page.js';
import { printedLines } from './printed-lines.js';

/** An OCR line of one-pixel-per-character words starting at `left`, 10 px a character. */
function line(text: string, left: number, top: number, height = 30): OcrLine {
  const words = [];
  let x = left;
  for (const word of text.split(/(\s+)/)) {
    if (word.trim()) words.push({ text: word, confidence: 0.9, left: x, right: x + word.length * 10 });
    x += word.length * 10;
  }
  return { text, confidence: 0.9, words, top, bottom: top + height };
}

describe('printedLines', () => {
  it('puts amounts that Tesseract read as a column of their own back on their labels’ lines', () => {
    const lines = printedLines([
      line('Date 11.12.2026      12:', 0, 100),
      line('TOTAL EUR          1000', 0, 200),
      line('Card payment       1000', 0, 300),
      line('04', 243, 101),
      line('.95', 232, 199),
      line('.95', 232, 301),
    ]);
    expect(lines.map((l) => l.text)).toEqual(['Date 11.12.2026      12:04', 'TOTAL EUR          1000.95', 'Card payment       1000.95']);
    expect(lines[1]?.words?.map((w) => w.text)).toEqual(['TOTAL', 'EUR', '1000', '.95']);
  });

  it('keeps the gap between a label and an amount read apart', () => {
    const [joined] = printedLines([line('TOTAL', 0, 200), line('18.40', 250, 202)]);
    expect(joined?.text).toBe('TOTAL                    18.40');
  });

  it('leaves lines above one another apart, top to bottom', () => {
    const lines = printedLines([line('CAFE NORD', 0, 0), line('Thank you', 0, 300), line('TOTAL 18.40', 0, 150)]);
    expect(lines.map((l) => l.text)).toEqual(['CAFE NORD', 'TOTAL 18.40', 'Thank you']);
  });

  it('returns text lines without positions as they are', () => {
    const lines = [{ text: 'B', confidence: 1 }, { text: 'A', confidence: 1 }];
    expect(printedLines(lines)).toEqual(lines);
  });
});
