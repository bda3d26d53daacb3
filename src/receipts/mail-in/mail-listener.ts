/**
 * The SMTP listener that takes e-mailed receipts: recipients are checked at RCPT TO, messages
 * are read once whole and handed to the target for each accepted recipient.
 *
 * Plain SMTP without STARTTLS or AUTH: the listener sits behind the platform's MX or a relay,
 * which terminates TLS, filters spam and retries, and is the only thing that reaches it.
 * It must not be exposed to the internet as an MX itself.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerEnvelope, type SMTPServerSession } from 'smtp-server';
import { isPermanentRefusal, type InboundMailTarget, type InboundReceiptMail, type MailLogger, type MailRecipient } from './inbound-mail.js';
import { messageReply, type DeliveryOutcome } from './message-reply.js';
import { readReceiptMail, UnreadableMessageError } from './receipt-mail.js';

export interface MailLimits {
  /** Largest message, announced with SIZE (RFC 1870) and enforced while it streams in. */
  messageBytesMax: number;
  /** Accepted recipients of one message; more get 452 and come again in another transaction (RFC 5321 4.5.3.1.10). */
  recipientsMax: number;
  /** Unknown recipients one connection may try before it is closed with 421. */
  refusedRecipientsMax: number;
  /** Receipt files kept from one message. */
  attachmentsMax: number;
  /** MIME parts one message may have at all. */
  mimePartsMax: number;
  connectionsMax: number;
  /** How long a client may stay silent while it owes us a command or message data. */
  socketIdleTimeoutMs: number;
  /** How long resolveRecipient may take before the recipient is temp-failed. */
  resolveTimeoutMs: number;
  /** How long one deliver() may take before the message is temp-failed. */
  deliverTimeoutMs: number;
  /** How long close() lets open connections finish before it cuts them. */
  closeTimeoutMs: number;
}

// Mail providers cap messages at 20 to 25 MiB; a phone photo of a receipt is a few MiB.
export const messageBytesMax = 25 * 1024 * 1024;
export const recipientsMax = 10;
export const refusedRecipientsMax = 50;
export const attachmentsMax = 20;
export const mimePartsMax = 200;
export const connectionsMax = 100;
// RFC 5321 4.5.3.2.7 asks servers to wait at least 5 minutes for the next command.
export const socketIdleTimeoutMs = 5 * 60_000;
export const resolveTimeoutMs = 10_000;
// Below the 10 minutes a client waits for the reply to the end of DATA (RFC 5321 4.5.3.2.6),
// so the client hears 451 from us rather than giving up on its own.
export const deliverTimeoutMs = 60_000;
export const closeTimeoutMs = 10_000;

export const defaultMailLimits: MailLimits = {
  messageBytesMax, recipientsMax, refusedRecipientsMax, attachmentsMax, mimePartsMax, connectionsMax,
  socketIdleTimeoutMs, resolveTimeoutMs, deliverTimeoutMs, closeTimeoutMs,
};

export interface MailListenerOptions {
  host: string;
  /** 0 takes a free port, which `port` of the result then says. */
  port: number;
  /** The name given in the greeting and the EHLO reply: the host name the relay knows. Defaults to the machine's. */
  serverName?: string;
  target: InboundMailTarget;
  logger: MailLogger;
  limits?: Partial<MailLimits>;
  /** The clock that dates messages as received (the server's). */
  now: () => Date;
}

export interface MailListener {
  port: number;
  close(): Promise<void>;
}

type SmtpError = Error & { responseCode: number };

function smtpError(responseCode: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode });
}

interface Reply {
  code: number;
  message: string;
}

/** What the SMTP callbacks of one listener share. */
interface Intake {
  target: InboundMailTarget;
  logger: MailLogger;
  limits: MailLimits;
  now: () => Date;
  /**
   * What each RCPT TO resolved to, per transaction: smtp-server starts a new envelope object
   * for every transaction (and on RSET), so the WeakMap forgets them with it.
   */
  resolved: WeakMap<SMTPServerEnvelope, Map<string, MailRecipient>>;
  /** Unknown recipients tried, per connection. */
  refusals: WeakMap<SMTPServerSession, number>;
}

export async function startMailListener(options: MailListenerOptions): Promise<MailListener> {
  const intake: Intake = {
    target: options.target,
    logger: options.logger,
    limits: { ...defaultMailLimits, ...options.limits },
    now: options.now,
    resolved: new WeakMap(),
    refusals: new WeakMap(),
  };
  const { limits, logger } = intake;
  const server = new SMTPServer({
    name: options.serverName,
    banner: 'Outlay receipts',
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: limits.messageBytesMax,
    rejectOversized: true,
    maxRecipients: limits.recipientsMax,
    maxClients: limits.connectionsMax,
    socketTimeout: limits.socketIdleTimeoutMs,
    closeTimeout: limits.closeTimeoutMs,
    // RFC 3463 codes in every reply ("550 5.1.1"), so the sender's bounce says what went wrong.
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    logger: false,
    onRcptTo: (address, session, callback) => {
      answer(intake, session, 'RCPT TO', checkRecipient(intake, address.address, session), callback);
    },
    onData: (stream, session, callback) => {
      answer(intake, session, 'DATA', receiveMessage(intake, stream, session), callback);
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Socket errors smtp-server passes up arrive here; without a listener the EventEmitter
  // would throw them and end the process.
  server.on('error', (error: Error) => logger.warn({ err: error }, 'mail connection failed'));

  let closing: Promise<void> | null = null;
  return {
    port: (server.server.address() as AddressInfo).port,
    close() {
      closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}

/** Turns a reply (or an unexpected failure, as 451) into the smtp-server callback. */
function answer(intake: Intake, session: SMTPServerSession, command: string, reply: Promise<Reply>, callback: (error?: Error | null, message?: string) => void): void {
  reply
    .catch((error: unknown): Reply => {
      intake.logger.error({ err: error, session: session.id, command }, 'mail command failed');
      return { code: 451, message: 'Temporary failure, try again later' };
    })
    .then((result) => (result.code < 400 ? callback(null, result.message) : callback(smtpError(result.code, result.message))))
    .catch((error: unknown) => intake.logger.error({ err: error, session: session.id, command }, 'mail reply failed'));
}

async function checkRecipient(intake: Intake, address: string, session: SMTPServerSession): Promise<Reply> {
  const { limits, logger } = intake;
  const refused = intake.refusals.get(session) ?? 0;
  if (refused >= limits.refusedRecipientsMax) {
    logger.warn({ session: session.id, refused }, 'mail connection closed after too many unknown recipients');
    return { code: 421, message: 'Too many unknown recipients, closing' };
  }
  let recipient: MailRecipient | null;
  try {
    recipient = await within(limits.resolveTimeoutMs, 'resolveRecipient', () => intake.target.resolveRecipient(address));
  } catch (error) {
    logger.error({ err: error, session: session.id }, 'mail recipient could not be resolved');
    return { code: 451, message: 'Recipient cannot be checked now, try again later' };
  }
  if (!recipient) {
    intake.refusals.set(session, refused + 1);
    logger.info({ session: session.id, recipient: address }, 'mail refused for an unknown recipient');
    return { code: 550, message: 'No such recipient here' };
  }
  const envelopeRecipients = intake.resolved.get(session.envelope) ?? new Map<string, MailRecipient>();
  intake.resolved.set(session.envelope, envelopeRecipients.set(address.toLowerCase(), recipient));
  return { code: 250, message: 'Accepted' };
}

async function receiveMessage(intake: Intake, stream: SMTPServerDataStream, session: SMTPServerSession): Promise<Reply> {
  const { limits, logger } = intake;
  const recipients = recipientsOf(session.envelope, intake.resolved.get(session.envelope));
  const envelopeSender = session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null;
  let raw: Buffer | null;
  try {
    raw = await readWhole(stream, limits.messageBytesMax);
  } catch (error) {
    // The client went away mid-message; it will send it again, and nobody hears this reply.
    logger.warn({ err: error, session: session.id }, 'mail cut off before its end');
    return { code: 451, message: 'Message incomplete' };
  }
  if (raw === null) {
    logger.warn({ session: session.id, bytesMax: limits.messageBytesMax }, 'mail refused for its size');
    return { code: 552, message: 'Message too big' };
  }
  let mail: InboundReceiptMail;
  try {
    const receivedAt = intake.now();
    mail = await readReceiptMail(raw, { envelopeSender, receivedAt, attachmentsMax: limits.attachmentsMax, mimePartsMax: limits.mimePartsMax });
  } catch (error) {
    if (!(error instanceof UnreadableMessageError)) throw error;
    logger.warn({ err: error, session: session.id }, 'mail refused as unreadable');
    return { code: 554, message: 'Message cannot be read' };
  }
  const outcomes: DeliveryOutcome[] = [];
  for (const recipient of recipients) outcomes.push(await deliverTo(intake, recipient, mail, session));
  const reply = messageReply(outcomes);
  const { messageId, files, skippedAttachments } = mail;
  logger.info({ session: session.id, messageId, recipients: outcomes.length, files: files.length, skippedAttachments, reply: reply.code }, 'mail received');
  return reply;
}

async function deliverTo(intake: Intake, recipient: MailRecipient, mail: InboundReceiptMail, session: SMTPServerSession): Promise<DeliveryOutcome> {
  try {
    await within(intake.limits.deliverTimeoutMs, 'deliver', () => intake.target.deliver(recipient, mail));
    return { kind: 'delivered' };
  } catch (error) {
    const fields = { err: error, session: session.id, userId: recipient.userId };
    if (!isPermanentRefusal(error)) {
      intake.logger.error(fields, 'mail could not be delivered');
      return { kind: 'failed' };
    }
    intake.logger.warn(fields, 'mail refused by its recipient');
    return { kind: 'refused', reason: error instanceof Error ? error.message : '' };
  }
}

/** The accepted recipients in RCPT TO order, each person once even when reached at two addresses. */
function recipientsOf(envelope: SMTPServerEnvelope, resolved: Map<string, MailRecipient> | undefined): MailRecipient[] {
  const people = new Map<string, MailRecipient>();
  for (const { address } of envelope.rcptTo) {
    const recipient = resolved?.get(address.toLowerCase());
    const person = recipient && JSON.stringify([recipient.companyId, recipient.userId]);
    if (recipient && person && !people.has(person)) people.set(person, recipient);
  }
  return [...people.values()];
}

/**
 * The whole message, or null when it is bigger than `bytesMax`. Past the limit the rest is
 * read and dropped (the client still has to finish DATA before it can hear 552), so memory
 * never holds more than the limit.
 */
function readWhole(stream: SMTPServerDataStream, bytesMax: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let bytes = 0;
    let oversized = false;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (oversized) return;
      if (bytes > bytesMax || stream.sizeExceeded) {
        oversized = true;
        chunks = [];
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => resolve(oversized || stream.sizeExceeded ? null : Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/** Runs `work`, failing when it throws (even synchronously) or outlasts `timeoutMs`. */
function within<T>(timeoutMs: number, what: string, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
    Promise.resolve()
      .then(work)
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}
