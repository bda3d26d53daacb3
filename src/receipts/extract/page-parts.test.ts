import { describe, expect, it } from 'vitest';
import { pageParts } from './page-parts.js';
import type { ReceiptPage } from './preprocess.js';

const width = 200;
const ink = 20;
const paper = 230;

/** A page of printed lines: each [top, bottom) row span is inked across its middle. */
function pageWithLines(height: number, lines: readonly [number, number][]): ReceiptPage {
  const data = Buffer.alloc(width * height, paper);
  for (const [top, bottom] of lines) {
    for (let y = top; y < bottom; y += 1) data.fill(ink, y * width + 20, y * width + 180);
  }
  return { data, width, height, inkLevel: ink, paperLevel: paper };
}

/** Lines 30 px tall with 20 px of white between them, from `from` to `to`. */
function evenLines(from: number, to: number): [number, number][] {
  const lines: [number, number][] = [];
  for (let top = from; top + 30 <= to; top += 50) lines.push([top, top + 30]);
  return lines;
}

const inked = (page: ReceiptPage, y: number): boolean => page.data.subarray(y * width, (y + 1) * width).some((v) => v < 100);

describe('pageParts', () => {
  it('cuts a long page in two in the white between lines, the parts covering it end to end', () => {
    const page = pageWithLines(2000, evenLines(10, 1990));
    const parts = pageParts(page);
    expect(parts).toHaveLength(2);
    expect(parts[0]?.top).toBe(0);
    expect(parts[0]?.bottom).toBe(parts[1]?.top);
    expect(parts[1]?.bottom).toBe(2000);
    const cut = parts[0]?.bottom ?? 0;
    for (let y = cut - 5; y <= cut + 5; y += 1) expect(inked(page, y)).toBe(false);
    expect(Math.abs(cut - 1000)).toBeLessThan(60);
  });

  it('cuts where the ink divides evenly, not at half the height', () => {
    // Print in the top 1200 rows only, then blank paper down to 2400.
    const page = pageWithLines(2400, evenLines(10, 1200));
    const cut = pageParts(page)[0]?.bottom ?? 0;
    expect(Math.abs(cut - 600)).toBeLessThan(60);
    expect(inked(page, cut)).toBe(false);
  });

  it('keeps a page too short for two parts whole', () => {
    expect(pageParts(pageWithLines(1100, evenLines(10, 1090)))).toEqual([{ top: 0, bottom: 1100 }]);
  });

  it('keeps the page whole when no white between lines lies near the middle', () => {
    // One solid block of ink from 500 to 1500: nowhere to cut without splitting print.
    const page = pageWithLines(2000, [[0, 30], [500, 1500], [1970, 2000]]);
    expect(pageParts(page)).toEqual([{ top: 0, bottom: 2000 }]);
  });

  it('does not take gaps narrower than a line break for a cut', () => {
    // Lines 4 px apart: too little white to cut between.
    const lines: [number, number][] = [];
    for (let top = 0; top + 30 <= 2000; top += 34) lines.push([top, top + 30]);
    expect(pageParts(pageWithLines(2000, lines))).toHaveLength(1);
  });

  it('reads a page in one part when asked for one', () => {
    expect(pageParts(pageWithLines(2000, evenLines(10, 1990)), 1)).toEqual([{ top: 0, bottom: 2000 }]);
  });
});
