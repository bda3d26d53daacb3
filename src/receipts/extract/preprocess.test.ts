import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ReceiptImageTooLargeError, ReceiptUnreadableError } from './errors.js';
import { analyseReceiptImage, encodeReceiptPage, receiptPixelsMax, receiptWidthPx, renderReceiptPage } from './preprocess.js';

/** Analyses, renders and encodes in one go, as a single reading does. */
const preprocessReceipt = async (image: Buffer) => encodeReceiptPage(await renderReceiptPage(image, await analyseReceiptImage(image)));

/** A JPEG whose header claims a size its data does not have (a decompression bomb's shape). */
async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#fff' } }).jpeg().toBuffer();
  // The baseline frame header (SOF0, ITU T.81 B.2.2): marker, length, precision, height, width.
  const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(height, frame + 5);
  jpeg.writeUInt16BE(width, frame + 7);
  return jpeg;
}

/** A small receipt (a dark block of "print") on a big white scan, like an A4 scan of a till roll. */
async function scanWithReceipt(): Promise<Buffer> {
  const print = await sharp({ create: { width: 300, height: 900, channels: 3, background: '#222' } }).png().toBuffer();
  return sharp({ create: { width: 1600, height: 2200, channels: 3, background: '#fff' } })
    .composite([{ input: print, left: 500, top: 400 }])
    .jpeg()
    .toBuffer();
}

describe('preprocessReceipt', () => {
  it('refuses an image whose header claims more pixels than the limit, before decoding', async () => {
    const bomb = await jpegClaiming(60_000, 60_000);
    expect(60_000 * 60_000).toBeGreaterThan(receiptPixelsMax);
    await expect(preprocessReceipt(bomb)).rejects.toBeInstanceOf(ReceiptImageTooLargeError);
    await expect(preprocessReceipt(bomb)).rejects.toMatchObject({ code: 'receipt_image_too_large' });
  });

  it('refuses broken image data with a typed error', async () => {
    const truncated = (await scanWithReceipt()).subarray(0, 600);
    await expect(preprocessReceipt(truncated)).rejects.toBeInstanceOf(ReceiptUnreadableError);
    await expect(preprocessReceipt(Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01]))).rejects.toMatchObject({ code: 'receipt_unreadable' });
  });

  it('refuses a strip too thin to be a receipt', async () => {
    const line = await sharp({ create: { width: 4000, height: 20, channels: 3, background: '#fff' } }).png().toBuffer();
    await expect(preprocessReceipt(line)).rejects.toBeInstanceOf(ReceiptUnreadableError);
  });

  it('crops a scan to the printed area and brings it to the working width', async () => {
    const scan = await scanWithReceipt();
    const layout = await analyseReceiptImage(scan);
    expect(layout.area.left).toBeGreaterThan(450);
    expect(layout.area.left).toBeLessThan(500);
    expect(layout.area.width).toBeLessThan(400);
    const page = await sharp(await preprocessReceipt(scan)).metadata();
    expect(page.width).toBe(receiptWidthPx);
    // The 300x900 print keeps its shape: about three times as tall as wide.
    expect((page.height ?? 0) / (page.width ?? 1)).toBeGreaterThan(2.3);
    expect(page.channels).toBe(1);
  });

  it('ignores a dark scanner border when finding the print', async () => {
    const print = await sharp({ create: { width: 300, height: 600, channels: 3, background: '#333' } }).png().toBuffer();
    const border = await sharp({ create: { width: 60, height: 1400, channels: 3, background: '#000' } }).png().toBuffer();
    const scan = await sharp({ create: { width: 1000, height: 1400, channels: 3, background: '#fff' } })
      .composite([{ input: border, left: 0, top: 0 }, { input: print, left: 500, top: 200 }])
      .png()
      .toBuffer();
    const { area } = await analyseReceiptImage(scan);
    expect(area.left).toBeGreaterThan(400);
    expect(area.left + area.width).toBeGreaterThan(800);
  });

  it('leaves the table around a photographed slip out of the crop', async () => {
    // A white slip with print on a table darker than halfway between ink and paper: the
    // table's edges are dark over the whole width and height, and must not count as ink in
    // every column and row.
    const print = await sharp({ create: { width: 400, height: 700, channels: 3, background: '#222' } }).png().toBuffer();
    const slip = await sharp({ create: { width: 600, height: 1000, channels: 3, background: '#f7f5ef' } })
      .composite([{ input: print, left: 100, top: 150 }])
      .png()
      .toBuffer();
    const photo = await sharp({ create: { width: 800, height: 1200, channels: 3, background: '#666a70' } })
      .composite([{ input: slip, left: 100, top: 100 }])
      .jpeg()
      .toBuffer();
    const { area } = await analyseReceiptImage(photo);
    // The print is at 200..600 across and 250..950 down; the slip's edges at 100 and 700, 100 and 1100.
    expect(area.left).toBeGreaterThan(150);
    expect(area.left).toBeLessThanOrEqual(200);
    expect(area.left + area.width).toBeGreaterThanOrEqual(600);
    expect(area.left + area.width).toBeLessThan(650);
    expect(area.top).toBeGreaterThan(200);
    expect(area.top + area.height).toBeLessThan(1000);
  });
});

describe('deskewing', () => {
  it.each([3, -2.5])('finds a tilt of %s degrees and renders the page straight', async (degrees) => {
    const lines = Array.from({ length: 14 }, (_, i) => `ITEM ${i + 1} SOMETHING      ${i + 1}.50`).join('\n');
    const mask = await sharp({ text: { text: lines, dpi: 150, font: 'DejaVu Sans Mono' } }).negate().png().toBuffer();
    const page = await sharp(mask).extend({ top: 60, bottom: 60, left: 60, right: 60, background: '#fff' }).png().toBuffer();
    const tilted = await sharp(page).rotate(degrees, { background: '#fff' }).png().toBuffer();
    const layout = await analyseReceiptImage(tilted);
    expect(layout.skewDegrees).toBeCloseTo(degrees, 0);
    const rendered = await preprocessReceipt(tilted);
    expect((await analyseReceiptImage(rendered)).skewDegrees).toBe(0);
  });
});
