/**
 * Checks a receipt file as received and prepares what is stored: the kind of file told by
 * its content, images turned upright with their metadata (GPS position, camera serial)
 * removed, and a small thumbnail for lists.
 */
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { DomainError } from '../shared/errors.js';
import { sniffMediaType, type ReceiptMediaType } from './media-type.js';

/** An image with more pixels than this is refused before it is decoded (decompression bombs). */
export const receiptImagePixelsMax = 40_000_000;
/** ...and so is one longer than this on either side (a 1 x 40,000,000 strip). */
export const receiptImageSidePxMax = 20_000;
export const thumbnailWidthPx = 240;
/** libvips gives up decoding and re-encoding one uploaded image after this long. */
export const receiptImageTimeoutSeconds = 20;
/** JPEG quality of re-encoded photos: high enough that small print stays readable. */
const photoQuality = 90;

export interface PreparedReceiptFile {
  mediaType: ReceiptMediaType | 'text/plain';
  /** What is stored: for images, re-encoded without metadata. */
  bytes: Buffer;
  /** SHA-256 of the bytes as received, to find the same file sent twice. */
  originalSha256: string;
  thumbnail: Buffer | null;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function checkImageSize(bytes: Buffer): Promise<void> {
  let metadata: Metadata;
  try {
    // The header only, whatever size it claims: sharp's own pixel limit would refuse a bomb
    // here as a broken file instead of saying it is too large.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new DomainError('receipt_unsupported_type', 'the image is damaged or cannot be decoded');
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width === 0 || height === 0) throw new DomainError('receipt_unsupported_type', 'the image has no size');
  if (width > receiptImageSidePxMax || height > receiptImageSidePxMax || width * height > receiptImagePixelsMax) {
    throw new DomainError(
      'receipt_image_too_large',
      `the image is ${width} x ${height} pixels; receipts may have at most ${receiptImagePixelsMax.toLocaleString('en')} pixels and ${receiptImageSidePxMax} on a side`,
    );
  }
}

/** Re-encodes an image upright and without metadata (sharp keeps none unless asked). */
async function stripImage(bytes: Buffer, mediaType: ReceiptMediaType): Promise<Buffer> {
  const image = sharp(bytes, { limitInputPixels: receiptImagePixelsMax }).timeout({ seconds: receiptImageTimeoutSeconds }).rotate();
  if (mediaType === 'image/png') return image.png().toBuffer();
  if (mediaType === 'image/webp') return image.webp({ quality: photoQuality }).toBuffer();
  return image.jpeg({ quality: photoQuality, mozjpeg: true }).toBuffer();
}

export async function thumbnailOf(image: Buffer): Promise<Buffer> {
  return sharp(image, { limitInputPixels: receiptImagePixelsMax })
    .timeout({ seconds: receiptImageTimeoutSeconds })
    .rotate()
    .resize({ width: thumbnailWidthPx, withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 75 })
    .toBuffer();
}

/** Checks and prepares an uploaded or e-mailed file; refuses anything that is not a
 * receipt image or PDF, or too big, with a domain error that says why. */
export async function prepareReceiptFile(bytes: Buffer, bytesMax: number): Promise<PreparedReceiptFile> {
  if (bytes.length === 0) throw new DomainError('validation_failed', 'the receipt file is empty');
  if (bytes.length > bytesMax) throw new DomainError('receipt_too_large', `the receipt is ${bytes.length} bytes; at most ${bytesMax} are accepted`);
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) throw new DomainError('receipt_unsupported_type', 'a receipt must be a JPEG, PNG or WebP image or a PDF (told by its content, not its name)');
  const originalSha256 = sha256Hex(bytes);
  if (mediaType === 'application/pdf') return { mediaType, bytes, originalSha256, thumbnail: null };
  await checkImageSize(bytes);
  try {
    const stripped = await stripImage(bytes, mediaType);
    return { mediaType, bytes: stripped, originalSha256, thumbnail: await thumbnailOf(stripped) };
  } catch {
    throw new DomainError('receipt_unsupported_type', 'the image is damaged or cannot be decoded');
  }
}

/** An e-mail whose body is the receipt (online shops) is kept as its text. */
export function prepareReceiptText(text: string, bytesMax: number): PreparedReceiptFile {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) throw new DomainError('validation_failed', 'the receipt text is empty');
  if (bytes.length > bytesMax) throw new DomainError('receipt_too_large', `the receipt is ${bytes.length} bytes; at most ${bytesMax} are accepted`);
  return { mediaType: 'text/plain', bytes, originalSha256: sha256Hex(bytes), thumbnail: null };
}
