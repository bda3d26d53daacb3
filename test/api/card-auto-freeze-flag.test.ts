// The `card-auto-freeze` feature flag holds back the receipt sweep's freezing for the
// companies it is off for: a card with an overdue receipt stays active there, and is frozen at
// the next sweep once the flag is on again for its company.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/auth/actor.js';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { changeFeatureFlag } from '../../src/flag-management/flag-management.service.js';
import { sweepReceipts } from '../../src/receipts/receipt-sweep.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const dayMs = 24 * 3_600_000;

const clock = new ManualClock();
let server: RunningServer;
let tenant: Tenant;

beforeAll(async () => {
  server = await startTestServer({ clock, config: { processorSecret, encryptionKey, sessionTtlHours: 30 * 24 } });
  tenant = await createTenant(server, { name: 'Flagged Freeze Co', adminEmail: 'admin@flagged-freeze.test' });
  await fundWallet(server, tenant.company.id, { amount: '500.00', currency: 'EUR', bankReference: 'F-1', receivedOn: clock.now().toISOString().slice(0, 10) });
  expect((await tenant.client.patch('/api/v1/receipt-settings', { freezeAfterDays: 5 })).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

const cardStatus = async (client: SessionClient, cardId: string) => (await client.get(`/api/v1/cards/${cardId}`)).body.status as string;

describe('the card-auto-freeze flag', () => {
  it('keeps an overdue card active while off for its company, and lets the sweep freeze it once on again', async () => {
    const person = await addPerson(tenant.client, { email: 'holder@flagged-freeze.test', name: 'Holder', roles: ['employee'] });
    const card = await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: person.id, kind: 'virtual' }, systemActor, clock.now());
    const bought = clock.now();
    const network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
    const purchase = await network.authorize({
      id: networkId('auth'),
      cardId: card.id,
      amount: '40.00',
      currency: 'EUR',
      merchant: { name: 'PAINT SHOP', mcc: '5231', country: 'DK' },
      channel: 'in_person',
      occurredAt: bought.toISOString(),
    });
    expect(purchase.body.approved, JSON.stringify(purchase.body)).toBe(true);

    await changeFeatureFlag(server.database.db, systemActor, 'card-auto-freeze', { rules: [{ match: 'companies', ids: [tenant.company.id], variant: 'off' }] }, clock.now());
    clock.set(new Date(bought.getTime() + 6 * dayMs));
    expect((await sweepReceipts(server.database.db, clock.now())).frozen).toBe(0);
    expect(await cardStatus(person.client, card.id)).toBe('active');

    await changeFeatureFlag(server.database.db, systemActor, 'card-auto-freeze', { rules: [] }, clock.now());
    expect((await sweepReceipts(server.database.db, clock.now())).frozen).toBe(1);
    expect(await cardStatus(person.client, card.id)).toBe('frozen');
  });
});
