import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readReceiptMail, UnreadableMessageError, type ReceiptMailOptions } from './receipt-mail.js';

const options: ReceiptMailOptions = {
  envelopeSender: 'bounces@relay.example',
  receivedAt: new Date('2025-03-14T09:30:00Z'),
  attachmentsMax: 3,
  mimePartsMax: 50,
};

const compose = (mail: Mail.Options): Promise<Buffer> => new MailComposer({ from: 'dana@acme.example', to: 'receipts+k3x9m2@in.outlay.example', ...mail }).compile().build();
const photo = (): Promise<Buffer> => sharp({ create: { width: 8, height: 8, channels: 3, background: '#eee' } }).jpeg().toBuffer();

describe('readReceiptMail', () => {
  it('keeps image and PDF attachments by content, skips the rest, and gives no body text then', async () => {
    const jpeg = await photo();
    const raw = await compose({
      subject: 'Taxi',
      text: 'Sent from my phone',
      attachments: [
        { filename: 'IMG_0001.JPG', content: jpeg, contentType: 'image/jpeg' },
        { filename: 'scan.dat', content: Buffer.from('%PDF-1.4\n1 0 obj\n'), contentType: 'application/octet-stream' },
        { filename: 'receipt.jpg', content: Buffer.from('just some text'), contentType: 'image/jpeg' },
      ],
    });
    const mail = await readReceiptMail(raw, options);
    expect(mail.files.map(({ filename, mediaType }) => ({ filename, mediaType }))).toEqual([
      { filename: 'IMG_0001.JPG', mediaType: 'image/jpeg' },
      { filename: 'scan.dat', mediaType: 'application/pdf' },
    ]);
    expect(mail.files[0]?.content.equals(jpeg)).toBe(true);
    expect(mail).toMatchObject({ subject: 'Taxi', from: 'dana@acme.example', receivedAt: options.receivedAt, skippedAttachments: 1, bodyText: null, bodyHtml: null });
  });

  it('takes images embedded in the HTML for part of it, not for receipts', async () => {
    const html = '<p><img src="cid:logo@shop"></p><table><tr><td>Total</td><td>12.50</td></tr></table>';
    const raw = await compose({ html, attachments: [{ filename: 'logo.png', cid: 'logo@shop', content: await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer() }] });
    const mail = await readReceiptMail(raw, options);
    expect(mail).toMatchObject({ files: [], skippedAttachments: 1, bodyText: 'Total\t12.50' });
    expect(mail.bodyHtml).toContain('cid:logo@shop');
  });

  it('keeps at most attachmentsMax files and counts the rest as skipped', async () => {
    const jpeg = await photo();
    const raw = await compose({ attachments: Array.from({ length: 5 }, (_, index) => ({ filename: `p${index}.jpg`, content: jpeg })) });
    const mail = await readReceiptMail(raw, options);
    expect(mail.files.map((file) => file.filename)).toEqual(['p0.jpg', 'p1.jpg', 'p2.jpg']);
    expect(mail.skippedAttachments).toBe(2);
  });

  it('drops directories and control characters from file names', async () => {
    const raw = await compose({ attachments: [{ filename: '../../etc/re\u0007ceipt.pdf', content: Buffer.from('%PDF-1.7\n') }] });
    expect((await readReceiptMail(raw, options)).files[0]?.filename).toBe('receipt.pdf');
  });

  it('reads the HTML when the text part says nothing, and gives null when neither does', async () => {
    const withBlankText = await readReceiptMail(await compose({ text: ' \r\n ', html: '<div>Total 9.99</div>' }), options);
    expect(withBlankText.bodyText).toBe('Total 9.99');
    const empty = await readReceiptMail(await compose({ text: '' }), options);
    expect(empty).toMatchObject({ bodyText: null, bodyHtml: null, files: [] });
  });

  it('prefers the text part of a text and HTML message, with its line breaks', async () => {
    const mail = await readReceiptMail(await compose({ text: 'Coffee 3.20\r\nTotal 3.20\r\n', html: '<b>ignored for text</b>' }), options);
    expect(mail.bodyText).toBe('Coffee 3.20\nTotal 3.20');
    expect(mail.bodyHtml).toBe('<b>ignored for text</b>');
  });

  it('falls back to the envelope sender without a From header, and has no Message-ID when none was sent', async () => {
    const raw = Buffer.from('Subject: hi\r\n\r\nTotal 1.00\r\n');
    const mail = await readReceiptMail(raw, options);
    expect(mail).toMatchObject({ from: 'bounces@relay.example', messageId: null, subject: 'hi', bodyText: 'Total 1.00' });
    expect((await readReceiptMail(raw, { ...options, envelopeSender: null })).from).toBeNull();
  });

  it('reads whatever it can of broken MIME rather than failing', async () => {
    const raw = Buffer.from(
      'From: broken\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nTotal 4.00\r\n' +
        '--b\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n!!not base64!!\r\n',
    );
    const mail = await readReceiptMail(raw, options);
    expect(mail.files).toEqual([]);
    expect(mail.bodyText).toBe('Total 4.00');
  });

  it('refuses a message with more MIME parts than mimePartsMax', async () => {
    const raw = await compose({ attachments: Array.from({ length: 60 }, (_, index) => ({ filename: `${index}.txt`, content: 'x' })) });
    await expect(readReceiptMail(raw, options)).rejects.toBeInstanceOf(UnreadableMessageError);
  });
});
