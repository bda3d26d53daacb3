import { describe, expect, it } from 'vitest';
import { eraseRuleLines, type GrayImage } from './rule-lines.js';

const paper = 240;
const ink = 30;

/** A page of paper with dark boxes drawn on it: [left, top, width, height]. */
function page(width: number, height: number, boxes: [number, number, number, number][]): GrayImage {
  const data = Buffer.alloc(width * height, paper);
  for (const [left, top, w, h] of boxes) {
    for (let y = top; y < top + h; y += 1) data.fill(ink, y * width + left, y * width + left + w);
  }
  return { data, width, height };
}

const inkAt = (image: GrayImage, x: number, y: number): boolean => (image.data[y * image.width + x] ?? paper) < 128;

describe('eraseRuleLines', () => {
  it('paints over a dashed rule across the page and keeps the text lines around it', () => {
    const dashes = Array.from({ length: 40 }, (_, i): [number, number, number, number] => [20 + i * 24, 100, 14, 4]);
    const text: [number, number, number, number][] = [[20, 40, 300, 30], [700, 40, 200, 30], [20, 130, 400, 30]];
    const erased = eraseRuleLines(page(1000, 200, [...dashes, ...text]), 128, paper);
    expect(inkAt(erased, 22, 101)).toBe(false);
    expect(inkAt(erased, 500, 102)).toBe(false);
    expect(inkAt(erased, 25, 50)).toBe(true);
    expect(inkAt(erased, 800, 50)).toBe(true);
    expect(inkAt(erased, 25, 140)).toBe(true);
  });

  it.each([
    ['a short dash in a line of its own', [[400, 100, 60, 4]]],
    ['a line of text', [[20, 100, 900, 30]]],
    ['dots too sparse to be a rule', Array.from({ length: 20 }, (_, i) => [20 + i * 48, 100, 4, 4])],
  ] as [string, [number, number, number, number][]][])('keeps %s', (_case, boxes) => {
    const image = page(1000, 200, boxes);
    expect(eraseRuleLines(image, 128, paper)).toBe(image);
  });
});
