// The listener over real TCP, with nodemailer sending real MIME messages and a raw socket for
// what no well-behaved client would send.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentDeliveryError, type InboundMailTarget, type InboundReceiptMail, type MailLogger, type MailRecipient } from './inbound-mail.js';
import { startMailListener, type MailLimits, type MailListener } from './mail-listener.js';
import { parseReceiptAddress, receiptAddress } from './receipt-address.js';

const domain = 'in.outlay.example';
const receivedAt = new Date('2025-03-14T09:30:00Z');
const dana = receiptAddress('dana0001', domain);
const danaAgain = receiptAddress('dana0009', domain);
const omar = receiptAddress('omar0002', domain);
const lena = receiptAddress('lena0003', domain);
const stranger = receiptAddress('nobody404', domain);

/** The narrow seam in memory: personal addresses by token, deliveries kept in a list. */
class MemoryReceiptInbox implements InboundMailTarget {
  readonly owners = new Map([
    ['dana0001', { companyId: 'acme', userId: 'dana' }],
    ['dana0009', { companyId: 'acme', userId: 'dana' }],
    ['omar0002', { companyId: 'acme', userId: 'omar' }],
    ['lena0003', { companyId: 'globex', userId: 'lena' }],
  ]);
  readonly deliveries: { recipient: MailRecipient; mail: InboundReceiptMail }[] = [];
  /** What deliver() does instead of keeping the mail: throw this error, or never settle. */
  failure: Error | 'hang' | null = null;
  resolveFailure: Error | null = null;

  async resolveRecipient(address: string): Promise<MailRecipient | null> {
    if (this.resolveFailure) throw this.resolveFailure;
    const owner = this.owners.get(parseReceiptAddress(address, domain) ?? '');
    return owner ? { address, ...owner } : null;
  }

  async deliver(recipient: MailRecipient, mail: InboundReceiptMail): Promise<void> {
    if (this.failure === 'hang') return new Promise<void>(() => {});
    if (this.failure) throw this.failure;
    this.deliveries.push({ recipient, mail });
  }
}

class RecordingLogger implements MailLogger {
  readonly entries: { level: 'info' | 'warn' | 'error'; fields: object; message: string }[] = [];
  info(fields: object, message: string) {
    this.entries.push({ level: 'info', fields, message });
  }
  warn(fields: object, message: string) {
    this.entries.push({ level: 'warn', fields, message });
  }
  error(fields: object, message: string) {
    this.entries.push({ level: 'error', fields, message });
  }
}

/** Sends SMTP lines by hand and reads the replies, multi-line ones joined. */
class RawSmtpClient {
  private pending = '';
  private lines: string[] = [];
  private readonly replies: string[] = [];
  private wake: (() => void) | null = null;
  closed = false;

  constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.pending += chunk;
      for (let end = this.pending.indexOf('\r\n'); end >= 0; end = this.pending.indexOf('\r\n')) {
        const line = this.pending.slice(0, end);
        this.pending = this.pending.slice(end + 2);
        this.lines.push(line);
        if (line[3] !== '-') this.replies.push(this.lines.splice(0).join('\n'));
      }
      this.wake?.();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static connect(port: number): Promise<RawSmtpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawSmtpClient(socket)));
      rawSockets.push(socket);
      socket.once('error', reject);
    });
  }

  /** The next reply, or null when the server closed the connection without one. */
  async reply(): Promise<string | null> {
    while (this.replies.length === 0 && !this.closed) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.replies.shift() ?? null;
  }

  command(line: string | Buffer): Promise<string | null> {
    this.socket.write(typeof line === 'string' ? `${line}\r\n` : line);
    return this.reply();
  }

  /** Waits until the server has closed the connection. */
  async ended(): Promise<void> {
    while (!this.closed) await this.reply();
  }
}

const photo = (): Promise<Buffer> => sharp({ create: { width: 64, height: 48, channels: 3, background: '#f4f1ea' } }).jpeg().toBuffer();
const shopReceiptHtml = readFileSync(new URL('./testdata/shop-receipt.html', import.meta.url), 'utf8');

/** Waits, without a deadline of its own, until the listener has done something asynchronous. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
}

let inbox: MemoryReceiptInbox;
let logger: RecordingLogger;
let listeners: MailListener[];
/** Closed after each test, so that a failed test leaves no connection for close() to wait on. */
const rawSockets: net.Socket[] = [];

beforeEach(() => {
  inbox = new MemoryReceiptInbox();
  logger = new RecordingLogger();
  listeners = [];
});

afterEach(async () => {
  rawSockets.splice(0).forEach((socket) => socket.destroy());
  await Promise.all(listeners.map((listener) => listener.close()));
});

async function listen(limits: Partial<MailLimits> = {}): Promise<number> {
  const listener = await startMailListener({ host: '127.0.0.1', port: 0, serverName: 'mx.test.example', target: inbox, logger, limits, now: () => receivedAt });
  listeners.push(listener);
  return listener.port;
}

async function send(port: number, mail: Mail.Options): Promise<SMTPTransport.SentMessageInfo> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ from: 'Dana Scully <dana@acme.example>', to: dana, subject: 'Receipt', ...mail });
  } finally {
    transport.close();
  }
}

async function sendFailure(port: number, mail: Mail.Options): Promise<SmtpFailure> {
  const failure: unknown = await send(port, mail).then(
    () => expect.fail('the listener accepted the message'),
    (error: unknown) => error,
  );
  return failure as SmtpFailure;
}

describe('mail listener: receipts', () => {
  it('takes a photo attachment for its recipient, told as JPEG by its content', async () => {
    const port = await listen();
    const jpeg = await photo();
    const info = await send(port, { subject: 'Taxi to the airport', text: 'Sent from my phone', attachments: [{ filename: 'IMG_4711.HEIC', content: jpeg, contentType: 'image/heic' }] });
    expect(info.response).toMatch(/^250 /);
    expect(inbox.deliveries).toHaveLength(1);
    const [{ recipient, mail }] = inbox.deliveries as [(typeof inbox.deliveries)[number]];
    expect(recipient).toEqual({ address: dana, companyId: 'acme', userId: 'dana' });
    expect(mail).toMatchObject({ messageId: info.messageId, from: 'dana@acme.example', subject: 'Taxi to the airport', receivedAt, bodyText: null, bodyHtml: null, skippedAttachments: 0 });
    expect(mail.files).toHaveLength(1);
    expect(mail.files[0]).toMatchObject({ filename: 'IMG_4711.HEIC', mediaType: 'image/jpeg' });
    expect(mail.files[0]?.content.equals(jpeg)).toBe(true);
  });

  it('takes a PDF attachment sent as octet-stream', async () => {
    const port = await listen();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    await send(port, { text: 'Invoice attached', attachments: [{ filename: 'invoice', content: pdf, contentType: 'application/octet-stream' }] });
    const mail = inbox.deliveries[0]?.mail;
    expect(mail?.files.map((file) => file.mediaType)).toEqual(['application/pdf']);
    expect(mail?.files[0]?.content.equals(pdf)).toBe(true);
  });

  it('turns an HTML-only shop receipt into text with one line per item row, and keeps the HTML', async () => {
    const port = await listen();
    await send(port, { subject: 'Your order #NW-48213', html: shopReceiptHtml });
    const mail = inbox.deliveries[0]?.mail;
    expect(mail?.files).toEqual([]);
    const lines = mail?.bodyText?.split('\n') ?? [];
    expect(lines).toContain('Printer paper A4, 500 sheets\t4\t€ 19.96');
    expect(lines).toContain('Total\t€ 60.81');
    expect(lines).toContain('Order #NW-48213 · placed on 14 March 2025');
    expect(mail?.bodyText).not.toMatch(/<|trackOpen/);
    expect(mail?.bodyHtml).toContain('<table class="items"');
  });

  it('takes a text-only receipt as it was written', async () => {
    const port = await listen();
    await send(port, { text: 'Café Central\r\n2x Espresso   5.40\r\nTOTAL EUR     5.40\r\n14.03.2025 08:12\r\n' });
    expect(inbox.deliveries[0]?.mail).toMatchObject({ files: [], bodyText: 'Café Central\n2x Espresso   5.40\nTOTAL EUR     5.40\n14.03.2025 08:12', bodyHtml: null });
  });

  it('skips attachments whose name and type lie about their content, and counts them', async () => {
    const port = await listen();
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(64)]);
    await send(port, {
      text: 'Lunch 12.80',
      attachments: [
        { filename: 'receipt.jpg', content: zip, contentType: 'image/jpeg' },
        { filename: 'receipt.pdf', content: 'Total 12.80', contentType: 'application/pdf' },
      ],
    });
    expect(inbox.deliveries[0]?.mail).toMatchObject({ files: [], skippedAttachments: 2, bodyText: 'Lunch 12.80' });
  });

  it('delivers once to a person reached at two of their addresses', async () => {
    const port = await listen();
    await send(port, { to: [dana, danaAgain], text: 'Parking 4.00' });
    expect(inbox.deliveries.map(({ recipient }) => recipient.address)).toEqual([dana]);
  });
});

describe('mail listener: recipients', () => {
  it('refuses an unknown recipient with 550 5.1.1 and never takes the message', async () => {
    const port = await listen();
    const failure = await sendFailure(port, { to: stranger, text: 'Total 1.00' });
    expect(failure).toMatchObject({ code: 'EENVELOPE', responseCode: 550 });
    expect(failure.response).toMatch(/^550 5\.1\.1 /);
    expect(inbox.deliveries).toEqual([]);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'info', message: 'mail refused for an unknown recipient' }));
  });

  it('delivers to each known recipient of a message that also names unknown ones', async () => {
    const port = await listen();
    const info = await send(port, { to: [dana, stranger, lena], text: 'Team dinner 180.00' });
    expect(info.accepted).toEqual([dana, lena]);
    expect(info.rejected).toEqual([stranger]);
    expect(inbox.deliveries.map(({ recipient }) => [recipient.companyId, recipient.userId])).toEqual([['acme', 'dana'], ['globex', 'lena']]);
    expect(inbox.deliveries[0]?.mail).toBe(inbox.deliveries[1]?.mail);
  });

  it('answers 452 past recipientsMax, so the sender comes again with the rest', async () => {
    const port = await listen({ recipientsMax: 2 });
    const info = await send(port, { to: [dana, omar, lena], text: 'Taxi 30.00' });
    expect(info.accepted).toEqual([dana, omar]);
    expect(info.rejected).toEqual([lena]);
    expect(inbox.deliveries.map(({ recipient }) => recipient.userId)).toEqual(['dana', 'omar']);
  });

  it('temp-fails a recipient that cannot be resolved now', async () => {
    const port = await listen();
    inbox.resolveFailure = new Error('connection pool exhausted');
    const failure = await sendFailure(port, { text: 'Total 1.00' });
    expect(failure).toMatchObject({ code: 'EENVELOPE', responseCode: 451 });
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'error', message: 'mail recipient could not be resolved' }));
  });

  it('closes a connection that tries too many unknown recipients', async () => {
    const port = await listen({ refusedRecipientsMax: 2 });
    const client = await RawSmtpClient.connect(port);
    await client.reply();
    await client.command('EHLO relay.test.example');
    await client.command('MAIL FROM:<dana@acme.example>');
    expect(await client.command(`RCPT TO:<${stranger}>`)).toMatch(/^550 /);
    expect(await client.command('RCPT TO:<receipts+nobody405@in.outlay.example>')).toMatch(/^550 /);
    expect(await client.command(`RCPT TO:<${dana}>`)).toMatch(/^421 /);
    await client.ended();
    expect(inbox.deliveries).toEqual([]);
  });
});

describe('mail listener: limits and failures', () => {
  it('refuses a message over messageBytesMax with 552 and delivers nothing', async () => {
    const port = await listen({ messageBytesMax: 64 * 1024 });
    const failure = await sendFailure(port, { text: 'Scan', attachments: [{ filename: 'scan.jpg', content: Buffer.concat([await photo(), randomBytes(200 * 1024)]) }] });
    expect(failure).toMatchObject({ code: 'EMESSAGE', responseCode: 552 });
    expect(inbox.deliveries).toEqual([]);
    await send(port, { text: 'Small one 2.00' });
    expect(inbox.deliveries.map(({ mail }) => mail.bodyText)).toEqual(['Small one 2.00']);
  });

  it('announces messageBytesMax with SIZE and refuses a bigger declared size at MAIL FROM', async () => {
    const port = await listen({ messageBytesMax: 64 * 1024 });
    const client = await RawSmtpClient.connect(port);
    expect(await client.reply()).toMatch(/^220 mx\.test\.example ESMTP/);
    expect(await client.command('EHLO relay.test.example')).toMatch(/^250[- ]SIZE 65536$/m);
    expect(await client.command('MAIL FROM:<dana@acme.example> SIZE=65537')).toMatch(/^552 /);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('temp-fails with 451 when deliver() throws, logs it, and takes the message when it comes again', async () => {
    const port = await listen();
    inbox.failure = new Error('database is down');
    const failure = await sendFailure(port, { text: 'Hotel 320.00' });
    expect(failure).toMatchObject({ code: 'EMESSAGE', responseCode: 451 });
    expect(failure.response).toMatch(/^451 4\.3\.0 /);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'error', message: 'mail could not be delivered', fields: expect.objectContaining({ userId: 'dana' }) }));
    inbox.failure = null;
    await send(port, { text: 'Hotel 320.00' });
    expect(inbox.deliveries).toHaveLength(1);
  });

  it('refuses for good with 554 and the reason when deliver() throws a permanent error', async () => {
    const port = await listen();
    inbox.failure = new PermanentDeliveryError('Receipts for this card are closed');
    const failure = await sendFailure(port, { text: 'Hotel 320.00' });
    expect(failure).toMatchObject({ code: 'EMESSAGE', responseCode: 554 });
    expect(failure.response).toMatch(/Receipts for this card are closed/);
  });

  it('temp-fails a deliver() that does not finish within deliverTimeoutMs', async () => {
    const port = await listen({ deliverTimeoutMs: 100 });
    inbox.failure = 'hang';
    const failure = await sendFailure(port, { text: 'Hotel 320.00' });
    expect(failure).toMatchObject({ code: 'EMESSAGE', responseCode: 451 });
  });

  it('fails to start, rather than throwing later, on a port that is taken', async () => {
    const port = await listen();
    await expect(startMailListener({ host: '127.0.0.1', port, target: inbox, logger, now: () => receivedAt })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('turns away connections past connectionsMax with 421', async () => {
    const port = await listen({ connectionsMax: 1 });
    const first = await RawSmtpClient.connect(port);
    expect(await first.reply()).toMatch(/^220 /);
    const second = await RawSmtpClient.connect(port);
    expect(await second.reply()).toMatch(/^421 /);
    await second.ended();
    expect(await first.command('QUIT')).toMatch(/^221 /);
  });
});

describe('mail listener: malformed input', () => {
  it('survives a garbage conversation and takes the next message', async () => {
    const port = await listen();
    const garbage = await RawSmtpClient.connect(port);
    await garbage.reply();
    expect(await garbage.command(Buffer.concat([randomBytes(512).map((byte) => (byte === 0x0a ? 0x20 : byte)), Buffer.from('\r\n')]))).toMatch(/^5\d\d /);
    expect(await garbage.command('DATA')).toMatch(/^503 /);
    expect(await garbage.command(`RCPT TO:<${dana}>`)).toMatch(/^503 /);
    expect(await garbage.command('EHLO relay.test.example')).toMatch(/^250/);
    expect(await garbage.command('MAIL FROM:<not an address')).toMatch(/^5\d\d /);
    for (let attempt = 0; attempt < 12 && !garbage.closed; attempt++) await garbage.command(`XYZZY ${attempt}`);
    await garbage.ended();

    const longLine = await RawSmtpClient.connect(port);
    await longLine.reply();
    longLine.socket.write('EHLO ' + 'x'.repeat(64 * 1024) + '\r\n');
    await longLine.ended();

    const midMessage = await RawSmtpClient.connect(port);
    await midMessage.reply();
    await midMessage.command('EHLO relay.test.example');
    await midMessage.command('MAIL FROM:<dana@acme.example>');
    await midMessage.command(`RCPT TO:<${dana}>`);
    expect(await midMessage.command('DATA')).toMatch(/^354 /);
    midMessage.socket.write('Subject: cut off\r\n\r\nTotal 1');
    midMessage.socket.resetAndDestroy(); // a TCP reset: ECONNRESET on the listener's side
    await midMessage.ended();

    await send(port, { text: 'Still here 9.99' });
    expect(inbox.deliveries.map(({ mail }) => mail.bodyText)).toEqual(['Still here 9.99']);
    await until(() => logger.entries.some((entry) => entry.level === 'warn' && entry.message === 'mail cut off before its end'));
    expect(logger.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it('answers a message with broken MIME instead of failing, and keeps listening', async () => {
    const port = await listen();
    const client = await RawSmtpClient.connect(port);
    await client.reply();
    await client.command('EHLO relay.test.example');
    await client.command('MAIL FROM:<>');
    await client.command(`RCPT TO:<${dana}>`);
    expect(await client.command('DATA')).toMatch(/^354 /);
    const broken = [
      'From: =?utf-8?B?broken',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary="never-closed"',
      '',
      '--never-closed',
      'Content-Type: text/plain; charset=no-such-charset',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Total =E2=82=AC 7.50 =ZZ',
      '--outer',
      'Content-Type: image/jpeg; name="r.jpg"',
      'Content-Transfer-Encoding: base64',
      '',
      '/9j/4AAQ!!!not-base64\u0000\u00ff',
      '.',
      '',
    ].join('\r\n');
    // Which of the two depends on how forgiving the MIME parser is; what matters is an answer.
    expect(await client.command(Buffer.from(broken, 'latin1'))).toMatch(/^(250|554) /);
    expect(await client.command('QUIT')).toMatch(/^221 /);
    await send(port, { text: 'Next one 1.00' });
    expect(inbox.deliveries.at(-1)?.mail.bodyText).toBe('Next one 1.00');
  });
});
