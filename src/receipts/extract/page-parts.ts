import type { ReceiptPage } from './preprocess.js';

/**
 * A receipt page is read in parts cut between its lines, so that the OCR pool's workers read
 * them at once: one receipt then takes the time of its longest part instead of the whole page.
 * Each part is cut where a run of blank rows is (the white between two printed lines), so no
 * line is split; the parts are the same whatever the number of workers, and so is the reading.
 */

/** Parts a page is cut into at most; OCR pools have one worker per core up to as many by default. */
export const pagePartsMax = 2;
/** A part shorter than this is not worth a recognition of its own. */
const partHeightMinPx = 600;
/** The white between two lines where a cut may go: enough to leave white above and below it. */
const cutGapMinPx = 10;
/** A cut is looked for this share of the page around where the ink divides evenly. */
const cutSearchShare = 0.15;
/** A row with fewer dark pixels than this share of its width is blank (a speck or two at most). */
const blankRowInkShare = 0.002;

export interface PagePart {
  top: number;
  bottom: number;
}

/** Dark pixels in each row of the page, ink and paper told apart halfway between their levels. */
function rowInk(page: ReceiptPage): Uint32Array {
  const dark = (page.inkLevel + page.paperLevel) / 2;
  const rows = new Uint32Array(page.height);
  for (let y = 0; y < page.height; y += 1) {
    let count = 0;
    const start = y * page.width;
    for (let x = 0; x < page.width; x += 1) if ((page.data[start + x] ?? 255) < dark) count += 1;
    rows[y] = count;
  }
  return rows;
}

/** Runs of blank rows at least `cutGapMinPx` tall, as their middle rows and heights. */
function blankRuns(rows: Uint32Array, width: number): { middle: number; height: number }[] {
  const blankMax = Math.max(1, Math.floor(width * blankRowInkShare));
  const runs: { middle: number; height: number }[] = [];
  let start = -1;
  for (let y = 0; y <= rows.length; y += 1) {
    const blank = y < rows.length && (rows[y] ?? 0) <= blankMax;
    if (blank && start < 0) start = y;
    if (!blank && start >= 0) {
      if (y - start >= cutGapMinPx) runs.push({ middle: Math.floor((start + y) / 2), height: y - start });
      start = -1;
    }
  }
  return runs;
}

/** The row above which `share` of the page's ink lies. */
function inkQuantileRow(rows: Uint32Array, share: number): number {
  const total = rows.reduce((sum, count) => sum + count, 0);
  let seen = 0;
  for (let y = 0; y < rows.length; y += 1) {
    seen += rows[y] ?? 0;
    if (seen >= total * share) return y;
  }
  return rows.length - 1;
}

/**
 * Where to cut the page into at most `parts` parts of about equal ink, since OCR time goes
 * with the amount of print: at the blank run nearest each even share of the ink. A page too
 * short, or with no white between lines near a share, keeps fewer parts (one: the whole page).
 */
export function pageParts(page: ReceiptPage, parts = pagePartsMax): PagePart[] {
  const wanted = Math.min(parts, Math.floor(page.height / partHeightMinPx));
  if (wanted < 2) return [{ top: 0, bottom: page.height }];
  const rows = rowInk(page);
  const runs = blankRuns(rows, page.width);
  const reach = page.height * cutSearchShare;
  const cuts: number[] = [];
  for (let k = 1; k < wanted; k += 1) {
    const target = inkQuantileRow(rows, k / wanted);
    const previous = cuts[cuts.length - 1] ?? 0;
    const near = runs.filter((run) => Math.abs(run.middle - target) <= reach && run.middle - previous >= partHeightMinPx && page.height - run.middle >= partHeightMinPx);
    const best = near.sort((a, b) => Math.abs(a.middle - target) - Math.abs(b.middle - target))[0];
    if (best) cuts.push(best.middle);
  }
  const edges = [0, ...cuts, page.height];
  return edges.slice(1).map((bottom, i) => ({ top: edges[i] ?? 0, bottom }));
}
