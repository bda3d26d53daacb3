import type { OcrLine, OcrWord } from './ocr-page.js';

/**
 * Several OCR readings of the same part of a page (other thresholds, another scale) made into
 * one: the same printed line is found in each reading by where it is, its words are lined up
 * by where they are across the page, and at each place the text that the readings agree on
 * most, weighed by their word confidences, is kept. One reading's misread letter ("SANYO"
 * for "SANYU") is outvoted by two that read it right, and a speck read as a word by one
 * reading only is dropped.
 */

/** Lines of two readings are the same printed line when their heights overlap this much. */
const lineOverlapMin = 0.5;

interface PlacedWord extends OcrWord {
  left: number;
  right: number;
}

interface PlacedLine extends OcrLine {
  top: number;
  bottom: number;
  words: PlacedWord[];
}

function isPlaced(line: OcrLine): line is PlacedLine {
  return line.top !== undefined && line.bottom !== undefined && line.words !== undefined && line.words.every((w) => w.left !== undefined && w.right !== undefined);
}

function verticalOverlap(a: { top: number; bottom: number }, b: { top: number; bottom: number }): number {
  const shared = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return shared / Math.max(1, Math.min(a.bottom - a.top, b.bottom - b.top));
}

/** One printed line as each reading read it, by reading. */
type LineGroup = Map<number, PlacedLine>;

function groupLines(readings: readonly (readonly PlacedLine[])[]): LineGroup[] {
  const groups: { top: number; bottom: number; members: LineGroup }[] = [];
  readings.forEach((lines, reading) => {
    for (const line of lines) {
      let best: (typeof groups)[number] | undefined;
      let bestOverlap = lineOverlapMin;
      for (const group of groups) {
        const overlap = verticalOverlap(group, line);
        if (!group.members.has(reading) && overlap >= bestOverlap) {
          best = group;
          bestOverlap = overlap;
        }
      }
      if (best) best.members.set(reading, line);
      else groups.push({ top: line.top, bottom: line.bottom, members: new Map([[reading, line]]) });
    }
  });
  return groups.sort((a, b) => a.top - b.top).map((g) => g.members);
}

/** Words of all readings that overlap across the page: one place in the line, however each reading split it. */
function wordPlaces(lines: readonly [number, PlacedLine][]): [number, PlacedWord][][] {
  const words = lines.flatMap(([reading, line]) => line.words.filter((w) => w.text.trim().length > 0).map((w): [number, PlacedWord] => [reading, w]));
  words.sort((a, b) => a[1].left - b[1].left);
  const places: [number, PlacedWord][][] = [];
  let right = -Infinity;
  for (const word of words) {
    const place = places[places.length - 1];
    if (place && word[1].left < right) {
      place.push(word);
      right = Math.max(right, word[1].right);
    } else {
      places.push([word]);
      right = word[1].right;
    }
  }
  return places;
}

/** The text most readings put at one place, with its share of their confidence. */
function vote(place: readonly [number, PlacedWord][], voters: number): PlacedWord | null {
  const byReading = new Map<number, PlacedWord[]>();
  for (const [reading, word] of place) byReading.set(reading, [...(byReading.get(reading) ?? []), word]);
  // A place that fewer than half the readings put a word at is a speck one of them saw.
  if (byReading.size < Math.ceil(voters / 2)) return null;
  const tally = new Map<string, { weight: number; word: PlacedWord }>();
  for (const words of byReading.values()) {
    const text = words.map((w) => w.text).join(' ');
    const confidence = words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
    const word = { text, confidence, left: Math.min(...words.map((w) => w.left)), right: Math.max(...words.map((w) => w.right)) };
    const seen = tally.get(text);
    if (!seen) tally.set(text, { weight: confidence, word });
    else {
      seen.weight += confidence;
      if (confidence > seen.word.confidence) seen.word = word;
    }
  }
  const [winner] = [...tally.values()].sort((a, b) => b.weight - a.weight || b.word.confidence - a.word.confidence);
  return winner ? { ...winner.word, confidence: Math.round((winner.weight / voters) * 100) / 100 } : null;
}

/**
 * The lines of the first reading, each with its words voted on by every reading that read the
 * same line; lines only the other readings saw (cut by the edge of a strip) are left out.
 * Every reading must place its lines and words (OCR readings do); if one does not, the first
 * reading is returned as it is.
 */
export function consensusLines(readings: readonly (readonly OcrLine[])[]): OcrLine[] {
  if (readings.length <= 1 || !readings.every((lines) => lines.every(isPlaced))) return [...(readings[0] ?? [])];
  const lines: OcrLine[] = [];
  for (const group of groupLines(readings as readonly (readonly PlacedLine[])[])) {
    if (!group.has(0)) continue;
    const members = [...group.entries()];
    const words = wordPlaces(members)
      .map((place) => vote(place, group.size))
      .filter((w): w is PlacedWord => w !== null);
    if (words.length === 0) continue;
    const tops = members.map(([, l]) => l.top).sort((a, b) => a - b);
    const bottoms = members.map(([, l]) => l.bottom).sort((a, b) => a - b);
    lines.push({
      text: words.map((w) => w.text).join(' '),
      confidence: Math.round((words.reduce((sum, w) => sum + w.confidence, 0) / words.length) * 100) / 100,
      words,
      top: tops[Math.floor(tops.length / 2)],
      bottom: bottoms[Math.floor(bottoms.length / 2)],
    });
  }
  return lines;
}
