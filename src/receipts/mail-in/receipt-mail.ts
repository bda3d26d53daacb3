/**
 * What a received message holds as a receipt: its image and PDF attachments, told by content,
 * or else the e-mail's own text.
 */
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { sniffMediaType } from '../media-type.js';
import type { InboundReceiptMail, ReceiptFile } from './inbound-mail.js';
import { htmlToText } from './html-text.js';

export interface ReceiptMailOptions {
  /** MAIL FROM of the envelope, used when the message has no From header; null for "<>". */
  envelopeSender: string | null;
  receivedAt: Date;
  /** Receipt files kept from one message; the rest are skipped and counted. */
  attachmentsMax: number;
  /** MIME parts a message may have at all; more make it unreadable. */
  mimePartsMax: number;
}

/** A message whose MIME structure cannot be read; sending it again would not help. */
export class UnreadableMessageError extends Error {
  constructor(cause: unknown) {
    super(`message cannot be read as MIME: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'UnreadableMessageError';
  }
}

/** Longest file name kept, in characters; most file systems stop at 255 bytes. */
const filenameCharsMax = 255;

export async function readReceiptMail(raw: Buffer, options: ReceiptMailOptions): Promise<InboundReceiptMail> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, {
      // The HTML is turned into text here (html-text.ts), and cid: images stay links:
      // inlining them as data: URLs would copy every logo into bodyHtml.
      skipHtmlToText: true,
      skipTextToHtml: true,
      keepCidLinks: true,
      checksumAlgo: false,
      maxChildNodes: options.mimePartsMax,
    });
  } catch (error) {
    throw new UnreadableMessageError(error);
  }
  const { files, skipped } = receiptFiles(parsed.attachments, options.attachmentsMax);
  const html = typeof parsed.html === 'string' && parsed.html.trim() !== '' ? parsed.html : null;
  return {
    messageId: parsed.messageId ?? null,
    from: parsed.from?.value.find((mailbox) => mailbox.address)?.address || options.envelopeSender || null,
    subject: parsed.subject ?? '',
    receivedAt: options.receivedAt,
    files,
    bodyText: files.length === 0 ? bodyText(parsed.text, html) : null,
    bodyHtml: files.length === 0 ? html : null,
    skippedAttachments: skipped,
  };
}

function receiptFiles(attachments: Attachment[], attachmentsMax: number): { files: ReceiptFile[]; skipped: number } {
  const files: ReceiptFile[] = [];
  for (const attachment of attachments) {
    // An image inside multipart/related is part of the HTML (a logo, a tracking pixel), not
    // something the sender attached.
    if (attachment.related) continue;
    const mediaType = sniffMediaType(attachment.content);
    if (mediaType === null || files.length >= attachmentsMax) continue;
    files.push({ filename: safeFilename(attachment.filename), mediaType, content: attachment.content });
  }
  return { files, skipped: attachments.length - files.length };
}

/** The name without any directory part or control characters: it is shown, never used as a path. */
function safeFilename(filename: string | undefined): string | null {
  // eslint-disable-next-line no-control-regex
  const name = (filename ?? '').split(/[/\\]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, '').trim() ?? '';
  return name === '' ? null : name.slice(0, filenameCharsMax);
}

/** The text/plain part when it says anything, else the HTML as text; null when neither does. */
function bodyText(plain: string | undefined, html: string | null): string | null {
  const text = (plain ?? '').replace(/\r\n?/g, '\n').trim();
  if (text !== '') return text;
  const fromHtml = html === null ? '' : htmlToText(html);
  return fromHtml === '' ? null : fromHtml;
}
