// Receipts by e-mail end to end: a real SMTP client (nodemailer) sends real MIME messages to
// Outlay's listener; receipts land in the right person's inbox, in the right company, once.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptPicture } from '../../src/demo/receipt-pictures.js';
import type { RunningServer } from '../../src/server/server.js';
import { pdfInflatedBytesMax } from '../../src/receipts/extract/pdf-streams.js';
import { addPerson, createTenant, type SessionClient } from '../../src/test-support/api-client.js';
import { pdfBomb } from '../../src/test-support/hostile-files.js';
import { waitUntilRead } from '../../src/test-support/receipts.js';
import { startTestServer } from '../../src/test-support/server.js';

const domain = 'receipts.outlay.test';
let server: RunningServer;
let alice: { id: string; client: SessionClient; address: string };
let bruno: { id: string; client: SessionClient; address: string };

async function personWithAddress(companyName: string, label: string) {
  const tenant = await createTenant(server, { name: companyName, adminEmail: `admin@${label}.test` });
  const person = await addPerson(tenant.client, { email: `${label}@${label}.test`, name: label, roles: ['employee'] });
  const response = await person.client.get('/api/v1/receipts/forwarding-address');
  expect(response.body).toMatchObject({ enabled: true });
  expect(response.body.address).toMatch(new RegExp(`^receipts\\+[a-z0-9]{12}@${domain.replaceAll('.', '\\.')}$`));
  return { id: person.id, client: person.client, address: response.body.address as string };
}

function transport() {
  return nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort!, secure: false, ignoreTLS: true });
}

async function receiptsOf(client: SessionClient) {
  return (await client.get('/api/v1/receipts')).body.items as { id: string; source: string; mediaType: string; email: { from: string; subject: string } }[];
}

beforeAll(async () => {
  server = await startTestServer({ config: { smtp: { host: '127.0.0.1', port: 0, domain } } });
  alice = await personWithAddress('Alpine Tours', 'alice');
  bruno = await personWithAddress('Brook Media', 'bruno');
});
afterAll(async () => {
  await server?.close();
});

describe('receipts by e-mail', () => {
  it('takes a photo attached to a forwarded mail as the person\'s receipt', async () => {
    const photo = await renderReceiptPicture({ merchant: 'Alpine Hut', date: '2026-11-28', items: [{ name: 'Soup', amount: '14.50' }], total: '14.50', currency: 'EUR' });
    const sent = await transport().sendMail({
      from: 'Alice <alice@alice.test>',
      to: alice.address,
      subject: 'Fwd: your receipt',
      text: 'See attached.',
      attachments: [{ filename: 'photo.heic', content: photo, contentType: 'image/heic' }],
    });
    expect(sent.rejected).toEqual([]);
    const [receipt] = await receiptsOf(alice.client);
    expect(receipt).toMatchObject({ source: 'email', mediaType: 'image/jpeg', email: { from: 'alice@alice.test', subject: 'Fwd: your receipt' } });
    expect(await receiptsOf(bruno.client)).toEqual([]);
  });

  it('reads an online shop\'s HTML receipt mail from its text when nothing is attached', async () => {
    const html = readFileSync(path.resolve('src/receipts/mail-in/testdata/shop-receipt.html'), 'utf8');
    await transport().sendMail({ from: 'shop@paperworks.example', to: bruno.address, subject: 'Your order', html });
    const [receipt] = await receiptsOf(bruno.client);
    expect(receipt).toMatchObject({ source: 'email', mediaType: 'text/plain' });
    const read = await waitUntilRead(bruno.client, receipt!.id);
    expect(read.body.reading).toMatchObject({ state: 'read', source: 'text' });
    expect(read.body.fields).toMatchObject({ total: '60.81', currency: 'EUR', date: '2025-03-14' });
    const file = await bruno.client.get(`/api/v1/receipts/${receipt!.id}/file`);
    expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(file.text).toContain('60.81');
  });

  it('keeps a mailed PDF that inflates to 3 GiB as an unreadable receipt, refused before pdf.js opens it', async () => {
    const bomb = await pdfBomb(3 * 1024 * 1024 * 1024);
    await transport().sendMail({ from: 'Bruno <bruno@bruno.test>', to: bruno.address, subject: 'Invoice', text: 'Attached.', attachments: [{ filename: 'invoice.pdf', content: bomb }] });
    const receipt = (await receiptsOf(bruno.client)).find((r) => r.email.subject === 'Invoice');
    expect(receipt).toMatchObject({ source: 'email', mediaType: 'application/pdf' });
    const read = await waitUntilRead(bruno.client, receipt!.id);
    expect(read.body.reading).toMatchObject({ state: 'failed', error: expect.stringContaining(`inflate to more than ${pdfInflatedBytesMax / 1024 / 1024} MiB`) });
  });

  it('refuses mail for an address nobody has, and keeps nothing', async () => {
    const before = (await receiptsOf(alice.client)).length;
    await expect(
      transport().sendMail({ from: 'x@example.com', to: `receipts+nobody00000@${domain}`, subject: 'hi', text: 'Total 5.00 EUR' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const partly = await transport().sendMail({ from: 'x@example.com', to: [alice.address, `someone@${domain}`], subject: 'Receipt', text: 'Kiosk\nTotal 5.00 EUR\n2026-11-29' });
    expect(partly.rejected).toEqual([`someone@${domain}`]);
    expect((await receiptsOf(alice.client)).length).toBe(before + 1);
  });

  it('takes a message delivered twice (same Message-ID) once', async () => {
    const message = { from: 'x@example.com', to: alice.address, subject: 'Twice', text: 'Bakery\nTotal 3.20 EUR\n2026-11-30', messageId: '<twice-1@example.com>' };
    const before = (await receiptsOf(alice.client)).length;
    await transport().sendMail(message);
    await transport().sendMail(message);
    expect((await receiptsOf(alice.client)).length).toBe(before + 1);
  });

  it('refuses a mail whose only attachment is not a receipt, telling the sender why', async () => {
    await expect(
      transport().sendMail({ from: 'x@example.com', to: alice.address, subject: 'zip', attachments: [{ filename: 'receipt.jpg', content: Buffer.from('PK\u0003\u0004 not an image') }] }),
    ).rejects.toMatchObject({ responseCode: 554 });
  });
});
