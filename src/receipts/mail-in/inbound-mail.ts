/**
 * The seam between the SMTP listener and whoever keeps receipts. The listener speaks SMTP and
 * MIME; the target decides who owns an address and what to do with what arrived.
 */
import type { ReceiptMediaType } from '../media-type.js';

export interface MailRecipient {
  /** The address as the sender wrote it in RCPT TO. */
  address: string;
  companyId: string;
  userId: string;
}

export interface ReceiptFile {
  /** The name the sender gave the attachment; never trusted for its type. */
  filename: string | null;
  /** Told by the content (sniffMediaType), not by the name or the declared Content-Type. */
  mediaType: ReceiptMediaType;
  content: Buffer;
}

export interface InboundReceiptMail {
  /** The Message-ID header with its angle brackets, as RFC 5322 3.6.4 writes it; null when absent. */
  messageId: string | null;
  /** The first address of the From header, else the envelope sender; null when neither has one. */
  from: string | null;
  subject: string;
  /** When the listener had the whole message, from the injected clock. */
  receivedAt: Date;
  /** Image and PDF attachments. Images embedded in the HTML (multipart/related) are not among them. */
  files: ReceiptFile[];
  /**
   * Only when `files` is empty: the e-mail itself as receipt text (the text/plain part, else
   * the HTML turned into text), else null. Null as well when the mail has no text at all.
   */
  bodyText: string | null;
  /** Only when `files` is empty: the HTML part as received (not sanitised: keep it as a file). */
  bodyHtml: string | null;
  /** Attachments left out: not an image or PDF by content, embedded in the HTML, or past the limit. */
  skippedAttachments: number;
}

export interface InboundMailTarget {
  /**
   * Resolves one RCPT TO address to whoever owns it; null refuses that recipient (SMTP 550
   * 5.1.1). Throwing refuses it for now (451), so the sending server tries again later.
   */
  resolveRecipient(address: string): Promise<MailRecipient | null>;
  /**
   * Takes what one message holds for one accepted recipient. Throwing temp-fails the message
   * (451) and the sending server sends it again later, to every recipient: deliveries must be
   * idempotent on (messageId, recipient). A thrown error with `permanent: true` refuses it for
   * good (554); its message is shown to the sender. Every recipient of a message gets the
   * same `mail` object: read it, do not change it.
   */
  deliver(recipient: MailRecipient, mail: InboundReceiptMail): Promise<void>;
}

/** What a target throws to refuse a message for good rather than have it sent again. */
export class PermanentDeliveryError extends Error {
  readonly permanent = true;

  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

export function isPermanentRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}

/** What the listener logs through; a pino logger is one. */
export interface MailLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
