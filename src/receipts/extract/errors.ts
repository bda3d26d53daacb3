/**
 * Why a receipt file could not be read. Each error carries a stable code; the job that reads
 * receipts treats them all as permanent (another try reads the same bytes), and the HTTP
 * layer or the CLI decides how to show them.
 */
export abstract class ReceiptFileError extends Error {
  abstract readonly code: 'receipt_too_large' | 'receipt_image_too_large' | 'receipt_unreadable' | 'receipt_unsupported_type';
}

/** The file has more bytes than a receipt needs (see receiptBytesMax). */
export class ReceiptTooLargeError extends ReceiptFileError {
  readonly code = 'receipt_too_large';
  constructor(bytes: number, bytesMax: number) {
    super(`receipt is ${bytes} bytes; the limit is ${bytesMax}`);
  }
}

/** An image whose header claims more pixels than any photo of a receipt (decompression bombs). */
export class ReceiptImageTooLargeError extends ReceiptFileError {
  readonly code = 'receipt_image_too_large';
  constructor(width: number, height: number, pixelsMax: number) {
    super(`receipt image is ${width}x${height} pixels; the limit is ${pixelsMax} pixels`);
  }
}

/** The content is an image or PDF by its first bytes, but broken or empty inside. */
export class ReceiptUnreadableError extends ReceiptFileError {
  readonly code = 'receipt_unreadable';
  constructor(
    /** What is wrong with the file, in a few words. */
    readonly what: string,
    cause?: unknown,
  ) {
    super(`receipt cannot be read: ${what}`, cause === undefined ? undefined : { cause });
  }
}

/** Neither JPEG, PNG, WebP nor PDF by content, whatever the file is called. */
export class ReceiptUnsupportedTypeError extends ReceiptFileError {
  readonly code = 'receipt_unsupported_type';
  constructor() {
    super('receipt is neither a JPEG, PNG or WebP image nor a PDF');
  }
}
