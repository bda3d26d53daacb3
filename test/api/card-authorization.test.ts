// Card authorization end to end: signed processor requests over real HTTP, holds in the
// ledger, clearing, reversals, refunds, FX, expiry, and concurrent purchases on one wallet.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { expireCardHolds } from '../../src/cards/network-events.service.js';
import { createCompany } from '../../src/companies/companies.service.js';
import { loadRatesFile } from '../../src/fx/fx.cli.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import { addActivePerson } from '../../src/people/people.service.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { openDatabase } from '../../src/db/database.js';
import { signIn } from '../../src/test-support/api-client.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { getWallet, recordTopUp } from '../../src/wallet/wallet.service.js';

const processorSecret = randomBytes(32);
// Cards issued through the service in a test use the server's own encryption key.
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
const password = 'correct horse battery';
const day = 24 * 3600_000;
// The server's clock: holds expire by it, and the network signs its requests by it, so moving
// it a week on moves both.
const clock = new ManualClock();
const clockSeconds = () => Math.floor(clock.now().getTime() / 1000);
let server: RunningServer;
let network: NetworkClient;

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey }, clock });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret, nowSeconds: clockSeconds });
  await loadRatesFile(server.database.db, path.resolve('src/fx/testdata/eurofxref-daily.xml'));
});
afterAll(async () => {
  await server?.close();
});

let sequence = 0;
async function company(funds: string, currency = 'EUR', controls?: unknown) {
  const db = server.database.db;
  const created = await createCompany(db, { name: `Shop ${++sequence}`, currency, timeZone: 'Europe/Copenhagen' });
  const person = await addActivePerson(db, created.id, { email: `holder${sequence}@cards.test`, name: 'Card Holder', roles: ['employee'], password });
  if (funds !== '0') await recordTopUp(db, created.id, { amount: funds, currency, bankReference: `seed-${sequence}`, receivedOn: '2026-11-01' }, system, new Date());
  const card = await issueCard(db, encryptionKey, created.id, { userId: person.id, kind: 'virtual', controls }, system, new Date());
  return { companyId: created.id, person, cardId: card.id, email: person.email };
}


const purchase = (cardId: string, amount: string, extra: Record<string, unknown> = {}) => ({
  id: networkId('auth'),
  cardId,
  amount,
  currency: 'EUR',
  merchant: { id: 'm-42', name: 'Café Nord', mcc: '5814', country: 'DK' },
  channel: 'in_person',
  occurredAt: '2026-11-20T10:00:00Z',
  ...extra,
});

async function wallet(companyId: string) {
  const balances = await getWallet(server.database.db, companyId);
  return { balance: balances.balance, available: balances.available };
}

describe('processor authorization endpoint', () => {
  it('refuses an unsigned or wrongly signed request', async () => {
    const c = await company('100.00');
    const unsigned = await fetch(`${server.url}/api/v1/processor/authorizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(purchase(c.cardId, '1.00')),
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ code: 'signature_invalid' });
    const forged = new NetworkClient({ baseUrl: server.url, secret: randomBytes(32) });
    expect((await forged.authorize(purchase(c.cardId, '1.00'))).status).toBe(401);
    const stale = new NetworkClient({ baseUrl: server.url, secret: processorSecret, nowSeconds: () => clockSeconds() - 3600 });
    expect((await stale.authorize(purchase(c.cardId, '1.00'))).body).toMatchObject({ code: 'signature_invalid' });
    expect(await wallet(c.companyId)).toEqual({ balance: 10_000n, available: 10_000n });
  });

  it('approves, holds the amount, and shows the purchase to the cardholder as pending', async () => {
    const c = await company('100.00');
    const response = await network.authorize(purchase(c.cardId, '12.50'));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ approved: true, state: 'pending', heldAmount: { amount: '12.50', currency: 'EUR' } });
    expect(await wallet(c.companyId)).toEqual({ balance: 10_000n, available: 8_750n });
    const holder = await signIn(server.app, c.email, password);
    const mine = await holder.get('/api/v1/card-transactions');
    expect(mine.body.items).toEqual([
      expect.objectContaining({ state: 'pending', merchant: expect.objectContaining({ name: 'Café Nord' }), walletAmount: { amount: '12.50', currency: 'EUR' } }),
    ]);
  });

  it('answers a repeated request with the first decision and never holds twice', async () => {
    const c = await company('100.00');
    const request = purchase(c.cardId, '30.00');
    const first = await network.authorize(request);
    const again = await network.authorize(request);
    expect(again.body).toEqual(first.body);
    expect(await wallet(c.companyId)).toMatchObject({ available: 7_000n });
  });

  it('declines over a period limit, naming the period, and over the funds', async () => {
    const c = await company('100.00', 'EUR', { limits: { daily: '20.00' } });
    expect((await network.authorize(purchase(c.cardId, '15.00'))).body).toMatchObject({ approved: true });
    expect((await network.authorize(purchase(c.cardId, '6.00'))).body).toMatchObject({ approved: false, declineReason: 'over_period_limit', declinePeriod: 'daily' });
    const poor = await company('5.00');
    expect((await network.authorize(purchase(poor.cardId, '5.01'))).body).toMatchObject({ approved: false, declineReason: 'insufficient_funds' });
    expect(await wallet(poor.companyId)).toEqual({ balance: 500n, available: 500n });
  });

  it('declines an unknown card without guessing a company', async () => {
    const response = await network.authorize(purchase('card_01M80K16E9XQE7MZ4Y39DHXDTA', '1.00'));
    expect(response.body).toMatchObject({ approved: false, declineReason: 'card_not_found', transactionId: null });
  });
});

describe('lifecycle messages', () => {
  it('clears a larger final amount (a tip): books it all and releases the hold', async () => {
    const c = await company('100.00');
    const auth = purchase(c.cardId, '40.00');
    await network.authorize(auth);
    const cleared = await network.event({ id: networkId('clr'), type: 'clearing', cardId: c.cardId, transactionId: auth.id, amount: '46.00', currency: 'EUR' });
    expect(cleared.body).toMatchObject({ approved: true, state: 'settled', settledAmount: { amount: '46.00', currency: 'EUR' } });
    expect(await wallet(c.companyId)).toEqual({ balance: 5_400n, available: 5_400n });
    expect((await verifyLedger(server.database.db, c.companyId)).ok).toBe(true);
  });

  it('clears a smaller amount and releases the rest of the hold', async () => {
    const c = await company('100.00');
    const auth = purchase(c.cardId, '80.00');
    await network.authorize(auth);
    await network.event({ id: networkId('clr'), type: 'clearing', cardId: c.cardId, transactionId: auth.id, amount: '61.20' });
    expect(await wallet(c.companyId)).toEqual({ balance: 3_880n, available: 3_880n });
  });

  it('reverses partly and then fully; a reversed hold cannot be reversed again', async () => {
    const c = await company('100.00');
    const auth = purchase(c.cardId, '50.00');
    await network.authorize(auth);
    await network.event({ id: networkId('rev'), type: 'reversal', cardId: c.cardId, transactionId: auth.id, amount: '20.00' });
    expect(await wallet(c.companyId)).toMatchObject({ available: 7_000n });
    await network.event({ id: networkId('rev'), type: 'reversal', cardId: c.cardId, transactionId: auth.id });
    expect(await wallet(c.companyId)).toEqual({ balance: 10_000n, available: 10_000n });
    const again = await network.event({ id: networkId('rev'), type: 'reversal', cardId: c.cardId, transactionId: auth.id });
    expect(again.body).toMatchObject({ code: 'card_state_invalid' });
  });

  it('applies a repeated lifecycle message once', async () => {
    const c = await company('100.00');
    const auth = purchase(c.cardId, '10.00');
    await network.authorize(auth);
    const message = { id: networkId('clr'), type: 'clearing', cardId: c.cardId, transactionId: auth.id, amount: '10.00' };
    const first = await network.event(message);
    const second = await network.event(message);
    expect(second.body).toEqual(first.body);
    expect(await wallet(c.companyId)).toMatchObject({ balance: 9_000n });
  });

  it('refunds to the wallet and reverses a refund', async () => {
    const c = await company('100.00');
    const refund = { id: networkId('ref'), type: 'refund', cardId: c.cardId, amount: '15.00', currency: 'EUR', merchant: { name: 'Café Nord', mcc: '5814', country: 'DK' } };
    expect((await network.event(refund)).body).toMatchObject({ state: 'settled' });
    expect(await wallet(c.companyId)).toMatchObject({ balance: 11_500n });
    await network.event({ id: networkId('rr'), type: 'refund_reversal', cardId: c.cardId, transactionId: refund.id });
    expect(await wallet(c.companyId)).toMatchObject({ balance: 10_000n });
  });

  it('books a forced post beyond the funds and shows the shortfall', async () => {
    const c = await company('10.00');
    const forced = { id: networkId('fp'), type: 'force_post', cardId: c.cardId, amount: '25.00', currency: 'EUR', merchant: { name: 'Airline', mcc: '4511', country: 'DE' } };
    expect((await network.event(forced)).body).toMatchObject({ approved: true, state: 'settled' });
    expect(await wallet(c.companyId)).toMatchObject({ balance: -1_500n });
    const admin = await signIn(server.app, c.email, password);
    const seen = await admin.get('/api/v1/card-transactions');
    expect(seen.body.items[0]).toMatchObject({ kind: 'force_post', shortfall: { amount: '15.00', currency: 'EUR' } });
    const report = await verifyLedger(server.database.db, c.companyId);
    expect(report.violations.map((v) => v.invariant)).toEqual(['account_overdrawn']);
  });

  it('keeps a hold until its expiry, then the expiry sweep frees the funds', async () => {
    const c = await company('100.00');
    await network.authorize(purchase(c.cardId, '25.00'));
    expect(await wallet(c.companyId)).toMatchObject({ available: 7_500n });
    // Holds live 7 days by default, counted from when the authorization was decided.
    clock.advance(7 * day - 60_000);
    expect(await expireCardHolds(server.database.db, clock.now())).toBe(0);
    expect(await wallet(c.companyId)).toMatchObject({ available: 7_500n });
    clock.advance(120_000);
    await expireCardHolds(server.database.db, clock.now());
    expect(await wallet(c.companyId)).toEqual({ balance: 10_000n, available: 10_000n });
    const admin = await signIn(server.app, c.email, password);
    expect((await admin.get('/api/v1/card-transactions')).body.items[0]).toMatchObject({ state: 'expired' });
  });
});

describe('ATM withdrawals and hold lifetimes', () => {
  it('books an ATM withdrawal as one, and declines it on a card without the ATM channel', async () => {
    const c = await company('300.00');
    const atm = purchase(c.cardId, '100.00', { channel: 'atm', merchant: { name: 'Danske Bank ATM', mcc: '6011', country: 'DK' } });
    expect((await network.authorize(atm)).body).toMatchObject({ approved: true });
    const row = await server.database.db.selectFrom('card_transactions').select('kind').where('network_id', '=', atm.id).executeTakeFirstOrThrow();
    expect(row.kind).toBe('atm_withdrawal');
    const online = await company('300.00', 'EUR', { channels: ['online', 'in_person', 'contactless'] });
    const refused = await network.authorize(purchase(online.cardId, '100.00', { channel: 'atm', merchant: { name: 'ATM', mcc: '6011', country: 'DK' } }));
    expect(refused.body).toMatchObject({ approved: false, declineReason: 'channel_blocked' });
  });

  it('keeps a hotel hold open longer than an ordinary one', async () => {
    const c = await company('1000.00');
    await network.authorize(purchase(c.cardId, '10.00'));
    await network.authorize(purchase(c.cardId, '300.00', { merchant: { name: 'Scandic Hotels', mcc: '7011', country: 'SE' } }));
    // After 8 days the ordinary hold (7 days by default) is gone; the hotel's (30 days) is not.
    clock.advance(8 * day);
    await expireCardHolds(server.database.db, clock.now());
    expect(await wallet(c.companyId)).toEqual({ balance: 100_000n, available: 70_000n });
    clock.advance(23 * day);
    await expireCardHolds(server.database.db, clock.now());
    expect(await wallet(c.companyId)).toEqual({ balance: 100_000n, available: 100_000n });
  });
});

describe('foreign currency', () => {
  it('converts at the reference rate with the markup and books the clearing difference as an FX line', async () => {
    const c = await company('1000.00');
    const auth = purchase(c.cardId, '100.00', { currency: 'USD', occurredAt: '2026-11-20T15:00:00Z', merchant: { name: 'Diner', mcc: '5812', country: 'US' } });
    const decided = await network.authorize(auth);
    expect(decided.body).toMatchObject({ approved: true });
    const held = (decided.body.heldAmount as { amount: string }).amount;
    await network.event({ id: networkId('clr'), type: 'clearing', cardId: c.cardId, transactionId: auth.id, amount: '115.00', currency: 'USD', occurredAt: '2026-11-21T09:00:00Z' });
    const entries = await server.database.db.selectFrom('journal_entries').select(['kind']).where('company_id', '=', c.companyId).execute();
    expect(entries.map((entry) => entry.kind)).toContain('card_fx_difference');
    expect(Number(held)).toBeGreaterThan(0);
    expect((await verifyLedger(server.database.db, c.companyId)).ok).toBe(true);
  });

  it('declines a currency it has no rate for', async () => {
    const c = await company('100.00');
    const response = await network.authorize(purchase(c.cardId, '100', { currency: 'VND' }));
    expect(response.body).toMatchObject({ approved: false, declineReason: 'currency_not_supported' });
  });
});

describe('clearings and authorizations at once', () => {
  it('settles every clearing and answers every authorization on one card, without a deadlock', async () => {
    const c = await company('1000.00');
    const first = Array.from({ length: 12 }, () => purchase(c.cardId, '5.00'));
    for (const auth of first) expect((await network.authorize(auth)).body).toMatchObject({ approved: true });
    const responses = await Promise.all([
      ...first.map((auth) => network.event({ id: networkId('clr'), type: 'clearing', cardId: c.cardId, transactionId: auth.id, amount: '5.00' })),
      ...Array.from({ length: 12 }, () => network.authorize(purchase(c.cardId, '5.00'))),
    ]);
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
    expect(await wallet(c.companyId)).toEqual({ balance: 94_000n, available: 88_000n });
    expect((await verifyLedger(server.database.db, c.companyId)).ok).toBe(true);
  });
});

describe('many cards on one small wallet', () => {
  it('never approves more than the wallet holds, across two server processes on one database', async () => {
    const db = server.database.db;
    const shop = await createCompany(db, { name: 'Small Wallet', currency: 'EUR' });
    await recordTopUp(db, shop.id, { amount: '100.00', currency: 'EUR', bankReference: 'small', receivedOn: '2026-11-01' }, system, new Date());
    const cardIds: string[] = [];
    for (let i = 0; i < 8; i++) {
      const person = await addActivePerson(db, shop.id, { email: `racer${i}@small.test`, name: `Racer ${i}`, roles: ['employee'], password });
      cardIds.push((await issueCard(db, encryptionKey, shop.id, { userId: person.id, kind: 'virtual' }, system, new Date())).id);
    }
    // On PostgreSQL a second Outlay process shares the database; PGlite serves one process.
    let second: RunningServer | null = null;
    const url = (server.database as { url?: string | null }).url;
    if (url) {
      const database = await openDatabase({ kind: 'postgres', url, poolSize: 10 });
      second = await startServer(testConfig({ processorSecret, encryptionKey, database: { kind: 'postgres', url, poolSize: 10 } }), { database, clock });
    }
    const targets = [network, new NetworkClient({ baseUrl: second?.url ?? server.url, secret: processorSecret, nowSeconds: clockSeconds })];
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => targets[i % 2]!.authorize(purchase(cardIds[i % cardIds.length]!, '7.00'))),
    );
    await second?.close();
    const approved = responses.filter((response) => response.body.approved === true).length;
    const declined = responses.filter((response) => response.body.declineReason === 'insufficient_funds').length;
    expect(approved).toBe(14); // 14 x 7.00 = 98.00; a 15th would need 105.00
    expect(approved + declined).toBe(40);
    expect(await wallet(shop.id)).toEqual({ balance: 10_000n, available: 200n });
    expect((await verifyLedger(db, shop.id)).ok).toBe(true);
  });
});
