// Receipt deadlines on the server's clock: a purchase whose receipt stays missing gets its
// reminder once the company's reminder delay has passed, its card is frozen once the freeze
// deadline has, and the card works again the moment the receipt comes in. The test moves a
// ManualClock the server reads instead of waiting days or backdating purchases.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { sweepReceipts } from '../../src/receipts/receipt-sweep.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { uploadReceipt } from '../../src/test-support/receipts.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

const clock = new ManualClock();
let server: RunningServer;
let network: NetworkClient;
let tenant: Tenant;

interface Notification {
  kind: string;
  subject: { type: string; id: string };
}

beforeAll(async () => {
  // Sessions outlive the days the clock is moved forward.
  server = await startTestServer({ clock, config: { processorSecret, encryptionKey, sessionTtlHours: 30 * 24 } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Deadline Co', adminEmail: 'admin@deadlines.test' });
  await fundWallet(server, tenant.company.id, { amount: '1000.00', currency: 'EUR', bankReference: 'D-1', receivedOn: clock.now().toISOString().slice(0, 10) });
});
afterAll(async () => {
  await server?.close();
});

async function cardholder(): Promise<{ client: SessionClient; cardId: string }> {
  const person = await addPerson(tenant.client, { email: 'holder@deadlines.test', name: 'Holder', roles: ['employee'] });
  const card = await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: person.id, kind: 'virtual' }, system, clock.now());
  return { client: person.client, cardId: card.id };
}

const sweep = () => sweepReceipts(server.database.db, clock.now());
const notificationsOf = async (client: SessionClient) => (await client.get('/api/v1/notifications')).body.items as Notification[];
const cardStatus = async (client: SessionClient, cardId: string) => (await client.get(`/api/v1/cards/${cardId}`)).body.status as string;

describe('an overdue receipt on the server\'s clock', () => {
  it('is reminded of after the reminder delay, freezes the card past the deadline, and unfreezes it when the receipt comes in', async () => {
    const settings = await tenant.client.patch('/api/v1/receipt-settings', { reminderAfterDays: 2, freezeAfterDays: 5 });
    expect(settings.status, settings.text).toBe(200);
    const holder = await cardholder();
    const bought = clock.now();
    const purchase = await network.authorize({
      id: networkId('auth'),
      cardId: holder.cardId,
      amount: '64.00',
      currency: 'EUR',
      merchant: { name: 'HARDWARE STORE', mcc: '5251', country: 'DK' },
      channel: 'in_person',
      occurredAt: bought.toISOString(),
    });
    expect(purchase.body.approved, JSON.stringify(purchase.body)).toBe(true);
    const transactionId = purchase.body.transactionId as string;
    const reminders = async () => (await notificationsOf(holder.client)).filter((n) => n.kind === 'receipt_missing' && n.subject.id === transactionId);

    clock.set(new Date(bought.getTime() + 2 * dayMs - hourMs));
    await sweep();
    expect(await reminders()).toHaveLength(0);

    clock.set(new Date(bought.getTime() + 2 * dayMs + hourMs));
    expect((await sweep()).reminded).toBe(1);
    expect((await sweep()).reminded).toBe(0);
    expect(await reminders()).toHaveLength(1);
    expect(await cardStatus(holder.client, holder.cardId)).toBe('active');

    clock.set(new Date(bought.getTime() + 5 * dayMs - hourMs));
    await sweep();
    expect(await cardStatus(holder.client, holder.cardId)).toBe('active');

    clock.set(new Date(bought.getTime() + 5 * dayMs + hourMs));
    expect((await sweep()).frozen).toBe(1);
    expect(await cardStatus(holder.client, holder.cardId)).toBe('frozen');
    const frozen = (await tenant.client.get(`/api/v1/cards/${holder.cardId}/events`)).body.items;
    expect(frozen[0]).toMatchObject({ action: 'frozen', actorType: 'system', reason: 'receipts_missing' });
    expect((await notificationsOf(holder.client)).map((n) => n.kind)).toContain('card_frozen_receipts');
    // The cardholder cannot lift a freeze Outlay set.
    expect((await holder.client.post(`/api/v1/cards/${holder.cardId}/unfreeze`, {})).status).toBe(403);

    const sent = await uploadReceipt(holder.client, Buffer.from('%PDF-1.4\n% hardware\n%%EOF\n'), { transactionId });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.match).toMatchObject({ state: 'matched', transactionId, at: clock.now().toISOString() });
    expect(await cardStatus(holder.client, holder.cardId)).toBe('active');
    const unfrozen = (await tenant.client.get(`/api/v1/cards/${holder.cardId}/events`)).body.items;
    expect(unfrozen[0]).toMatchObject({ action: 'unfrozen', actorType: 'system', reason: 'receipts_missing' });
    expect((await notificationsOf(holder.client)).map((n) => n.kind)).toContain('card_unfrozen_receipts');
  });
});
