/**
 * What a receipt file is, told by its first bytes and never by its name or a client's
 * Content-Type, which anyone can set to anything.
 */
export const receiptMediaTypes = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type ReceiptMediaType = (typeof receiptMediaTypes)[number];

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

/** How far into a file a PDF header may start: the PDF 1.7 spec (7.5.2) lets readers look
 * within the first 1024 bytes, and some producers put junk before it. */
const pdfHeaderSearchBytes = 1024;

export function sniffMediaType(bytes: Uint8Array): ReceiptMediaType | null {
  // JPEG: SOI marker followed by the start of another marker (JFIF, Exif, DQT...).
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, ...ascii('PNG'), 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // WebP is a RIFF container whose form type is "WEBP".
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  const head = Buffer.from(bytes.subarray(0, pdfHeaderSearchBytes)).toString('latin1');
  if (head.includes('%PDF-')) return 'application/pdf';
  return null;
}

export function extensionOf(mediaType: ReceiptMediaType): string {
  return { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' }[mediaType];
}
