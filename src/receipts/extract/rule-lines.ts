/**
 * The rules printed between a receipt's sections ("------", "======", a solid line). Tesseract
 * takes a rule for part of the text line under or over it: the line's box grows to hold both,
 * its words are misread ("TOTAL EUR" as "TOTAL ER") and the gap before the amount is lost.
 * A rule is a band of ink much thinner than any text, running across most of the page; such
 * bands are painted over with paper before OCR.
 */

/** At the working width of 1000 px text is 20 px tall or more; rules are 2-9 px thick. */
const ruleHeightMaxShare = 0.012;
/** A rule runs across at least this share of the page... */
const ruleSpanShareMin = 0.5;
/** ...and is inked over this share of its length at least (dashes and dots have gaps). */
const ruleFillMin = 0.3;
/** A row with fewer dark pixels than this is blank paper or specks. */
const rowInkPxMin = 3;

export interface GrayImage {
  /** 8-bit gray, one byte a pixel, row by row. */
  data: Buffer;
  width: number;
  height: number;
}

interface InkBand {
  top: number;
  /** Exclusive. */
  bottom: number;
}

function inkBands(image: GrayImage, darkLevel: number): InkBand[] {
  const bands: InkBand[] = [];
  let top = -1;
  for (let y = 0; y <= image.height; y += 1) {
    let dark = 0;
    if (y < image.height) {
      const row = y * image.width;
      for (let x = 0; x < image.width && dark < rowInkPxMin; x += 1) if ((image.data[row + x] ?? 255) < darkLevel) dark += 1;
    }
    if (dark >= rowInkPxMin && top < 0) top = y;
    else if (dark < rowInkPxMin && top >= 0) {
      bands.push({ top, bottom: y });
      top = -1;
    }
  }
  return bands;
}

function isRule(image: GrayImage, band: InkBand, darkLevel: number): boolean {
  if (band.bottom - band.top > Math.max(3, Math.round(image.width * ruleHeightMaxShare))) return false;
  const inked = new Uint8Array(image.width);
  for (let y = band.top; y < band.bottom; y += 1) {
    const row = y * image.width;
    for (let x = 0; x < image.width; x += 1) if ((image.data[row + x] ?? 255) < darkLevel) inked[x] = 1;
  }
  const first = inked.indexOf(1);
  const last = inked.lastIndexOf(1);
  const span = last - first + 1;
  if (first < 0 || span < image.width * ruleSpanShareMin) return false;
  return inked.reduce((sum, v) => sum + v, 0) >= span * ruleFillMin;
}

/**
 * The image with its rules painted over in `paperLevel`; `darkLevel` tells ink from paper.
 * Returns the same image when it has none.
 */
export function eraseRuleLines<T extends GrayImage>(image: T, darkLevel: number, paperLevel: number): T {
  const rules = inkBands(image, darkLevel).filter((band) => isRule(image, band, darkLevel));
  if (rules.length === 0) return image;
  const data = Buffer.from(image.data);
  // One row more either side takes the rule's soft edge too.
  for (const rule of rules) data.fill(paperLevel, Math.max(0, rule.top - 1) * image.width, Math.min(image.height, rule.bottom + 1) * image.width);
  return { ...image, data };
}
