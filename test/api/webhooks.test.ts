// Webhooks through the API: an admin adds an endpoint and the changes the company makes (a card
// issued and frozen, purchases declined and approved, a top-up) reach a real receiver, signed
// per Standard Webhooks and checked with the reference package; the delivery log, replay,
// rotation and switching off and on are the admin's; bad input is refused with its code and
// writes nothing; a production server refuses plain http and internal addresses.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { renderReceiptPicture } from '../../src/demo/receipt-pictures.js';
import { finishedExport } from '../../src/test-support/eventually.js';
import { readingWaitMs, uploadReceipt, waitUntilRead } from '../../src/test-support/receipts.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from '../../src/test-support/webhook-receiver.js';

let server: RunningServer;
let receiver: WebhookReceiver;
let tenant: Tenant;
let employee: { id: string; client: SessionClient };

function expectProblem(response: ApiResponse, status: number, code: string, field?: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status, code, field });
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startTestServer({ webhookPollIntervalMs: 0 });
  tenant = await createTenant(server, { name: 'Fjord Kaffe ApS', currency: 'EUR', adminEmail: 'ada@fjord.test' });
  employee = await addPerson(tenant.client, { email: 'mette@fjord.test', name: 'Mette', roles: ['employee'] });
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

const merchant = { name: 'Kiosk', mcc: '5499', country: 'DK' };

describe('webhooks through the API', () => {
  let endpointId: string;
  let secret: string;

  it('delivers a card issued and frozen, a purchase declined and one approved, and a top-up, each signed', async () => {
    const types = (await tenant.client.get('/api/v1/webhooks/event-types')).body.items as { type: string }[];
    expect(types.map((item) => item.type)).toContain('card_authorization.approved');
    const created = await tenant.client.post('/api/v1/webhooks/endpoints', {
      url: `${receiver.url}/outlay`,
      description: 'Finance system',
      eventTypes: ['card.created', 'card.frozen', 'card_authorization.approved', 'card_authorization.declined', 'top_up.received'],
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    endpointId = created.body.endpoint.id as string;
    secret = created.body.secret as string;
    expect(created.body.endpoint).toMatchObject({ url: `${receiver.url}/outlay`, status: 'enabled', disabledReason: null });

    const card = await tenant.client.post('/api/v1/cards', { userId: employee.id, kind: 'virtual' });
    expect(card.status, card.text).toBe(201);
    const cardId = card.body.id as string;
    const declined = await tenant.client.post('/api/v1/simulator/purchases', { cardId, amount: '12.00', currency: 'EUR', merchant, channel: 'online' });
    expect(declined.body.approved).toBe(false);
    await fundWallet(server, tenant.company.id, { amount: '500.00', currency: 'EUR', bankReference: 'WEBHOOK-TOPUP-1' });
    const approved = await tenant.client.post('/api/v1/simulator/purchases', { cardId, amount: '12.00', currency: 'EUR', merchant, channel: 'online' });
    expect(approved.body.approved, approved.text).toBe(true);
    expect((await tenant.client.post(`/api/v1/cards/${cardId}/freeze`, { reason: 'Lost' })).status).toBe(200);

    await server.webhooks.deliverDue();
    const payloads = receiver.received.map((webhook) => verifyWebhook(secret, webhook, new Date()) as { type: string; data: Record<string, unknown> });
    expect(payloads.map((payload) => payload.type)).toEqual(['card.created', 'card_authorization.declined', 'top_up.received', 'card_authorization.approved', 'card.frozen']);
    expect(payloads[1]!.data).toMatchObject({ cardId, state: 'declined', declineReason: 'insufficient_funds', walletAmount: { amount: '12.00', currency: 'EUR' } });
    expect(payloads[2]!.data).toMatchObject({ amount: { amount: '500.00', currency: 'EUR' }, bankReference: 'WEBHOOK-TOPUP-1' });
    expect(payloads[3]!.data).toMatchObject({ id: approved.body.transactionId, state: 'pending' });
    expect(payloads[4]!.data).toMatchObject({ id: cardId, status: 'frozen', reason: 'Lost' });
  });

  it('shows the delivery log, and replays a delivery with the same webhook-id', async () => {
    const log = await tenant.client.get(`/api/v1/webhooks/endpoints/${endpointId}/deliveries?limit=2`);
    expect(log.status, log.text).toBe(200);
    expect(log.body.items).toHaveLength(2);
    expect(log.body.nextCursor).not.toBeNull();
    const latest = log.body.items[0];
    expect(latest).toMatchObject({ eventType: 'card.frozen', status: 'delivered', attempts: 1, lastStatusCode: 200 });
    expect(latest.attemptLog[0]).toMatchObject({ statusCode: 200, responseBody: 'ok', error: null });
    const rest = await tenant.client.get(`/api/v1/webhooks/endpoints/${endpointId}/deliveries?cursor=${log.body.nextCursor as string}`);
    expect(rest.body.items.map((item: { eventType: string }) => item.eventType)).toEqual(['top_up.received', 'card_authorization.declined', 'card.created']);

    receiver.reset();
    const replayed = await tenant.client.post(`/api/v1/webhooks/deliveries/${latest.id as string}/replay`);
    expect(replayed.status, replayed.text).toBe(200);
    expect(replayed.body).toMatchObject({ status: 'queued', attempts: 0 });
    await server.webhooks.deliverDue();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers['webhook-id']).toBe(latest.eventId);
    verifyWebhook(secret, receiver.received[0]!, new Date());
    const after = await tenant.client.get(`/api/v1/webhooks/endpoints/${endpointId}/deliveries?limit=1`);
    expect(after.body.items[0].attemptLog).toHaveLength(2);
  });

  it('rotates the secret: both sign during the overlap, and the secret endpoint shows both', async () => {
    const rotated = await tenant.client.post(`/api/v1/webhooks/endpoints/${endpointId}/rotate-secret`);
    expect(rotated.status, rotated.text).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).not.toBe(secret);
    expect(rotated.body.endpoint.previousSecretUntil).not.toBeNull();
    const shown = await tenant.client.post(`/api/v1/webhooks/endpoints/${endpointId}/reveal-secret`);
    expect(shown.body).toMatchObject({ secret: newSecret, previousSecret: secret });
    const audit = await tenant.client.get(`/api/v1/audit-events?subjectId=${endpointId}`);
    expect(audit.body.items.map((item: { action: string }) => item.action)).toEqual(expect.arrayContaining(['webhook_endpoint.created', 'webhook_endpoint.secret_rotated', 'webhook_endpoint.secret_revealed']));

    receiver.reset();
    await fundWallet(server, tenant.company.id, { amount: '10.00', currency: 'EUR', bankReference: 'WEBHOOK-TOPUP-2' });
    await server.webhooks.deliverDue();
    expect(receiver.received).toHaveLength(1);
    verifyWebhook(secret, receiver.received[0]!, new Date());
    verifyWebhook(newSecret, receiver.received[0]!, new Date());
    secret = newSecret;
  });

  it('writes no event for a disabled endpoint, and resumes once enabled', async () => {
    const disabled = await tenant.client.post(`/api/v1/webhooks/endpoints/${endpointId}/disable`);
    expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: 'by_hand' });
    receiver.reset();
    await fundWallet(server, tenant.company.id, { amount: '10.00', currency: 'EUR', bankReference: 'WEBHOOK-TOPUP-3' });
    await server.webhooks.deliverDue();
    expect(receiver.received).toHaveLength(0);
    expect((await tenant.client.post(`/api/v1/webhooks/endpoints/${endpointId}/enable`)).body).toMatchObject({ status: 'enabled', disabledReason: null });
    await fundWallet(server, tenant.company.id, { amount: '10.00', currency: 'EUR', bankReference: 'WEBHOOK-TOPUP-4' });
    await server.webhooks.deliverDue();
    expect(receiver.received.map((webhook) => (verifyWebhook(secret, webhook, new Date()) as { data: { bankReference: string } }).data.bankReference)).toEqual(['WEBHOOK-TOPUP-4']);
  });

  it('changes an endpoint\'s events and URL', async () => {
    const changed = await tenant.client.patch(`/api/v1/webhooks/endpoints/${endpointId}`, { eventTypes: ['top_up.received'], description: 'Books' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ eventTypes: ['top_up.received'], description: 'Books' });
    const listed = await tenant.client.get('/api/v1/webhooks/endpoints');
    expect(listed.body.items).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
  });

  it('refuses bad input with its code, and writes nothing', async () => {
    const before = (await tenant.client.get('/api/v1/webhooks/endpoints')).body.items.length as number;
    expectProblem(await tenant.client.post('/api/v1/webhooks/endpoints', { url: 'not a url', eventTypes: ['card.created'] }), 400, 'validation_failed', 'url');
    expectProblem(await tenant.client.post('/api/v1/webhooks/endpoints', { url: 'ftp://example.com/', eventTypes: ['card.created'] }), 400, 'validation_failed', 'url');
    expectProblem(await tenant.client.post('/api/v1/webhooks/endpoints', { url: `${receiver.url}/x`, eventTypes: ['card.exploded'] }), 400, 'validation_failed', 'eventTypes');
    expectProblem(await tenant.client.post('/api/v1/webhooks/endpoints', { url: `${receiver.url}/x`, eventTypes: [] }), 400, 'validation_failed', 'eventTypes');
    expectProblem(await tenant.client.post('/api/v1/webhooks/endpoints', { url: `${receiver.url}/x`, eventTypes: ['card.created'], secret: 'mine' }), 400, 'validation_failed', 'secret');
    expectProblem(await tenant.client.patch(`/api/v1/webhooks/endpoints/${endpointId}`, {}), 400, 'validation_failed');
    expectProblem(await tenant.client.patch(`/api/v1/webhooks/endpoints/${endpointId}`, { url: 'https://user:pw@example.com/' }), 400, 'validation_failed', 'url');
    expectProblem(await tenant.client.get('/api/v1/webhooks/endpoints/whk_00000000000000000000000000'), 404, 'not_found');
    expectProblem(await tenant.client.post('/api/v1/webhooks/deliveries/whd_00000000000000000000000000/replay'), 404, 'not_found');
    expectProblem(await tenant.client.get(`/api/v1/webhooks/endpoints/${endpointId}/deliveries?cursor=bogus`), 400, 'validation_failed', 'cursor');
    expect((await tenant.client.get('/api/v1/webhooks/endpoints')).body.items).toHaveLength(before);
    expect((await tenant.client.get(`/api/v1/webhooks/endpoints/${endpointId}`)).body).toMatchObject({ eventTypes: ['top_up.received'], description: 'Books' });
  });

  it('is for admins: an employee is refused', async () => {
    expectProblem(await employee.client.get('/api/v1/webhooks/endpoints'), 403, 'forbidden');
    expectProblem(await employee.client.post('/api/v1/webhooks/endpoints', { url: `${receiver.url}/x`, eventTypes: ['card.created'] }), 403, 'forbidden');
    expectProblem(await employee.client.post(`/api/v1/webhooks/endpoints/${endpointId}/rotate-secret`), 403, 'forbidden');
  });
});

describe('webhooks in production', () => {
  let production: RunningServer;
  let admin: Tenant;

  beforeAll(async () => {
    production = await startTestServer({ config: { production: true }, webhookPollIntervalMs: 0 });
    admin = await createTenant(production, { name: 'Prod Co', adminEmail: 'admin@prod.test' });
  });

  afterAll(async () => {
    await production?.close();
  });

  it('refuses plain http and private or loopback addresses', async () => {
    expectProblem(await admin.client.post('/api/v1/webhooks/endpoints', { url: 'http://hooks.example.com/in', eventTypes: ['card.created'] }), 422, 'webhook_url_not_allowed', 'url');
    expectProblem(await admin.client.post('/api/v1/webhooks/endpoints', { url: `https://127.0.0.1:8443/in`, eventTypes: ['card.created'] }), 422, 'webhook_url_not_allowed', 'url');
    expectProblem(await admin.client.post('/api/v1/webhooks/endpoints', { url: 'https://169.254.169.254/latest', eventTypes: ['card.created'] }), 422, 'webhook_url_not_allowed', 'url');
    expect((await admin.client.get('/api/v1/webhooks/endpoints')).body.items).toHaveLength(0);
    const accepted = await admin.client.post('/api/v1/webhooks/endpoints', { url: 'https://hooks.example.com/in', eventTypes: ['card.created'] });
    expect(accepted.status, accepted.text).toBe(201);
  });
});

describe('events from purchases and expenses', () => {
  const processorSecret = randomBytes(32);
  let events: RunningServer;
  let network: NetworkClient;
  let company: Tenant;
  let emma: { id: string; client: SessionClient };
  let secret: string;
  let eventsEndpointId: string;

  beforeAll(async () => {
    events = await startTestServer({ config: { processorSecret }, webhookPollIntervalMs: 0 });
    network = new NetworkClient({ baseUrl: events.url, secret: processorSecret });
    company = await createTenant(events, { name: 'Event Sports', adminEmail: 'admin@events.test' });
    emma = await addPerson(company.client, { email: 'emma@events.test', name: 'Emma', roles: ['employee'] });
    await fundWallet(events, company.company.id, { amount: '1000.00', currency: 'EUR', bankReference: 'EVENTS-1' });
    const created = await company.client.post('/api/v1/webhooks/endpoints', {
      url: `${receiver.url}/events`,
      eventTypes: ['card_transaction.cleared', 'card_transaction.reversed', 'card_transaction.refunded', 'expense.submitted', 'expense.approved', 'expense.rejected', 'card.cancelled'],
    });
    secret = created.body.secret as string;
    eventsEndpointId = created.body.endpoint.id as string;
  });

  afterAll(async () => {
    await events?.close();
  });

  async function delivered(): Promise<{ type: string; data: Record<string, unknown> }[]> {
    receiver.reset();
    await events.webhooks.deliverDue();
    return receiver.received.filter((webhook) => webhook.path === '/events').map((webhook) => verifyWebhook(secret, webhook, new Date()) as { type: string; data: Record<string, unknown> });
  }

  it('tells of a clearing, a partial reversal and a refund, and not again of a repeated message', async () => {
    const cardId = (await company.client.post('/api/v1/cards', { userId: emma.id, kind: 'virtual' })).body.id as string;
    const shop = { id: 'm-1', name: 'Sportshop', mcc: '5941', country: 'DK' };
    const first = networkId('auth');
    expect((await network.authorize({ id: first, cardId, amount: '80.00', currency: 'EUR', merchant: shop, channel: 'in_person' })).body.approved).toBe(true);
    const clearing = { id: networkId('clr'), type: 'clearing', cardId, transactionId: first, amount: '80.00', currency: 'EUR' };
    expect((await network.event(clearing)).status).toBe(200);
    expect((await network.event(clearing)).status).toBe(200);
    const second = networkId('auth');
    expect((await network.authorize({ id: second, cardId, amount: '50.00', currency: 'EUR', merchant: shop, channel: 'in_person' })).body.approved).toBe(true);
    expect((await network.event({ id: networkId('rev'), type: 'reversal', cardId, transactionId: second, amount: '20.00', currency: 'EUR' })).status).toBe(200);
    // A whole reversal goes through the batch of lifecycle messages (network-event-batch.ts).
    const third = networkId('auth');
    expect((await network.authorize({ id: third, cardId, amount: '15.00', currency: 'EUR', merchant: shop, channel: 'in_person' })).body.approved).toBe(true);
    expect((await network.event({ id: networkId('rev'), type: 'reversal', cardId, transactionId: third })).body.state).toBe('reversed');
    expect((await network.event({ id: networkId('ref'), type: 'refund', cardId, amount: '30.00', currency: 'EUR', merchant: shop, transactionId: first })).status).toBe(200);
    expect((await company.client.post(`/api/v1/cards/${cardId}/cancel`, { reason: 'lost' })).status).toBe(200);

    const payloads = await delivered();
    expect(payloads.map((payload) => payload.type)).toEqual(['card_transaction.cleared', 'card_transaction.reversed', 'card_transaction.reversed', 'card_transaction.refunded', 'card.cancelled']);
    expect(payloads[0]!.data).toMatchObject({ cardId, state: 'settled', walletAmount: { amount: '80.00', currency: 'EUR' } });
    expect(payloads[2]!.data).toMatchObject({ state: 'reversed', walletAmount: { amount: '15.00', currency: 'EUR' } });
    expect(payloads[3]!.data).toMatchObject({ kind: 'refund', walletAmount: { amount: '30.00', currency: 'EUR' } });
    expect(payloads[4]!.data).toMatchObject({ id: cardId, status: 'cancelled', cancelReason: 'lost' });
  });

  it('tells of an expense submitted, approved and rejected', async () => {
    const categoryId = (await company.client.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id as string;
    const spentOn = new Date().toISOString().slice(0, 10);
    const ids: string[] = [];
    for (const merchantName of ['Taxi', 'Train']) {
      const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn, merchant: merchantName, amount: '42.00', categoryId });
      expect(filed.status, filed.text).toBe(201);
      ids.push(filed.body.id as string);
      expect((await emma.client.post(`/api/v1/expenses/${filed.body.id as string}/submit`)).status).toBe(200);
    }
    expect((await company.client.post(`/api/v1/expenses/${ids[0]!}/approve`, {})).status).toBe(200);
    expect((await company.client.post(`/api/v1/expenses/${ids[1]!}/reject`, { comment: 'Not ours' })).status).toBe(200);
    const payloads = await delivered();
    expect(payloads.map((payload) => [payload.type, payload.data.id])).toEqual([
      ['expense.submitted', ids[0]],
      ['expense.submitted', ids[1]],
      ['expense.approved', ids[0]],
      ['expense.rejected', ids[1]],
    ]);
    expect(payloads[2]!.data).toMatchObject({ userId: emma.id, state: 'approved', amount: { amount: '42.00', currency: 'EUR' } });
    expect(payloads[3]!.data).toMatchObject({ state: 'rejected', comment: 'Not ours' });
  });

  it('tells of a payout paid and an export completed, once the endpoint subscribes to them', async () => {
    const changed = await company.client.patch(`/api/v1/webhooks/endpoints/${eventsEndpointId}`, { eventTypes: ['payout.paid', 'export.completed'] });
    expect(changed.status, changed.text).toBe(200);
    expect((await company.client.patch('/api/v1/expense-settings', { debtor: { name: 'Event Sports ApS', iban: 'DK50 0040 0440 1162 43', bic: 'NDEADKKK' } })).status).toBe(200);
    expect((await emma.client.request('PUT', '/api/v1/payee-account', { holderName: 'Emma', iban: 'DE89 3704 0044 0532 0130 00' })).status).toBe(200);
    const batch = await company.client.post('/api/v1/payout-batches', {});
    expect(batch.status, batch.text).toBe(201);
    expect((await company.client.post(`/api/v1/payout-batches/${batch.body.batch.id as string}/paid`)).status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const exportBatch = await company.client.post('/api/v1/export-batches', { format: 'csv', from: today, to: today });
    expect(exportBatch.status, exportBatch.text).toBe(201);
    expect((await finishedExport(company.client, exportBatch.body.id as string)).state).toBe('exported');

    const payloads = await delivered();
    expect(payloads.map((payload) => payload.type)).toEqual(['payout.paid', 'export.completed']);
    expect(payloads[0]!.data).toMatchObject({ id: batch.body.batch.id, total: { amount: '42.00', currency: 'EUR' }, itemCount: 1 });
    expect(payloads[1]!.data).toMatchObject({ id: exportBatch.body.id, format: 'csv', expenseCount: 1 });
  });

  it('tells of a receipt read, and matched to its purchase by itself', async () => {
    expect((await company.client.patch(`/api/v1/webhooks/endpoints/${eventsEndpointId}`, { eventTypes: ['receipt.read', 'receipt.matched'] })).status).toBe(200);
    const cardId = (await company.client.post('/api/v1/cards', { userId: emma.id, kind: 'virtual' })).body.id as string;
    const when = new Date(Date.now() - 3_600_000);
    const day = when.toISOString().slice(0, 10);
    const bought = await network.authorize({ id: networkId('auth'), cardId, amount: '18.40', currency: 'EUR', merchant: { name: 'CAFE NORD', mcc: '5814', country: 'DK' }, channel: 'in_person', occurredAt: when.toISOString() });
    expect(bought.body.approved).toBe(true);
    const photo = await renderReceiptPicture({ merchant: 'Cafe Nord', date: day, items: [{ name: 'Lunch menu', amount: '18.40' }], total: '18.40', currency: 'EUR', vat: { rate: '25', amount: '2.00' } });
    const sent = await uploadReceipt(emma.client, photo, { fileName: 'IMG_0042.jpg' });
    expect(sent.status, sent.text).toBe(201);
    expect((await waitUntilRead(emma.client, sent.body.id as string)).body.match).toMatchObject({ state: 'matched', by: 'auto' });

    const payloads = await delivered();
    // Both come of one transaction, at one instant: webhooks promise no order between them.
    expect(payloads.map((payload) => payload.type).sort()).toEqual(['receipt.matched', 'receipt.read']);
    const ofType = (type: string) => payloads.find((payload) => payload.type === type)!.data;
    expect(ofType('receipt.read')).toMatchObject({ id: sent.body.id, userId: emma.id, totalAmount: '18.40', purchaseDate: day });
    expect(ofType('receipt.matched')).toMatchObject({ id: sent.body.id, transactionId: bought.body.transactionId, matchedBy: 'auto' });
  }, readingWaitMs);
});
