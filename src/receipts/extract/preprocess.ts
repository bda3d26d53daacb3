import sharp, { type Sharp } from 'sharp';

/**
 * Tesseract reads best when capital letters are roughly 20-40 px tall. Receipt lines hold
 * about 40 characters, so bringing the printed area to ~1000 px wide puts the usual receipt
 * font in that range (about 300 DPI for an 80 mm roll); bigger scans are shrunk, which also
 * keeps OCR time down.
 */
export const receiptWidthPx = 1000;
/** Refuse decoding images bigger than this many pixels (decompression bombs). */
export const receiptPixelsMax = 40_000_000;
/** Width of the thumbnail used to find where the print is. */
const layoutWidthPx = 400;
/**
 * A row or column with fewer dark pixels than this share of its length, or of the inkiest
 * row or column, is blank paper or scattered specks.
 */
const inkShareMin = 0.01;
const inkPeakShareMin = 0.08;
const darkLevelMax = 128;

export interface PreprocessOptions {
  /** Binarise with a local (Bradley) threshold; helps with shadows in phone photos. */
  threshold?: boolean;
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

function inkRange(counts: Uint32Array, length: number): [number, number] | null {
  const min = Math.max(2, Math.ceil(length * inkShareMin), Math.ceil(Math.max(...counts) * inkPeakShareMin));
  const first = counts.findIndex((c) => c >= min);
  const last = counts.findLastIndex((c) => c >= min);
  return first < 0 ? null : [first, last];
}

/** Where the print is: scans of a small receipt on an A4 page are mostly white paper. */
async function findPrintedArea(gray: Sharp, width: number, height: number): Promise<Box | null> {
  const scale = layoutWidthPx / width;
  const { data, info } = await gray.clone().resize({ width: layoutWidthPx }).normalise().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const rows = new Uint32Array(info.height);
  const cols = new Uint32Array(info.width);
  for (let y = 0; y < info.height; y += 1) {
    for (let x = 0; x < info.width; x += 1) {
      if ((data[y * info.width + x] ?? 255) < darkLevelMax) {
        rows[y] = (rows[y] ?? 0) + 1;
        cols[x] = (cols[x] ?? 0) + 1;
      }
    }
  }
  const ys = inkRange(rows, info.width);
  const xs = inkRange(cols, info.height);
  if (!ys || !xs) return null;
  const margin = 8;
  const left = Math.max(0, Math.floor((xs[0] - margin) / scale));
  const top = Math.max(0, Math.floor((ys[0] - margin) / scale));
  const right = Math.min(width, Math.ceil((xs[1] + margin) / scale));
  const bottom = Math.min(height, Math.ceil((ys[1] + margin) / scale));
  return { left, top, width: right - left, height: bottom - top };
}

/** Bradley-Roth adaptive threshold: a pixel is ink when clearly darker than its neighbourhood. */
function bradleyThreshold(data: Buffer, width: number, height: number): Buffer {
  const integral = new Float64Array((width + 1) * (height + 1));
  for (let y = 1; y <= height; y += 1) {
    let rowSum = 0;
    for (let x = 1; x <= width; x += 1) {
      rowSum += data[(y - 1) * width + (x - 1)] ?? 0;
      integral[y * (width + 1) + x] = (integral[(y - 1) * (width + 1) + x] ?? 0) + rowSum;
    }
  }
  const half = Math.max(8, Math.floor(width / 32));
  const out = Buffer.alloc(width * height);
  for (let y = 0; y < height; y += 1) {
    const y0 = Math.max(0, y - half);
    const y1 = Math.min(height, y + half + 1);
    for (let x = 0; x < width; x += 1) {
      const x0 = Math.max(0, x - half);
      const x1 = Math.min(width, x + half + 1);
      const sum = (integral[y1 * (width + 1) + x1] ?? 0) - (integral[y0 * (width + 1) + x1] ?? 0) - (integral[y1 * (width + 1) + x0] ?? 0) + (integral[y0 * (width + 1) + x0] ?? 0);
      const mean = sum / ((x1 - x0) * (y1 - y0));
      out[y * width + x] = (data[y * width + x] ?? 255) < mean * 0.85 ? 0 : 255;
    }
  }
  return out;
}

/**
 * Turns a photo or scan of a receipt into a clean grayscale PNG for OCR: honour the EXIF
 * orientation, drop colour, crop to the printed area, stretch contrast, bring it to the
 * working width, and optionally binarise.
 */
export async function preprocessReceipt(image: Buffer, options: PreprocessOptions = {}): Promise<Buffer> {
  const oriented = await sharp(image, { limitInputPixels: receiptPixelsMax }).rotate().grayscale().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const { width, height } = oriented.info;
  const gray = sharp(oriented.data, { raw: { width, height, channels: 1 } });
  const area = await findPrintedArea(gray, width, height);
  const cropped = area ? gray.clone().extract(area) : gray.clone();
  const resized = cropped.normalise().resize({ width: receiptWidthPx, kernel: 'lanczos3' }).toColourspace('b-w');
  if (!options.threshold) return resized.png({ compressionLevel: 1 }).toBuffer();
  const { data, info } = await resized.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const binary = bradleyThreshold(data, info.width, info.height);
  return sharp(binary, { raw: { width: info.width, height: info.height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();
}
