// Issue 15's probe of the processor endpoints: a network id reused with other terms is refused
// and writes nothing (a true retransmission still gets the first answer), and a signature
// covers the method, path and query string, so one signed card lookup answers no other query.
// The previous processor secret is accepted during a rotation.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { signatureHeader, signPayload, signRequest } from '../../src/cards/processor-signature.js';
import { createCompany } from '../../src/companies/companies.service.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import { addActivePerson } from '../../src/people/people.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { settledRows } from '../../src/test-support/tenancy.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';
import { getWallet } from '../../src/wallet/wallet.service.js';

const processorSecret = randomBytes(32);
const previousSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
let server: RunningServer;
let network: NetworkClient;

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, processorSecretPrevious: previousSecret, encryptionKey } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
});
afterAll(async () => {
  await server?.close();
});

let sequence = 0;
async function company() {
  const db = server.database.db;
  const created = await createCompany(db, { name: `Probe ${++sequence}`, currency: 'EUR' });
  const person = await addActivePerson(db, created.id, { email: `holder${sequence}@probe.test`, name: 'Card Holder', roles: ['employee'], password: 'correct horse battery' });
  await fundWallet(server, created.id, { amount: '500.00', bankReference: `probe-${sequence}` });
  const issue = () => issueCard(db, encryptionKey, created.id, { userId: person.id, kind: 'virtual' }, system, new Date());
  const [card, otherCard] = [await issue(), await issue()];
  return { companyId: created.id, cardId: card.id, otherCardId: otherCard.id, last4: card.card.last4 };
}

const purchase = (cardId: string, amount: string, extra: Record<string, unknown> = {}) => ({
  id: networkId('auth'),
  cardId,
  amount,
  currency: 'EUR',
  merchant: { id: 'm-7', name: 'Probe Café', mcc: '5814', country: 'DK' },
  channel: 'online',
  occurredAt: '2026-11-20T10:00:00Z',
  ...extra,
});

/** What a processor message writes: card transactions and their messages, and the ledger, once
 * the server's own expense sync has caught up. (The receipt reminders a purchase sets off run
 * beside it, on their own clock.) */
const writtenTables = ['card_transactions', 'card_network_events', 'ledger_accounts', 'journal_entries', 'postings', 'pending_transfers', 'cards', 'card_events'] as const;
async function cardAndLedgerRows(companyId: string): Promise<Record<string, string[]>> {
  const rows = await settledRows(server.database.db, companyId);
  return Object.fromEntries(writtenTables.map((table) => {
    if (!rows[table]) throw new Error(`no table ${table} in the snapshot`);
    return [table, rows[table]];
  }));
}

async function available(companyId: string): Promise<bigint> {
  return (await getWallet(server.database.db, companyId)).available;
}

function expectReused(response: { status: number; body: Record<string, unknown> }): void {
  expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status: 409, code: 'network_id_reused', field: 'id' });
  expect(String(response.body.detail)).toMatch(/used before for another message/);
}

describe('a network id reused with other terms', () => {
  it('refuses an authorization repeated with another amount, currency or card, writing nothing; the same one gets the first answer', async () => {
    const c = await company();
    const first = purchase(c.cardId, '12.00');
    const decided = await network.authorize(first);
    expect(decided.body).toMatchObject({ approved: true });
    const before = await cardAndLedgerRows(c.companyId);
    const availableBefore = await available(c.companyId);

    expectReused(await network.authorize({ ...first, amount: '480.00' }));
    expectReused(await network.authorize({ ...first, currency: 'DKK' }));
    expectReused(await network.authorize({ ...first, cardId: c.otherCardId }));
    expect(await cardAndLedgerRows(c.companyId)).toEqual(before);
    expect(await available(c.companyId)).toBe(availableBefore);

    // A retransmission, the amount written with one decimal less, is the same message.
    const repeat = await network.authorize({ ...first, amount: '12.0' });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(decided.body);
  });

  it('refuses a lifecycle message repeated with another amount, type or transaction, writing nothing', async () => {
    const c = await company();
    const auth = purchase(c.cardId, '40.00');
    const other = purchase(c.cardId, '5.00');
    expect((await network.authorize(auth)).body).toMatchObject({ approved: true });
    expect((await network.authorize(other)).body).toMatchObject({ approved: true });
    const clearing = { id: networkId('clr'), type: 'clearing', cardId: c.cardId, transactionId: auth.id, amount: '40.00', currency: 'EUR' };
    const cleared = await network.event(clearing);
    expect(cleared.status).toBe(200);
    const before = await cardAndLedgerRows(c.companyId);

    expectReused(await network.event({ ...clearing, amount: '4.00' }));
    expectReused(await network.event({ ...clearing, type: 'reversal' }));
    expectReused(await network.event({ ...clearing, transactionId: other.id }));
    expect(await cardAndLedgerRows(c.companyId)).toEqual(before);

    const repeat = await network.event(clearing);
    expect(repeat).toEqual(cleared);
    expect((await verifyLedger(server.database.db, c.companyId)).violations).toEqual([]);
  });
});

describe('signatures of the card lookup', () => {
  const lookup = async (query: string, header: string) => {
    const response = await fetch(`${server.url}/api/v1/processor/cards?${query}`, { headers: { [signatureHeader]: header } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const now = () => Math.floor(Date.now() / 1000);

  it('answers the query that was signed, with the current or, during a rotation, the previous secret', async () => {
    const c = await company();
    const target = `/api/v1/processor/cards?last4=${c.last4}`;
    for (const secret of [processorSecret, previousSecret]) {
      const found = await lookup(`last4=${c.last4}`, signRequest(secret, { method: 'GET', target, body: '' }, now()));
      expect(found.status).toBe(200);
      expect((found.body.items as { id: string }[]).map((card) => card.id)).toContain(c.cardId);
    }
    expect((await network.findCardsByLast4(c.last4)).status).toBe(200);
  });

  it('refuses one signature for another query, a v1 signature of the empty body, and an unknown secret', async () => {
    const c = await company();
    const signedFor = signRequest(processorSecret, { method: 'GET', target: '/api/v1/processor/cards?last4=0000', body: '' }, now());
    for (const [query, header] of [
      [`last4=${c.last4}`, signedFor],
      [`last4=${c.last4}`, signPayload(processorSecret, '', now())],
      [`last4=${c.last4}`, signRequest(randomBytes(32), { method: 'GET', target: `/api/v1/processor/cards?last4=${c.last4}`, body: '' }, now())],
    ] as const) {
      const refused = await lookup(query, header);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 401, code: 'signature_invalid' });
      expect(refused.body.items).toBeUndefined();
    }
  });

  it('still accepts a POST signed with v1 over its body', async () => {
    const c = await company();
    const body = JSON.stringify(purchase(c.cardId, '1.00'));
    const response = await fetch(`${server.url}/api/v1/processor/authorizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [signatureHeader]: signPayload(processorSecret, body, now()) },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ approved: true });
  });
});
