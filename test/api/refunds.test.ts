// Refunds tied to the purchase they refund, over real HTTP: the processor's refund names the
// original; within what it cleared less earlier refunds it refunds it, beyond it (or without a
// purchase of this card) it is a flagged standalone merchant credit; a repeat changes nothing;
// two refunds at once pass the cap once; the simulator's Refund is refused once nothing is
// left; and the purchase's expense follows its refunds and partial reversals.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { openDatabase } from '../../src/db/database.js';
import { syncCardExpenses } from '../../src/expenses/expense-sync.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { getWallet } from '../../src/wallet/wallet.service.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
const today = () => new Date().toISOString().slice(0, 10);
const merchant = { id: 'm-7', name: 'Sportshop', mcc: '5941', country: 'DK' };

let server: RunningServer;
let network: NetworkClient;
let tenant: Tenant;
let other: Tenant;
let emma: { id: string; client: SessionClient };
let card: string;

async function cardOf(company: Tenant, userId: string): Promise<string> {
  return (await issueCard(server.database.db, encryptionKey, company.company.id, { userId, kind: 'virtual' }, system, new Date())).id;
}

/** A purchase authorized and cleared at its amount; its network id and our transaction id. */
async function clearedPurchase(cardId: string, amount: string, name = merchant.name) {
  const auth = networkId('auth');
  const approved = await network.authorize({ id: auth, cardId, amount, currency: 'EUR', merchant: { ...merchant, name }, channel: 'in_person' });
  expect(approved.body.approved, JSON.stringify(approved.body)).toBe(true);
  const cleared = await network.event({ id: networkId('clr'), type: 'clearing', cardId, transactionId: auth, amount, currency: 'EUR' });
  expect(cleared.body.state).toBe('settled');
  return { networkId: auth, id: approved.body.transactionId as string };
}

const refund = (cardId: string, amount: string, original?: string) => ({ id: networkId('ref'), type: 'refund', cardId, amount, currency: 'EUR', merchant, ...(original ? { transactionId: original } : {}) });

async function transaction(id: string) {
  const response = await tenant.client.get(`/api/v1/card-transactions/${id}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

async function expenseOf(transactionId: string) {
  await syncCardExpenses(server.database.db, new Date());
  const items = (await emma.client.get('/api/v1/expenses?kind=card&limit=100')).body.items as { id: string; cardTransactionId: string }[];
  const expense = items.find((item) => item.cardTransactionId === transactionId);
  expect(expense).toBeDefined();
  return (await emma.client.get(`/api/v1/expenses/${expense!.id}`)).body;
}

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Refund Sports', adminEmail: 'admin@refunds.test' });
  other = await createTenant(server, { name: 'Other Shop', adminEmail: 'admin@other-refunds.test' });
  for (const company of [tenant, other]) {
    await fundWallet(server, company.company.id, { amount: '1000.00', currency: 'EUR', bankReference: `R-${company.company.id}`, receivedOn: today() });
  }
  emma = await addPerson(tenant.client, { email: 'emma@refunds.test', name: 'Emma Runner', roles: ['employee'] });
  card = await cardOf(tenant, emma.id);
});
afterAll(async () => {
  await server?.close();
});

describe('a refund from the network', () => {
  it('refunds the purchase it names up to what it cleared, and books the rest as a flagged merchant credit', async () => {
    const purchase = await clearedPurchase(card, '74.90');
    const before = (await getWallet(server.database.db, tenant.company.id)).balance;
    const first = refund(card, '20.00', purchase.networkId);
    const partly = await network.event(first);
    expect(partly.body).toMatchObject({ approved: true, state: 'settled' });
    expect(await transaction(partly.body.transactionId as string)).toMatchObject({ kind: 'refund', refundOf: purchase.id, refunded: { amount: '20.00' }, merchantCredit: null });
    // The same message again changes nothing.
    const repeated = await network.event(first);
    expect(repeated.body.transactionId as string).toBe(partly.body.transactionId as string);

    const rest = await network.event(refund(card, '74.90', purchase.networkId));
    expect(await transaction(rest.body.transactionId as string)).toMatchObject({ refundOf: purchase.id, refunded: { amount: '54.90' }, merchantCredit: { amount: { amount: '20.00' }, reason: 'exceeds_refundable' } });
    const third = await network.event(refund(card, '74.90', purchase.networkId));
    expect(await transaction(third.body.transactionId as string)).toMatchObject({ refundOf: purchase.id, refunded: { amount: '0.00' }, merchantCredit: { amount: { amount: '74.90' }, reason: 'exceeds_refundable' } });

    // The wallet got what the network sent; the purchase lists what refunded it.
    expect((await getWallet(server.database.db, tenant.company.id)).balance - before).toBe(2_000n + 7_490n + 7_490n);
    const refunds = (await transaction(purchase.id)).refunds as { transactionId: string; amount: { amount: string } }[];
    expect(refunds.map((item) => [item.transactionId, item.amount.amount])).toEqual([[partly.body.transactionId, '20.00'], [rest.body.transactionId, '54.90']]);

    // A fully refunded purchase leaves an expense of zero that shows its refunds.
    const expense = await expenseOf(purchase.id);
    expect(expense.amount).toEqual({ amount: '0.00', currency: 'EUR' });
    expect(expense.refunds.map((item: { amount: { amount: string } }) => item.amount.amount)).toEqual(['20.00', '54.90']);
    expect(expense.refunds[0]).toMatchObject({ refundedOn: today(), export: { state: 'netted', batchId: null } });
    // What was beyond the purchase is flagged on its expense too, and not counted in it.
    expect(expense.merchantCredits.map((credit: { transactionId: string; amount: { amount: string }; reason: string }) => [credit.transactionId, credit.amount.amount, credit.reason])).toEqual([
      [rest.body.transactionId, '20.00', 'exceeds_refundable'],
      [third.body.transactionId, '74.90', 'exceeds_refundable'],
    ]);
    expect((await verifyLedger(server.database.db, tenant.company.id)).violations).toEqual([]);
  });

  it('refunds into a wallet that a clearing above its hold took below zero', async () => {
    // A company of its own, its wallet 50.00: a hold of all of it, cleared at 60.00 (a tip),
    // leaves it at -10.00; a refund of 4.00 brings it to -6.00 and is never refused for it.
    const lean = await createTenant(server, { name: 'Lean Shop', adminEmail: 'admin@lean-refunds.test' });
    await fundWallet(server, lean.company.id, { amount: '50.00', currency: 'EUR', bankReference: 'R-LEAN', receivedOn: today() });
    const leanCard = await cardOf(lean, lean.admin.id);
    const auth = networkId('auth');
    const approved = await network.authorize({ id: auth, cardId: leanCard, amount: '50.00', currency: 'EUR', merchant, channel: 'in_person' });
    expect(approved.body.approved, JSON.stringify(approved.body)).toBe(true);
    const cleared = await network.event({ id: networkId('clr'), type: 'clearing', cardId: leanCard, transactionId: auth, amount: '60.00', currency: 'EUR' });
    expect(cleared.body.state).toBe('settled');
    expect((await lean.client.get('/api/v1/wallet')).body.available.amount).toBe('-10.00');
    const refunded = await network.event(refund(leanCard, '4.00', auth));
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(200);
    expect(refunded.body.approved).toBe(true);
    expect((await lean.client.get('/api/v1/wallet')).body.available.amount).toBe('-6.00');
  });

  it('gives back what a reversed refund took, and the expense follows', async () => {
    const purchase = await clearedPurchase(card, '50.00');
    const sent = refund(card, '50.00', purchase.networkId);
    await network.event(sent);
    expect((await expenseOf(purchase.id)).amount.amount).toBe('0.00');
    await network.event({ id: networkId('rr'), type: 'refund_reversal', cardId: card, transactionId: sent.id });
    const expense = await expenseOf(purchase.id);
    expect({ amount: expense.amount.amount, refunds: expense.refunds }).toEqual({ amount: '50.00', refunds: [] });
    const again = await network.event(refund(card, '50.00', purchase.networkId));
    expect(await transaction(again.body.transactionId as string)).toMatchObject({ refunded: { amount: '50.00' }, merchantCredit: null });
  });

  it('never ties a refund to a purchase of another card or company, nor without one named', async () => {
    const colleague = await addPerson(tenant.client, { email: 'colleague@refunds.test', name: 'Colleague', roles: ['employee'] });
    const otherCard = await cardOf(tenant, colleague.id);
    const theirs = await clearedPurchase(otherCard, '30.00');
    const elsewhere = await cardOf(other, other.admin.id);
    const foreign = await clearedPurchase(elsewhere, '30.00');
    const cases: [string | undefined, string][] = [[theirs.networkId, 'original_not_found'], [foreign.networkId, 'original_not_found'], [undefined, 'original_not_named']];
    for (const [original, reason] of cases) {
      const sent = await network.event(refund(card, '30.00', original));
      expect(sent.body).toMatchObject({ approved: true, state: 'settled' });
      expect(await transaction(sent.body.transactionId as string)).toMatchObject({ refundOf: null, refunded: null, merchantCredit: { amount: { amount: '30.00' }, reason } });
    }
    expect((await transaction(theirs.id)).refunds).toEqual([]);
    expect((await other.client.get(`/api/v1/card-transactions/${foreign.id}`)).body.refunds).toEqual([]);
  });

  it('lets two refunds of one purchase sent at once refund it once, across two server processes', async () => {
    const purchase = await clearedPurchase(card, '60.00');
    // On PostgreSQL a second Outlay process shares the database; PGlite serves one process.
    let second: RunningServer | null = null;
    const url = (server.database as { url?: string | null }).url;
    if (url) {
      const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
      second = await startServer(testConfig({ processorSecret, encryptionKey, database: { kind: 'postgres', url, poolSize: 4 } }), { database });
    }
    const secondNetwork = new NetworkClient({ baseUrl: second?.url ?? server.url, secret: processorSecret });
    const responses = await Promise.all([network.event(refund(card, '60.00', purchase.networkId)), secondNetwork.event(refund(card, '60.00', purchase.networkId))]);
    await second?.close();
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    const refunds = await Promise.all(responses.map((response) => transaction(response.body.transactionId as string)));
    expect(refunds.map((item) => item.refunded.amount).sort()).toEqual(['0.00', '60.00']);
    expect(refunds.map((item) => item.merchantCredit?.reason ?? null).sort()).toEqual(['exceeds_refundable', null]);
    expect((await expenseOf(purchase.id)).amount.amount).toBe('0.00');
    expect((await verifyLedger(server.database.db, tenant.company.id)).violations).toEqual([]);
  });
});

describe('the simulator\'s Refund', () => {
  it('refunds what is left of the purchase once, then refuses with refund_exceeds_purchase and writes nothing', async () => {
    const simulated = await tenant.client.post('/api/v1/simulator/purchases', { cardId: card, amount: '74.90', currency: 'EUR', merchant, channel: 'online' });
    const id = simulated.body.transactionId as string;
    expect((await tenant.client.post('/api/v1/simulator/events', { transactionId: id, type: 'clearing', amount: '74.90' })).status).toBe(200);
    const partly = await tenant.client.post('/api/v1/simulator/events', { transactionId: id, type: 'refund', amount: '10.00' });
    expect(partly.status, partly.text).toBe(200);
    const rest = await tenant.client.post('/api/v1/simulator/events', { transactionId: id, type: 'refund' });
    expect(await transaction(rest.body.transactionId as string)).toMatchObject({ refundOf: id, refunded: { amount: '64.90' }, merchantCredit: null });
    const before = (await getWallet(server.database.db, tenant.company.id)).balance;
    for (const body of [{ transactionId: id, type: 'refund' }, { transactionId: id, type: 'refund', amount: '0.01' }, { transactionId: rest.body.transactionId, type: 'refund' }]) {
      const refused = await tenant.client.post('/api/v1/simulator/events', body);
      expect({ status: refused.status, code: refused.body.code, type: refused.headers['content-type'] }).toEqual({ status: 409, code: 'refund_exceeds_purchase', type: expect.stringContaining('application/problem+json') });
    }
    expect((await getWallet(server.database.db, tenant.company.id)).balance).toBe(before);
    expect((await transaction(id)).refunds).toHaveLength(2);
  });
});

describe('the expense of a purchase', () => {
  it('follows a partial reversal, and a purchase reversed in full leaves a voided expense without a receipt flag', async () => {
    const auth = networkId('auth');
    const approved = await network.authorize({ id: auth, cardId: card, amount: '100.00', currency: 'EUR', merchant: { ...merchant, name: 'Partial Hotel' }, channel: 'in_person' });
    expect((await expenseOf(approved.body.transactionId as string)).amount.amount).toBe('100.00');
    await network.event({ id: networkId('rev'), type: 'reversal', cardId: card, transactionId: auth, amount: '30.00', currency: 'EUR' });
    expect((await expenseOf(approved.body.transactionId as string)).amount.amount).toBe('70.00');
    await network.event({ id: networkId('clr'), type: 'clearing', cardId: card, transactionId: auth, amount: '70.00', currency: 'EUR' });
    expect((await expenseOf(approved.body.transactionId as string)).amount.amount).toBe('70.00');

    const gone = networkId('auth');
    const cancelled = await network.authorize({ id: gone, cardId: card, amount: '12.00', currency: 'EUR', merchant: { ...merchant, name: 'Cancelled' }, channel: 'in_person' });
    expect((await expenseOf(cancelled.body.transactionId as string)).flags).toEqual(['missing_receipt']);
    await network.event({ id: networkId('rev'), type: 'reversal', cardId: card, transactionId: gone });
    expect(await expenseOf(cancelled.body.transactionId as string)).toMatchObject({ state: 'voided', flags: [], receipt: { state: 'not_required' } });
  });
});
