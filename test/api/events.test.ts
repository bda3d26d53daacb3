// Live events over real HTTP: a person's open stream hears a purchase on their card and the
// notification asking for its receipt (an admin hears every purchase of the company), never another company's and never a colleague's;
// streams are bounded per person, close at sign-out, and do not keep the server from closing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { sweepReceipts } from '../../src/receipts/receipt-sweep.js';
import { liveStreamsPerPersonMax } from '../../src/sessions/live-events.routes.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createApiKey, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { eventually } from '../../src/test-support/eventually.js';
import { openEventStream, type EventStream } from '../../src/test-support/live-events.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };

let server: RunningServer | null;
let network: NetworkClient;
let alder: Tenant;
let birch: Tenant;
let emma: { id: string; client: SessionClient };
let frank: { id: string; client: SessionClient };
let emmaCardId: string;
let birchCardId: string;

const cookieOf = (client: SessionClient) => client.credentials.cookie;

async function stream(client: SessionClient): Promise<EventStream> {
  const opened = await openEventStream(server!.url, cookieOf(client));
  expect(opened.status).toBe(200);
  expect(await opened.next()).toEqual({ type: 'ready' });
  return opened;
}

async function buy(cardId: string, amount: string): Promise<{ approved: boolean; transactionId: string }> {
  const response = await network.authorize({ id: networkId('auth'), cardId, amount, currency: 'EUR', merchant: { name: 'Kiosk', mcc: '5814', country: 'DK' }, channel: 'in_person', occurredAt: new Date().toISOString() });
  return { approved: response.body.approved as boolean, transactionId: response.body.transactionId as string };
}

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  alder = await createTenant(server, { name: 'Alder Live', adminEmail: 'admin@alder-live.test' });
  birch = await createTenant(server, { name: 'Birch Live', adminEmail: 'admin@birch-live.test' });
  for (const tenant of [alder, birch]) {
    await fundWallet(server, tenant.company.id, { amount: '100.00', currency: 'EUR', bankReference: `${tenant.company.name}-1`, receivedOn: '2026-01-02' });
  }
  emma = await addPerson(alder.client, { email: 'emma@alder-live.test', name: 'Emma Live', roles: ['employee'] });
  frank = await addPerson(alder.client, { email: 'frank@alder-live.test', name: 'Frank Live', roles: ['employee'] });
  const bea = await addPerson(birch.client, { email: 'bea@birch-live.test', name: 'Bea Birch', roles: ['employee'] });
  emmaCardId = (await issueCard(server.database.db, encryptionKey, alder.company.id, { userId: emma.id, kind: 'virtual' }, system, new Date())).id;
  birchCardId = (await issueCard(server.database.db, encryptionKey, birch.company.id, { userId: bea.id, kind: 'virtual' }, system, new Date())).id;
});
afterAll(async () => {
  await server?.close();
});

describe('GET /api/v1/events', () => {
  it('tells the cardholder and the admin of a purchase and a decline, and nobody of another company\'s', async () => {
    const [emmas, admins, franks, birchAdmins] = await Promise.all([stream(emma.client), stream(alder.client), stream(frank.client), stream(birch.client)]);
    expect(emmas.contentType).toMatch(/^text\/event-stream/);
    const theirs = await buy(birchCardId, '5.00');
    const ours = await buy(emmaCardId, '12.00');
    const declined = await buy(emmaCardId, '900.00');
    expect([theirs.approved, ours.approved, declined.approved]).toEqual([true, true, false]);
    const authorized = { type: 'card_transaction.authorized', subject: { type: 'card_transaction', id: ours.transactionId } };
    const refused = { type: 'card_transaction.declined', subject: { type: 'card_transaction', id: declined.transactionId } };
    expect([await admins.next(), await admins.next()]).toEqual([authorized, refused]);
    // Emma is asked for the receipt at once (beside the decision, so the notice may come after
    // the next purchase's), and her page hears of the notification too.
    const heard = [await emmas.next(), await emmas.next(), await emmas.next()];
    expect(heard[0]).toEqual(authorized);
    const prompt = heard.find((event) => event.type === 'notification.created')!;
    expect(heard.slice(1)).toEqual(expect.arrayContaining([refused, prompt]));
    const notifications = (await emma.client.get('/api/v1/notifications')).body.items;
    expect(notifications).toEqual([expect.objectContaining({ id: prompt.subject!.id, kind: 'receipt_wanted', subject: { type: 'card_transaction', id: ours.transactionId }, link: { type: 'card_transaction', id: ours.transactionId }, title: 'Add a receipt for Kiosk, 12.00 EUR' })]);
    expect(await birchAdmins.next()).toEqual({ type: 'card_transaction.authorized', subject: { type: 'card_transaction', id: theirs.transactionId } });
    // Frank signs out: his stream ends, having heard nothing of Emma's card.
    expect((await frank.client.delete('/api/v1/session')).status).toBeLessThan(300);
    await franks.ended;
    await expect(franks.next()).rejects.toThrow('ended');
    for (const open of [emmas, admins, birchAdmins]) open.close();
  });

  it('dates the receipt prompt and the later reminder by the company\'s calendar, not UTC\'s', async () => {
    expect((await alder.client.patch('/api/v1/company', { timeZone: 'Europe/Copenhagen' })).status).toBe(200);
    // 22:30 UTC on 31 March 2026 is 00:30 on 1 April in Copenhagen.
    const late = await network.authorize({ id: networkId('auth'), cardId: emmaCardId, amount: '7.00', currency: 'EUR', merchant: { name: 'Night Bus', mcc: '4121', country: 'DK' }, channel: 'in_person', occurredAt: '2026-03-31T22:30:00.000Z' });
    expect(late.body.approved).toBe(true);
    type Notice = { kind: string; body: string; subject: { id: string } };
    const noticesOf = async () => ((await emma.client.get('/api/v1/notifications')).body.items as Notice[]).filter((n) => n.subject.id === late.body.transactionId);
    await eventually('the receipt prompt', async () => ((await noticesOf()).length > 0 ? true : undefined));
    await sweepReceipts(server!.database.db, new Date('2026-06-01T12:00:00.000Z'));
    const about = await noticesOf();
    expect(about.map((n) => n.kind).sort()).toEqual(['receipt_missing', 'receipt_wanted']);
    for (const notification of about) expect(notification.body).toContain('on 2026-04-01');
  });

  it('allows a bounded number of streams per person', async () => {
    const open = await Promise.all(Array.from({ length: liveStreamsPerPersonMax }, () => stream(emma.client)));
    const refused = await openEventStream(server!.url, cookieOf(emma.client));
    expect(refused.status).toBe(429);
    refused.close();
    open[0]!.close();
    await open[0]!.ended;
    // The closed one's place is free again once the server has seen it go.
    let again: EventStream | null = null;
    while (!again) {
      const attempt = await openEventStream(server!.url, cookieOf(emma.client));
      if (attempt.status === 200) again = attempt;
      else attempt.close();
    }
    for (const each of [...open.slice(1), again]) each.close();
  });

  it('is for people signed in: an API key is refused, no session is 401', async () => {
    const key = await createApiKey(alder.client, 'live', ['transactions:read']);
    expect((await key.client.get('/api/v1/events')).status).toBe(403);
    const anonymous = await openEventStream(server!.url, null);
    expect(anonymous.status).toBe(401);
    anonymous.close();
  });

  it('lets the server close while streams are open, ending them', async () => {
    const open = await stream(alder.client);
    const running = server!;
    server = null;
    await running.close();
    await open.ended;
    await expect(open.next()).rejects.toThrow('ended');
  });
});
