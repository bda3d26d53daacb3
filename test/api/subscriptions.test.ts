// Subscriptions found in card history, over real HTTP: a merchant charging a person every month
// shows with its next charge and yearly cost (JSON and CSV) to those who see all transactions,
// to nobody else and to no other company; it gets a vendor card of its own in one step, once;
// and the cardholder is told, once each, when a charge came in higher and when one did not come.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import type { RunningServer } from '../../src/server/server.js';
import { alertSubscriptions } from '../../src/subscriptions/subscriptions.service.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
const dayMs = 86_400_000;
const daysFromNow = (days: number) => new Date(Date.now() + days * dayMs);

let server: RunningServer;
let network: NetworkClient;
let tenant: Tenant;
let other: Tenant;
let emma: { id: string; client: SessionClient };
let card: string;

/** A purchase authorized and cleared on a day in the past. */
async function charge(cardId: string, amount: string, at: Date, merchant = { id: null, name: 'CloudHost Inc 4471', mcc: '5734', country: 'IE' }) {
  const auth = networkId('auth');
  const approved = await network.authorize({ id: auth, cardId, amount, currency: 'EUR', merchant, channel: 'online', occurredAt: at.toISOString() });
  expect(approved.body.approved, JSON.stringify(approved.body)).toBe(true);
  const cleared = await network.event({ id: networkId('clr'), type: 'clearing', cardId, transactionId: auth, amount, currency: 'EUR', occurredAt: at.toISOString() });
  expect(cleared.body.state).toBe('settled');
  return approved.body.transactionId as string;
}

async function notificationsOf(client: SessionClient) {
  const response = await client.get('/api/v1/notifications?limit=100');
  expect(response.status, response.text).toBe(200);
  return response.body.items as { kind: string; title: string; link: { type: string; id: string } | null }[];
}

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Subscribing Co', adminEmail: 'admin@subscriptions.test' });
  other = await createTenant(server, { name: 'Other Subscriber', adminEmail: 'admin@other-subscriptions.test' });
  await fundWallet(server, tenant.company.id, { amount: '5000.00', currency: 'EUR', bankReference: 'SUB-1', receivedOn: new Date().toISOString().slice(0, 10) });
  emma = await addPerson(tenant.client, { email: 'emma@subscriptions.test', name: 'Emma Saas', roles: ['employee'] });
  card = (await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: emma.id, kind: 'virtual' }, system, new Date())).id;
  // Monthly, the amount drifting and the last one up a fifth; and unrelated purchases beside it.
  for (const [days, amount] of [[-95, '29.00'], [-64, '29.00'], [-33, '29.00'], [-2, '35.00']] as const) await charge(card, amount, daysFromNow(days));
  await charge(card, '412.00', daysFromNow(-50));
  await charge(card, '4.50', daysFromNow(-40), { id: null, name: 'Cafe Nord', mcc: '5814', country: 'DK' });
  await charge(card, '4.50', daysFromNow(-10), { id: null, name: 'Cafe Nord', mcc: '5814', country: 'DK' });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('subscriptions', () => {
  it('are found in card history and listed with their next charge and yearly cost', async () => {
    const response = await tenant.client.get('/api/v1/subscriptions');
    expect(response.status, response.text).toBe(200);
    expect(response.body.items).toHaveLength(1);
    expect(response.body.items[0]).toMatchObject({
      merchantName: 'CloudHost Inc 4471',
      userId: emma.id,
      personName: 'Emma Saas',
      cardId: card,
      ownCardId: null,
      cadence: 'monthly',
      charges: 4,
      lastAmount: { amount: '35.00', currency: 'EUR' },
      usualAmount: { amount: '29.00', currency: 'EUR' },
      yearlyCost: { amount: '420.00', currency: 'EUR' },
      state: 'active',
      increased: true,
    });
    expect(response.body.yearlyTotal).toEqual([{ currency: 'EUR', amount: '420.00' }]);

    const csv = await tenant.client.get('/api/v1/subscriptions?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('merchant,person,cadence,state,charges,last_charged_on,last_amount,usual_amount,next_expected_on,yearly_cost,currency,increased,own_card_id');
    expect(lines[1]).toMatch(/^CloudHost Inc 4471,Emma Saas,monthly,active,4,\d{4}-\d\d-\d\d,35\.00,29\.00,\d{4}-\d\d-\d\d,420\.00,EUR,true,$/);
  });

  it('are shown only to those who see all transactions, and only their own company\'s', async () => {
    const refused = await emma.client.get('/api/v1/subscriptions');
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const theirs = await other.client.get('/api/v1/subscriptions');
    expect(theirs.body).toEqual({ items: [], yearlyTotal: [] });
    const key = (await tenant.client.get('/api/v1/subscriptions')).body.items[0].key as string;
    const elsewhere = await other.client.post(`/api/v1/subscriptions/${key}/card`, {});
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.code).toBe('not_found');
    const malformed = await tenant.client.post('/api/v1/subscriptions/not-a-key/card', {});
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
  });

  it('get a vendor card of their own in one step, once, even when asked for it at the same time', async () => {
    const key = (await tenant.client.get('/api/v1/subscriptions')).body.items[0].key as string;
    const cardsBefore = (await tenant.client.get('/api/v1/cards?limit=100')).body.items.length as number;
    const answers = await Promise.all(Array.from({ length: 4 }, () => tenant.client.post(`/api/v1/subscriptions/${key}/card`, {})));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409]);
    expect((await tenant.client.get('/api/v1/cards?limit=100')).body.items.length).toBe(cardsBefore + 1);
    const issued = answers.find((answer) => answer.status === 201)!;
    expect(issued.body).toMatchObject({ kind: 'vendor', userId: emma.id, status: 'active', purpose: 'Subscription: CloudHost Inc 4471' });
    expect(issued.body.vendor).toMatchObject({ merchantName: 'CloudHost Inc 4471', mcc: '5734' });
    // The last charge and a quarter, rounded up to a whole euro.
    expect(issued.body.controls.limits.monthly).toBe('44.00');
    const listed = (await tenant.client.get('/api/v1/subscriptions')).body.items[0];
    expect(listed.ownCardId).toBe(issued.body.id);
    const again = await tenant.client.post(`/api/v1/subscriptions/${key}/card`, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
  });

  it('tell the cardholder once when a charge came in higher, and once when one did not come', async () => {
    const db = server.database.db;
    expect(await alertSubscriptions(db, new Date())).toBe(1);
    expect(await alertSubscriptions(db, new Date())).toBe(0);
    // Past the next due day and its grace: late.
    expect(await alertSubscriptions(db, daysFromNow(40))).toBe(1);
    expect(await alertSubscriptions(db, daysFromNow(41))).toBe(0);
    const kinds = (await notificationsOf(emma.client)).filter((n) => n.kind.startsWith('subscription_'));
    expect(kinds.map((n) => n.kind).sort()).toEqual(['subscription_increased', 'subscription_late']);
    expect(kinds.find((n) => n.kind === 'subscription_increased')!.title).toBe('CloudHost Inc 4471 charged 35.00 EUR, usually 29.00 EUR');
    expect(kinds.every((n) => n.link?.type === 'card_transaction')).toBe(true);
    expect(await notificationsOf(other.client)).toEqual([]);
  });
});
