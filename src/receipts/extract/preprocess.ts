import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { ReceiptImageTooLargeError, ReceiptUnreadableError } from './errors.js';
import { eraseRuleLines } from './rule-lines.js';

/**
 * Tesseract reads best when capital letters are roughly 20-40 px tall. Receipt lines hold
 * about 40 characters, so bringing the printed area to ~1000 px wide puts the usual receipt
 * font in that range (about 300 DPI for an 80 mm roll); bigger scans are shrunk, which also
 * keeps OCR time down.
 */
export const receiptWidthPx = 1000;
/** Refuse decoding images bigger than this many pixels (decompression bombs). */
export const receiptPixelsMax = 40_000_000;
/** A receipt is a long strip, but not longer than this many times its width. */
const receiptAspectMax = 12;
/** libvips gives up on one image after this long instead of holding a job forever. */
const preprocessTimeoutSeconds = 20;
/** Width of the thumbnail used to find where the print is, its skew and its ink levels. */
const layoutWidthPx = 400;
/**
 * A row or column with fewer dark pixels than this share of its length, or of the inkiest
 * row or column, is blank paper or scattered specks.
 */
const inkShareMin = 0.01;
const inkPeakShareMin = 0.03;
const borderShareMin = 0.4;
/** A blur of about one dot of dot-matrix print at the working width. */
const softenSigmaPx = 1.2;
/** Skew angles tried, in degrees either way; photos of receipts are rarely tilted more. */
const skewDegreesMax = 4;
const skewStepDegrees = 0.5;
/** The line profile must get this much sharper before a tilt is corrected. */
const skewGainMin = 1.1;

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What the thumbnail tells about a receipt image, found once and used for every rendering. */
export interface ReceiptLayout {
  /** Upright size of the decoded image. */
  width: number;
  height: number;
  /** Where the print is, in full-size pixels. */
  area: Box;
  /** Clockwise tilt of the text lines in degrees (0 when straight). */
  skewDegrees: number;
  /** Gray levels of ink and paper: stretched to black and white. */
  inkLevel: number;
  paperLevel: number;
}

/**
 * Rows or columns dark over much of their length, reaching in from an edge, are the table or
 * the scanner's border around the receipt, not print: the span between them.
 */
function insideBorder(counts: Uint32Array, length: number): [number, number] {
  let first = 0;
  let last = counts.length - 1;
  while (first <= last && (counts[first] ?? 0) > length * borderShareMin) first += 1;
  while (last >= first && (counts[last] ?? 0) > length * borderShareMin) last -= 1;
  return [first, last];
}

/** The first and last row (or column) with ink, between the border's. */
function inkRange(counts: Uint32Array, length: number, [from, to]: [number, number]): [number, number] | null {
  let peak = 0;
  for (let i = from; i <= to; i += 1) peak = Math.max(peak, counts[i] ?? 0);
  const min = Math.max(2, Math.ceil(length * inkShareMin), Math.ceil(peak * inkPeakShareMin));
  let first = from;
  while (first <= to && (counts[first] ?? 0) < min) first += 1;
  let last = to;
  while (last >= first && (counts[last] ?? 0) < min) last -= 1;
  return first > last ? null : [first, last];
}

/** The gray level below which `share` of the pixels lie. */
function percentile(histogram: Uint32Array, total: number, share: number): number {
  let seen = 0;
  for (let level = 0; level < histogram.length; level += 1) {
    seen += histogram[level] ?? 0;
    if (seen >= total * share) return level;
  }
  return 255;
}

function histogramOf(data: Uint8Array, width: number, box: Box): Uint32Array {
  const histogram = new Uint32Array(256);
  for (let y = box.top; y < box.top + box.height; y += 1) {
    for (let x = box.left; x < box.left + box.width; x += 1) histogram[data[y * width + x] ?? 255] = (histogram[data[y * width + x] ?? 255] ?? 0) + 1;
  }
  return histogram;
}

/** Dark pixels per row and per column of a box of the thumbnail. */
function inkProfiles(data: Uint8Array, width: number, box: Box, darkLevel: number): { rows: Uint32Array; cols: Uint32Array } {
  const rows = new Uint32Array(box.height);
  const cols = new Uint32Array(box.width);
  for (let y = 0; y < box.height; y += 1) {
    for (let x = 0; x < box.width; x += 1) {
      if ((data[(box.top + y) * width + box.left + x] ?? 255) < darkLevel) {
        rows[y] = (rows[y] ?? 0) + 1;
        cols[x] = (cols[x] ?? 0) + 1;
      }
    }
  }
  return { rows, cols };
}

/**
 * Where the print is: scans of a small receipt on an A4 page are mostly white paper, and
 * photos show the table around the slip. The border (the table, the scanner's lid) is cut off
 * first and the ink is looked for inside it only: counted over the whole image, the border's
 * top and bottom would make every column look inked, and the crop would keep a dark frame
 * that Tesseract's layout analysis takes for a picture, dropping the text beside it.
 */
function findPrintedArea(data: Uint8Array, width: number, height: number, darkLevel: number): Box | null {
  const whole = inkProfiles(data, width, { left: 0, top: 0, width, height }, darkLevel);
  const [top, bottom] = insideBorder(whole.rows, width);
  const [left, right] = insideBorder(whole.cols, height);
  if (top > bottom || left > right) return null;
  const paper = { left, top, width: right - left + 1, height: bottom - top + 1 };
  const { rows, cols } = inkProfiles(data, width, paper, darkLevel);
  const ys = inkRange(rows, paper.width, insideBorder(rows, paper.width));
  const xs = inkRange(cols, paper.height, insideBorder(cols, paper.height));
  if (!ys || !xs) return null;
  // A margin of paper around the print, but never the border beyond it.
  const margin = 12;
  const x0 = Math.max(0, xs[0] - margin);
  const y0 = Math.max(0, ys[0] - margin);
  const x1 = Math.min(paper.width, xs[1] + margin);
  const y1 = Math.min(paper.height, ys[1] + margin);
  return { left: paper.left + x0, top: paper.top + y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * The tilt that lines the ink up best into rows: for each angle the dark pixels are projected
 * onto rotated rows, and straight text gives the most sharply peaked profile (sum of squares).
 */
function findSkew(data: Uint8Array, width: number, box: Box, darkLevel: number): number {
  const points: number[] = [];
  for (let y = box.top; y < box.top + box.height; y += 1) {
    for (let x = box.left; x < box.left + box.width; x += 1) if ((data[y * width + x] ?? 255) < darkLevel) points.push(x - box.left, y - box.top);
  }
  const rows = new Float64Array(box.height + box.width + 2);
  const sharpness = (degrees: number): number => {
    const slope = Math.tan((degrees * Math.PI) / 180);
    rows.fill(0);
    for (let i = 0; i < points.length; i += 2) {
      const row = Math.round((points[i + 1] ?? 0) - (points[i] ?? 0) * slope + box.width);
      rows[row] = (rows[row] ?? 0) + 1;
    }
    let sum = 0;
    for (const count of rows) sum += count * count;
    return sum;
  };
  const straight = sharpness(0);
  let best = { degrees: 0, score: straight };
  for (let degrees = -skewDegreesMax; degrees <= skewDegreesMax; degrees += skewStepDegrees) {
    const score = sharpness(degrees);
    if (score > best.score) best = { degrees, score };
  }
  return best.score >= straight * skewGainMin ? best.degrees : 0;
}

/** Reads the image header and refuses absurd sizes before a single pixel is decoded. */
async function uprightSize(image: Buffer): Promise<{ width: number; height: number }> {
  let metadata: Metadata;
  try {
    metadata = await sharp(image, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ReceiptUnreadableError('the image header is broken', error);
  }
  const { width, height } = metadata;
  if (!width || !height) throw new ReceiptUnreadableError('the image has no size');
  if (width * height > receiptPixelsMax) throw new ReceiptImageTooLargeError(width, height, receiptPixelsMax);
  // EXIF orientations 5-8 turn the picture a quarter, swapping width and height.
  return (metadata.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

function open(image: Buffer): Sharp {
  return sharp(image, { limitInputPixels: receiptPixelsMax, failOn: 'error' }).timeout({ seconds: preprocessTimeoutSeconds }).rotate();
}

/** Finds the printed area, its tilt and its ink levels on a small thumbnail. */
export async function analyseReceiptImage(image: Buffer): Promise<ReceiptLayout> {
  const { width, height } = await uprightSize(image);
  if (Math.max(width, height) > receiptAspectMax * Math.min(width, height)) throw new ReceiptUnreadableError(`an image of ${width}x${height} pixels is no receipt`);
  let thumb: { data: Buffer; info: OutputInfo };
  try {
    thumb = await open(image).resize({ width: Math.min(layoutWidthPx, width) }).toColourspace('b-w').extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new ReceiptUnreadableError('the image data is broken', error);
  }
  const { data, info } = thumb;
  const whole = { left: 0, top: 0, width: info.width, height: info.height };
  const all = histogramOf(data, info.width, whole);
  const darkLevel = (percentile(all, data.length, 0.01) + percentile(all, data.length, 0.99)) / 2;
  const box = findPrintedArea(data, info.width, info.height, darkLevel) ?? whole;
  const levels = histogramOf(data, info.width, box);
  const scale = width / info.width;
  const area = {
    left: Math.floor(box.left * scale),
    top: Math.floor(box.top * scale),
    width: Math.min(width - Math.floor(box.left * scale), Math.ceil(box.width * scale)),
    height: Math.min(height - Math.floor(box.top * scale), Math.ceil(box.height * scale)),
  };
  return {
    width,
    height,
    area,
    skewDegrees: findSkew(data, info.width, box, darkLevel),
    inkLevel: percentile(levels, box.width * box.height, 0.01),
    paperLevel: percentile(levels, box.width * box.height, 0.95),
  };
}

/** The printed area as OCR reads it: upright, cropped, at working width, ink black and paper white. */
export interface ReceiptPage {
  /** 8-bit gray, one byte a pixel, row by row, as scanned: stretched when encoded. */
  data: Buffer;
  width: number;
  height: number;
  inkLevel: number;
  paperLevel: number;
}

/**
 * Renders the printed area once for every reading: upright (EXIF and tilt), cropped, brought
 * to the working width and with the rules between its sections erased (rule-lines.ts).
 */
export async function renderReceiptPage(image: Buffer, layout: ReceiptLayout, widthPx = receiptWidthPx): Promise<ReceiptPage> {
  const { area } = layout;
  const scale = widthPx / area.width;
  const scaled = {
    left: Math.floor(area.left * scale),
    top: Math.floor(area.top * scale),
    width: Math.max(1, Math.floor(area.width * scale)),
    height: Math.max(1, Math.floor(area.height * scale)),
  };
  const resizedWidth = Math.max(scaled.left + scaled.width, Math.round(layout.width * scale));
  const resizedHeight = Math.max(scaled.top + scaled.height, Math.round(layout.height * scale));
  try {
    const cropped = await open(image)
      .resize({ width: resizedWidth, height: resizedHeight, fit: 'fill', kernel: 'lanczos3' })
      .extract(scaled)
      // toColourspace('b-w') is a plain luminance: grayscale() goes through colour management,
      // several times slower on big scans.
      .toColourspace('b-w')
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    let gray = sharp(cropped.data, { raw: { width: cropped.info.width, height: cropped.info.height, channels: 1 } });
    if (layout.skewDegrees !== 0) gray = gray.rotate(-layout.skewDegrees, { background: '#ffffff' });
    const { data, info } = await gray.toColourspace('b-w').extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const page = { data, width: info.width, height: info.height, inkLevel: layout.inkLevel, paperLevel: layout.paperLevel };
    return eraseRuleLines(page, (layout.inkLevel + layout.paperLevel) / 2, layout.paperLevel);
  } catch (error) {
    throw new ReceiptUnreadableError('the image data is broken', error);
  }
}

export interface EncodeOptions {
  /**
   * Blur slightly before reading: dot-matrix print is a grid of separate dots that Tesseract
   * takes for specks, and a blur of about a dot's width joins them into strokes.
   */
  soften?: boolean;
  /** Only this strip of the page, in rows from the top. */
  strip?: { top: number; bottom: number };
}

/**
 * The page, or a strip of it, as the PNG given to Tesseract: ink and paper stretched to black
 * and white, and softened if asked. The blur works on the stretched levels before they are
 * cut to 0..255, so ink comes out heavier than blurring the final image would make it.
 */
export async function encodeReceiptPage(page: ReceiptPage, options: EncodeOptions = {}): Promise<Buffer> {
  const span = Math.max(16, page.paperLevel - page.inkLevel);
  let image = sharp(page.data, { raw: { width: page.width, height: page.height, channels: 1 } });
  if (options.strip) {
    const top = Math.max(0, Math.min(page.height - 1, Math.floor(options.strip.top)));
    const bottom = Math.max(top + 1, Math.min(page.height, Math.ceil(options.strip.bottom)));
    image = image.extract({ left: 0, top, width: page.width, height: bottom - top });
  }
  image = image.linear(255 / span, (-255 * page.inkLevel) / span);
  if (options.soften) image = image.blur(softenSigmaPx);
  return image.toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer();
}
