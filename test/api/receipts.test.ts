// Receipts end to end over the API: a photo sent after a simulated purchase is read in the
// background and attached to it; a receipt sent first waits for its purchase; duplicates are
// flagged; lost receipts, the missing list and the receipt rules; and bad files are refused
// without leaving anything behind. Reminders and freezes, which take days, are
// receipt-deadlines.test.ts, on a clock the test moves.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { renderReceiptPicture } from '../../src/demo/receipt-pictures.js';
import { pdfReaderHeapMbMax, pdfReadMemoryMbMax, pdfTimeoutMs } from '../../src/receipts/extract/pdf.js';
import { sweepReceipts } from '../../src/receipts/receipt-sweep.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createApiKey, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { pdfBomb, pdfHeapBomb, pngBomb } from '../../src/test-support/hostile-files.js';
import { readingWaitMs, uploadReceipt, waitUntilRead } from '../../src/test-support/receipts.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };

let server: RunningServer;
let network: NetworkClient;
let tenant: Tenant;
let sequence = 0;

interface Cardholder {
  id: string;
  client: SessionClient;
  cardId: string;
}

async function cardholder(): Promise<Cardholder> {
  sequence += 1;
  const person = await addPerson(tenant.client, { email: `holder${sequence}@receipts.test`, name: `Holder ${sequence}`, roles: ['employee'] });
  const card = await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: person.id, kind: 'virtual' }, system, new Date());
  return { id: person.id, client: person.client, cardId: card.id };
}

async function buy(holder: Cardholder, amount: string, merchant: string, occurredAt: Date): Promise<string> {
  const response = await network.authorize({
    id: networkId('auth'),
    cardId: holder.cardId,
    amount,
    currency: 'EUR',
    merchant: { name: merchant, mcc: '5814', country: 'DK' },
    channel: 'in_person',
    occurredAt: occurredAt.toISOString(),
  });
  expect(response.body.approved, JSON.stringify(response.body)).toBe(true);
  return response.body.transactionId as string;
}

const day = (date: Date) => date.toISOString().slice(0, 10);
const picture = (merchant: string, date: Date, total: string) =>
  renderReceiptPicture({ merchant, date: day(date), items: [{ name: 'Lunch menu', amount: total }], total, currency: 'EUR', vat: { rate: '25', amount: '2.00' } });

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Receipt Co', adminEmail: 'admin@receipts.test' });
  await fundWallet(server, tenant.company.id, { amount: '5000.00', currency: 'EUR', bankReference: 'R-1', receivedOn: day(new Date()) });
});
afterAll(async () => {
  await server?.close();
});

describe('a receipt photo sent after the purchase', () => {
  it('is read in the background and attached to the purchase by itself', async () => {
    const holder = await cardholder();
    const when = new Date(Date.now() - 2 * 3600_000);
    const transactionId = await buy(holder, '18.40', 'CAFE NORD', when);
    await buy(holder, '7.00', 'KIOSK 7', when);
    expect((await holder.client.get(`/api/v1/card-transactions/${transactionId}`)).body.receipt).toMatchObject({ state: 'missing', receiptId: null });

    const sent = await uploadReceipt(holder.client, await picture('Cafe Nord', when, '18.40'), { fileName: 'IMG_0042.jpg' });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body).toMatchObject({ userId: holder.id, source: 'upload', mediaType: 'image/jpeg', reading: { state: 'queued' }, match: { state: 'unmatched' } });

    const read = await waitUntilRead(holder.client, sent.body.id);
    expect(read.body.reading).toMatchObject({ state: 'read', source: 'image' });
    expect(read.body.fields).toMatchObject({ total: '18.40', date: day(when) });
    expect(read.body.fields.merchant).toMatch(/cafe nord/i);
    expect(read.body.text).toContain('18.40');
    expect(read.body.match).toMatchObject({ state: 'matched', transactionId, by: 'auto' });
    expect((await holder.client.get(`/api/v1/card-transactions/${transactionId}`)).body.receipt).toEqual({ state: 'attached', receiptId: sent.body.id, lostNote: null, mismatches: [], mismatchNote: null });

    const thumbnail = await holder.client.get(`/api/v1/receipts/${sent.body.id}/thumbnail`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/jpeg');
  });
});

describe('a receipt sent before its purchase', () => {
  it('waits, and is attached when the purchase arrives', async () => {
    const holder = await cardholder();
    const when = new Date(Date.now() - 3600_000);
    const sent = await uploadReceipt(holder.client, await picture('Tokyo Kitchen', when, '31.70'));
    const read = await waitUntilRead(holder.client, sent.body.id);
    expect(read.body.match).toMatchObject({ state: 'unmatched', transactionId: null });

    const transactionId = await buy(holder, '31.70', 'TOKYO KITCHEN CPH', when);
    const outcome = await sweepReceipts(server.database.db, new Date());
    expect(outcome.rematched).toBeGreaterThanOrEqual(1);
    expect((await holder.client.get(`/api/v1/receipts/${sent.body.id}`)).body.match).toMatchObject({ state: 'matched', transactionId, by: 'auto' });
  });
});

describe('matching by hand', () => {
  it('attaches to the transaction named at upload, and unmatching keeps Outlay from attaching it again', async () => {
    const holder = await cardholder();
    const when = new Date(Date.now() - 3600_000);
    const transactionId = await buy(holder, '12.00', 'BAKERY', when);
    const pdf = Buffer.from('%PDF-1.4\n% a receipt that is not really readable\n%%EOF\n');
    const sent = await uploadReceipt(holder.client, pdf, { transactionId });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.match).toMatchObject({ state: 'matched', transactionId, by: 'user' });

    const second = await uploadReceipt(holder.client, Buffer.from('%PDF-1.4\n% another\n%%EOF\n'), { transactionId });
    expect({ status: second.status, code: second.body.code }).toEqual({ status: 409, code: 'transaction_has_receipt' });

    const unmatched = await holder.client.post(`/api/v1/receipts/${sent.body.id}/unmatch`);
    expect(unmatched.body.match).toMatchObject({ state: 'unmatched', transactionId: null });
    await waitUntilRead(holder.client, sent.body.id);
    await sweepReceipts(server.database.db, new Date());
    expect((await holder.client.get(`/api/v1/receipts/${sent.body.id}`)).body.match.state).not.toBe('matched');

    const matched = await holder.client.post(`/api/v1/receipts/${sent.body.id}/match`, { transactionId });
    expect(matched.body.match).toMatchObject({ state: 'matched', transactionId, by: 'user' });
  });

  it('refuses to attach a receipt to someone else\'s transaction, as if it did not exist', async () => {
    const holder = await cardholder();
    const other = await cardholder();
    const theirs = await buy(other, '9.00', 'BAKERY', new Date());
    const sent = await uploadReceipt(holder.client, Buffer.from('%PDF-1.4\n% mine\n%%EOF\n'));
    const attempt = await holder.client.post(`/api/v1/receipts/${sent.body.id}/match`, { transactionId: theirs });
    expect({ status: attempt.status, code: attempt.body.code }).toEqual({ status: 404, code: 'not_found' });
    expect((await other.client.get(`/api/v1/receipts/${sent.body.id}`)).status).toBe(404);
    expect((await other.client.get(`/api/v1/receipts/${sent.body.id}/file`)).status).toBe(404);
    expect((await tenant.client.get(`/api/v1/receipts/${sent.body.id}/file`)).status).toBe(200);
  });
});

describe('duplicates', () => {
  it('flags the same file sent twice', async () => {
    const holder = await cardholder();
    const file = await picture('Same Shop', new Date(), '5.00');
    const first = await uploadReceipt(holder.client, file);
    const again = await uploadReceipt(holder.client, file);
    expect(first.body.duplicate).toBeNull();
    expect(again.body.duplicate).toEqual({ of: first.body.id, reason: 'same_file' });
  });
});

describe('lost receipts and what is missing', () => {
  it('lists purchases missing a receipt until one arrives or it is declared lost', async () => {
    const holder = await cardholder();
    const lunch = await buy(holder, '22.00', 'CANTEEN', new Date());
    const taxi = await buy(holder, '35.00', 'TAXI', new Date());
    const missing = async () => (await holder.client.get('/api/v1/receipts/missing')).body.items.map((t: { id: string }) => t.id).sort();
    expect(await missing()).toEqual([lunch, taxi].sort());

    const lost = await holder.client.post(`/api/v1/card-transactions/${taxi}/lost-receipt`, { note: 'The driver had no printer' });
    expect(lost.status, lost.text).toBe(201);
    expect(await missing()).toEqual([lunch]);
    expect((await holder.client.get(`/api/v1/card-transactions/${taxi}`)).body.receipt).toEqual({ state: 'lost', receiptId: null, lostNote: 'The driver had no printer', mismatches: [], mismatchNote: null });
    const twice = await holder.client.post(`/api/v1/card-transactions/${taxi}/lost-receipt`, { note: 'again' });
    expect(twice.status).toBe(409);

    const byPerson = await tenant.client.get('/api/v1/receipts/missing/by-person');
    expect(byPerson.body.items.find((row: { userId: string }) => row.userId === holder.id)).toMatchObject({ missing: 1 });
    expect((await holder.client.get('/api/v1/receipts/missing/by-person')).status).toBe(403);

    // A receipt found after all withdraws the declaration.
    const found = await uploadReceipt(holder.client, Buffer.from('%PDF-1.4\n% found it\n%%EOF\n'), { transactionId: taxi });
    expect(found.status).toBe(201);
    expect((await holder.client.get(`/api/v1/card-transactions/${taxi}`)).body.receipt.state).toBe('attached');
  });
});

describe('receipt rules', () => {
  it('refuses a freeze deadline before the reminder', async () => {
    const response = await tenant.client.patch('/api/v1/receipt-settings', { reminderAfterDays: 5, freezeAfterDays: 2 });
    expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status: 400, code: 'validation_failed', field: 'freezeAfterDays' });
  });
});

const mebibyte = 1024 * 1024;
/** Room for the rest of the server while a file is read: queries, the job queue, the blob kept. */
const serverGrowthMbMax = 128;

interface HostileReading {
  reading: { state: string; error: string | null };
  answeredWhileReading: number;
  serverGrowthMb: number;
}

/** Sends `pdf` and waits until it is read, asking /health over the network meanwhile. */
async function readHostile(holder: Cardholder, pdf: Buffer): Promise<HostileReading> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  let answeredWhileReading = 0;
  let reading: { state: string; error: string | null };
  try {
    const sent = await uploadReceipt(holder.client, pdf);
    expect(sent.status, sent.text).toBe(201);
    const deadline = Date.now() + readingWaitMs;
    for (;;) {
      reading = (await holder.client.get(`/api/v1/receipts/${sent.body.id}`)).body.reading;
      if (reading.state === 'read' || reading.state === 'failed' || Date.now() > deadline) break;
      if (reading.state !== 'reading') continue;
      // Over the network, like any other client, while the receipt is being read.
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      if ((await holder.client.get(`/api/v1/receipts/${sent.body.id}`)).body.reading.state === 'reading') answeredWhileReading += 1;
    }
  } finally {
    clearInterval(sample);
  }
  return { reading, answeredWhileReading, serverGrowthMb: (peak - before) / mebibyte };
}

/** A small PDF first starts the PDF reader's child, so what is measured after is the file's. */
async function holderWithReader(): Promise<Cardholder> {
  const holder = await cardholder();
  const small = await uploadReceipt(holder.client, await pdfBomb(1024));
  expect((await waitUntilRead(holder.client, small.body.id as string)).body.reading).toMatchObject({ state: 'read', source: 'pdf_text' });
  return holder;
}

describe('a PDF that inflates to hundreds of megabytes', () => {
  it(`is read off the main thread: the server answers meanwhile, grows by at most ${pdfReadMemoryMbMax} MB and marks it unreadable`, async () => {
    const holder = await holderWithReader();
    const { reading, answeredWhileReading, serverGrowthMb } = await readHostile(holder, await pdfBomb(600 * mebibyte, { hidden: true }));
    // Stopped by its memory bound, or on a busy machine by its time bound first.
    expect(reading).toMatchObject({ state: 'failed', error: expect.stringMatching(new RegExp(`more than ${pdfReadMemoryMbMax} MB of memory|not read within ${pdfTimeoutMs} ms`)) });
    expect(answeredWhileReading).toBeGreaterThan(0);
    expect(serverGrowthMb).toBeLessThan(pdfReadMemoryMbMax + serverGrowthMbMax);
  }, 2 * readingWaitMs);
});

describe('a PDF that needs more heap than its reader may have', () => {
  it(`ends unreadable in the reader's process, past its ${pdfReaderHeapMbMax} MB of heap, the server answering and its memory untouched`, async () => {
    const holder = await holderWithReader();
    const { reading, answeredWhileReading, serverGrowthMb } = await readHostile(holder, await pdfHeapBomb(40_000_000));
    // Ended by V8 at the child's heap limit, or by the memory or time bound first.
    expect(reading).toMatchObject({ state: 'failed', error: expect.stringMatching(new RegExp(`needed more than ${pdfReaderHeapMbMax} MB of heap|more than ${pdfReadMemoryMbMax} MB of memory|not read within ${pdfTimeoutMs} ms`)) });
    expect(answeredWhileReading).toBeGreaterThan(0);
    expect(serverGrowthMb).toBeLessThan(serverGrowthMbMax);
    // The next PDF is read by a new child.
    const next = await uploadReceipt(holder.client, await pdfBomb(1024));
    expect((await waitUntilRead(holder.client, next.body.id as string)).body.reading).toMatchObject({ state: 'read', source: 'pdf_text' });
  }, 2 * readingWaitMs);
});

describe('bad files', () => {
  // The test server keeps files in the database store: its table says what was kept.
  const receiptFiles = async () => {
    const row = await server.database.db.selectFrom('blobs').select((eb) => eb.fn.countAll<string>().as('count')).where('key', 'like', `receipts/${tenant.company.id}/%`).executeTakeFirstOrThrow();
    return Number(row.count);
  };

  it.each([
    ['a GIF', async () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).gif().toBuffer(), 415, 'receipt_unsupported_type'],
    ['a text file called receipt.jpg', async () => Buffer.from('this is not a photo'), 415, 'receipt_unsupported_type'],
    ['an image of absurd size', async () => sharp({ create: { width: 30_000, height: 2, channels: 3, background: '#fff' } }).png().toBuffer(), 422, 'receipt_image_too_large'],
    ['a 50 kB PNG of 20,000 x 20,000 pixels', async () => pngBomb(20_000, 20_000), 422, 'receipt_image_too_large'],
    ['a file over the size limit', async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(11 * 1024 * 1024)]), 413, 'payload_too_large'],
  ])('refuses %s and keeps nothing of it', async (_, make, status, code) => {
    const holder = await cardholder();
    const filesBefore = await receiptFiles();
    const response = await uploadReceipt(holder.client, await make());
    expect({ status: response.status, code: response.body.code, type: response.contentType }).toEqual({ status, code, type: 'application/problem+json; charset=utf-8' });
    expect((await holder.client.get('/api/v1/receipts')).body.items).toEqual([]);
    expect(await receiptFiles()).toBe(filesBefore);
  });

  it.each([
    ['text', 'text/plain; charset=utf-8', Buffer.from('Cafe Nord 18.40 EUR')],
    ['JSON', 'application/json', Buffer.from(JSON.stringify({ merchant: 'Cafe Nord', total: '18.40' }))],
    ['a form', 'application/x-www-form-urlencoded', Buffer.from('merchant=Cafe+Nord&total=18.40')],
    ['no declared type', undefined, Buffer.from('%PDF-1.4\n%%EOF\n')],
  ])('refuses an upload sent as %s with 415 and keeps nothing of it', async (_, contentType, bytes) => {
    const holder = await cardholder();
    const filesBefore = await receiptFiles();
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    const response = await holder.client.request('POST', '/api/v1/receipts', undefined, { rawBody: bytes, headers });
    expect({ status: response.status, code: response.body.code, type: response.contentType }).toEqual({ status: 415, code: 'unsupported_media_type', type: 'application/problem+json; charset=utf-8' });
    expect(response.body.detail).toContain('application/octet-stream');
    expect((await holder.client.get('/api/v1/receipts')).body.items).toEqual([]);
    expect(await receiptFiles()).toBe(filesBefore);
  });

  it('refuses an API key upload that does not say whose receipt it is', async () => {
    const key = await createApiKey(tenant.client, 'bookkeeping sync', ['receipts:write', 'receipts:read']);
    const response = await uploadReceipt(key.client, Buffer.from('%PDF-1.4\n%%EOF\n'));
    expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status: 400, code: 'validation_failed', field: 'userId' });
    const holder = await cardholder();
    const forHolder = await uploadReceipt(key.client, Buffer.from('%PDF-1.4\n% from the integration\n%%EOF\n'), { userId: holder.id });
    expect(forHolder.status).toBe(201);
    expect(forHolder.body).toMatchObject({ userId: holder.id, source: 'api' });
  });

  it('replays an upload sent twice with the same Idempotency-Key and refuses the key for other bytes', async () => {
    const holder = await cardholder();
    const file = Buffer.from('%PDF-1.4\n% idempotent\n%%EOF\n');
    const first = await uploadReceipt(holder.client, file, {}, { 'idempotency-key': 'upload-1' });
    const again = await uploadReceipt(holder.client, file, {}, { 'idempotency-key': 'upload-1' });
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await uploadReceipt(holder.client, Buffer.from('%PDF-1.4\n% other\n%%EOF\n'), {}, { 'idempotency-key': 'upload-1' });
    expect(other.body.code).toBe('idempotency_key_reused');
    expect((await holder.client.get('/api/v1/receipts')).body.items).toHaveLength(1);
  });
});
