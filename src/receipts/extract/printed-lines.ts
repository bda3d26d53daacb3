import type { OcrLine } from './ocr-page.js';

/**
 * Tesseract's layout analysis cuts a page into blocks before it reads lines, and a receipt's
 * column of right-aligned amounts often becomes a block of its own: the decimal points, one
 * above the other, leave a vertical river of white that looks like a gap between columns.
 * The amounts then come out after all the labels ("TOTAL EUR 1000" ... ".95"), and the
 * parsers never see a label and its amount on one line. Here the pieces of one printed line
 * are put back together: lines of different blocks at the same height, side by side, are one
 * line, read left to right.
 */

/** Two pieces are on one printed line when their heights overlap by this share of the smaller. */
const sameLineOverlapMin = 0.6;

type PlacedLine = OcrLine & { top: number; bottom: number; left: number; right: number };

function place(line: OcrLine): PlacedLine | null {
  const words = line.words ?? [];
  const first = words[0];
  const last = words[words.length - 1];
  if (line.top === undefined || line.bottom === undefined || first?.left === undefined || last?.right === undefined) return null;
  return { ...line, top: line.top, bottom: line.bottom, left: first.left, right: last.right };
}

function sameLine(a: PlacedLine, b: PlacedLine): boolean {
  const shared = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  const horizontalGap = Math.max(a.left, b.left) - Math.min(a.right, b.right);
  return horizontalGap > 0 && shared >= sameLineOverlapMin * Math.min(a.bottom - a.top, b.bottom - b.top);
}

/**
 * Two pieces as one line; the gap between them is kept as spaces of the pieces' character
 * width, none when it is narrower than half a character (an amount cut at its decimal point).
 */
function join(left: PlacedLine, right: PlacedLine): PlacedLine {
  const characters = left.text.length + right.text.length;
  const characterPx = (left.right - left.left + right.right - right.left) / Math.max(1, characters);
  const spaces = Math.round((right.left - left.right) / Math.max(1, characterPx));
  const words = [...(left.words ?? []), ...(right.words ?? [])];
  return {
    text: `${left.text}${' '.repeat(spaces)}${right.text}`,
    confidence: Math.round((words.reduce((sum, w) => sum + w.confidence, 0) / Math.max(1, words.length)) * 100) / 100,
    words,
    top: Math.min(left.top, right.top),
    bottom: Math.max(left.bottom, right.bottom),
    left: left.left,
    right: right.right,
  };
}

/**
 * The printed lines of a page from Tesseract's lines in reading order: pieces of one line
 * found in different blocks are joined, and the lines are given top to bottom. Lines without
 * a position (not from OCR) are returned as they are.
 */
export function printedLines(lines: readonly OcrLine[]): OcrLine[] {
  const placed = lines.map(place);
  if (placed.some((line) => line === null)) return [...lines];
  const assembled: PlacedLine[] = [];
  for (const line of placed as PlacedLine[]) {
    const index = assembled.findIndex((other) => sameLine(other, line));
    const other = assembled[index];
    if (!other) assembled.push(line);
    else assembled[index] = other.left < line.left ? join(other, line) : join(line, other);
  }
  // Stable: lines Tesseract gave in one block keep their order.
  return assembled.sort((a, b) => a.top - b.top).map(({ left: _left, right: _right, ...line }) => line);
}
