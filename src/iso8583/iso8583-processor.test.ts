// The gateway with Outlay's processor end to end: ISO 8583 over real TCP into the engine and
// the ledger of a real database (PGlite, or PostgreSQL when DATABASE_URL is set).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOfRoles } from '../auth/permissions.js';
import { issueCard } from '../cards/card-issuing.service.js';
import { findCardIdByPan } from '../cards/card-lookup.service.js';
import { revealCard } from '../cards/card-reveal.service.js';
import { freezeCardBySystem } from '../cards/card-system-freezes.service.js';
import { findByNetworkId } from '../cards/card-transactions.repository.js';
import { createCompany } from '../companies/companies.service.js';
import { loadRatesFile } from '../fx/fx.cli.js';
import { verifyLedger } from '../ledger/verify.js';
import { addActivePerson } from '../people/people.service.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { authorizationRequest, cafePurchase, networkManagementRequest, nextStan, reversalRequest } from '../test-support/iso8583-acquirer-messages.js';
import { Iso8583Client } from '../test-support/iso8583-client.js';
import { getWallet, recordTopUp } from '../wallet/wallet.service.js';
import { startIso8583Gateway, type Iso8583Gateway, type Iso8583Logger } from './gateway.js';
import { approvalCodeOf, iso8583Processor } from './iso8583-processor.js';

const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
const password = 'correct horse battery';
const now = new Date('2026-11-20T10:00:05Z');
const silent: Iso8583Logger = { info() {}, warn() {}, error() {} };

let database: TestDatabase;
let gateway: Iso8583Gateway;
let client: Iso8583Client;

beforeAll(async () => {
  database = await openTestDatabase();
  await loadRatesFile(database.db, path.resolve('src/fx/testdata/eurofxref-daily.xml'));
  const handler = iso8583Processor({ db: database.db, resolveCard: (pan) => findCardIdByPan(database.db, encryptionKey, pan), logger: silent, clock: { now: () => now } });
  gateway = await startIso8583Gateway({ host: '127.0.0.1', port: 0, handler, logger: silent });
  client = await Iso8583Client.connect('127.0.0.1', gateway.port);
});
afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await database?.close();
});

let sequence = 0;
/** A company with a funded EUR wallet and one virtual card, and that card's number. */
async function company(funds: string, controls?: unknown) {
  const db = database.db;
  const created = await createCompany(db, { name: `ISO Shop ${++sequence}`, currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  const person = await addActivePerson(db, created.id, { email: `iso${sequence}@cards.test`, name: 'Card Holder', roles: ['employee'], password });
  await recordTopUp(db, created.id, { amount: funds, currency: 'EUR', bankReference: `iso-seed-${sequence}`, receivedOn: '2026-11-01' }, system, new Date());
  const card = await issueCard(db, encryptionKey, created.id, { userId: person.id, kind: 'virtual', controls }, system, new Date());
  const holder = { kind: 'user' as const, companyId: created.id, userId: person.id, sessionId: 'ses_iso', roles: person.roles, permissions: permissionsOfRoles(person.roles) };
  const { number } = await revealCard(db, encryptionKey, holder, card.id, password, new Date());
  return { companyId: created.id, cardId: card.id, pan: number };
}

const available = async (companyId: string) => (await getWallet(database.db, companyId)).available;

const purchase = cafePurchase;

describe('ISO 8583 authorizations', () => {
  it('approves an 0100 with 39=00 and an approval code, and holds the amount in the ledger', async () => {
    const c = await company('100.00');
    const request = authorizationRequest(purchase(c.pan, 1250n));
    const answer = await client.request(request);
    expect(answer.mti).toBe('0110');
    expect(answer.fields).toMatchObject({ 11: request.fields[11], 37: request.fields[37], 39: '00', 6: '000000001250', 51: '978' });
    expect(answer.fields[38]).toMatch(/^\d{6}$/);
    expect(await available(c.companyId)).toBe(8_750n);
    const recorded = await findByNetworkId(database.db, c.companyId, `iso8583:123456:20261120100000:${request.fields[11]}:${request.fields[37]}`);
    expect(recorded).toMatchObject({ state: 'pending', card_id: c.cardId, merchant_name: 'Cafe Nord', mcc: '5814', merchant_country: 'DK', channel: 'in_person', merchant_amount: 1250n });
    expect(answer.fields[38]).toBe(approvalCodeOf(recorded!.id));
  });

  it('declines an 0100 over the funds with 51 and holds nothing', async () => {
    const c = await company('20.00');
    expect((await client.request(authorizationRequest(purchase(c.pan, 1500n)))).fields[39]).toBe('00');
    const over = await client.request(authorizationRequest(purchase(c.pan, 501n)));
    expect(over.fields[39]).toBe('51');
    expect(over.fields[38]).toBeUndefined();
    expect(await available(c.companyId)).toBe(500n);
  });

  it('answers a repeated 0100 (and its 0101 repeat) as the first time, holding once', async () => {
    const c = await company('100.00');
    const request = authorizationRequest(purchase(c.pan, 3000n));
    const first = await client.request(request);
    const again = await client.request(request);
    const repeat = await client.request({ ...request, mti: '0101' });
    expect(again).toEqual(first);
    expect(repeat).toEqual(first);
    expect(await available(c.companyId)).toBe(7_000n);
  });

  it('answers 94 to an 0100 reusing an earlier one\'s network id with another amount, holding nothing more', async () => {
    const c = await company('100.00');
    const request = authorizationRequest(purchase(c.pan, 3000n));
    expect((await client.request(request)).fields[39]).toBe('00');
    const reused = await client.request({ ...request, fields: { ...request.fields, 4: '000000009000' } });
    expect(reused).toMatchObject({ mti: '0110', fields: { 39: '94' } });
    expect(reused.fields[38]).toBeUndefined();
    expect(await available(c.companyId)).toBe(7_000n);
  });

  it('declines by the card\'s rules: unknown card 14, frozen 62, channel 57, per-purchase limit 61', async () => {
    expect((await client.request(authorizationRequest(purchase('4000009999999999', 100n)))).fields[39]).toBe('14');
    const frozen = await company('100.00');
    await freezeCardBySystem(database.db, frozen.companyId, frozen.cardId, 'test', {}, new Date());
    expect((await client.request(authorizationRequest(purchase(frozen.pan, 100n)))).fields[39]).toBe('62');
    const onlineOnly = await company('100.00', { channels: ['online'], perPurchaseMax: '10.00' });
    expect((await client.request(authorizationRequest(purchase(onlineOnly.pan, 100n)))).fields[39]).toBe('57');
    expect((await client.request(authorizationRequest(purchase(onlineOnly.pan, 100n, { posEntryMode: '812' })))).fields[39]).toBe('00');
    expect((await client.request(authorizationRequest(purchase(onlineOnly.pan, 1001n, { posEntryMode: '812' })))).fields[39]).toBe('61');
  });

  it('converts a foreign purchase and states the wallet amount in fields 6 and 51', async () => {
    const c = await company('100.00');
    const answer = await client.request(authorizationRequest(purchase(c.pan, 1634n, { currency: '392' })));
    expect(answer.fields).toMatchObject({ 39: '00', 4: '000000001634', 49: '392', 51: '978' });
    expect(10_000n - (await available(c.companyId))).toBe(BigInt(answer.fields[6]!));
  });

  it('records an 0120 stand-in approval as a hold and acknowledges it with 0130', async () => {
    const c = await company('100.00');
    const advice = authorizationRequest(purchase(c.pan, 2000n), '0120');
    const answer = await client.request({ ...advice, fields: { ...advice.fields, 39: '00' } });
    expect(answer).toMatchObject({ mti: '0130', fields: { 39: '00' } });
    expect(await available(c.companyId)).toBe(8_000n);
    const declinedInStandIn = authorizationRequest(purchase(c.pan, 2000n), '0120');
    expect((await client.request({ ...declinedInStandIn, fields: { ...declinedInStandIn.fields, 39: '05' } })).fields[39]).toBe('00');
    expect(await available(c.companyId)).toBe(8_000n);
  });
});

describe('ISO 8583 reversals', () => {
  it('releases the hold on an 0400 and answers its 0401 repeat the same', async () => {
    const c = await company('100.00');
    const original = authorizationRequest(purchase(c.pan, 4000n));
    expect((await client.request(original)).fields[39]).toBe('00');
    expect(await available(c.companyId)).toBe(6_000n);
    const reversal = reversalRequest(original, { transmittedAt: new Date('2026-11-20T10:00:04Z'), stan: nextStan() });
    const answer = await client.request(reversal);
    expect(answer).toMatchObject({ mti: '0410', fields: { 11: reversal.fields[11], 39: '00', 90: reversal.fields[90] } });
    expect(await available(c.companyId)).toBe(10_000n);
    expect(await client.request({ ...reversal, mti: '0401' })).toMatchObject({ mti: '0410', fields: { 39: '00' } });
    expect(await available(c.companyId)).toBe(10_000n);
    expect((await verifyLedger(database.db, c.companyId)).ok).toBe(true);
  });

  it('releases part of the hold when field 95 states what did take place, as an 0420 advice', async () => {
    const c = await company('100.00');
    const original = authorizationRequest(purchase(c.pan, 5000n));
    await client.request(original);
    const partial = reversalRequest(original, { transmittedAt: now, stan: nextStan(), actualAmount: 3200n, mti: '0420' });
    expect(await client.request(partial)).toMatchObject({ mti: '0430', fields: { 39: '00' } });
    expect(await available(c.companyId)).toBe(6_800n);
  });

  it('answers 25 for a reversal of an authorization never seen, 12 for one already reversed', async () => {
    const c = await company('100.00');
    const neverSent = authorizationRequest(purchase(c.pan, 100n));
    expect((await client.request(reversalRequest(neverSent, { transmittedAt: now, stan: nextStan() }))).fields[39]).toBe('25');
    const original = authorizationRequest(purchase(c.pan, 100n));
    await client.request(original);
    await client.request(reversalRequest(original, { transmittedAt: now, stan: nextStan() }));
    expect((await client.request(reversalRequest(original, { transmittedAt: now, stan: nextStan() }))).fields[39]).toBe('12');
  });
});

describe('ISO 8583 network management', () => {
  it('answers sign-on, echo test and sign-off with 0810 and 39=00, and an unknown code with 40', async () => {
    for (const code of ['001', '301', '002'] as const) {
      expect(await client.request(networkManagementRequest(code, now, '000001'))).toEqual({ mti: '0810', fields: { 7: '1120100005', 11: '000001', 39: '00', 70: code } });
    }
    expect((await client.request({ mti: '0800', fields: { 7: '1120100005', 11: '000002', 70: '161' } })).fields[39]).toBe('40');
  });

  it('answers a message type it does not handle (a financial request, 0200) with 40', async () => {
    expect(await client.request({ mti: '0200', fields: { 11: '000003' } })).toEqual({ mti: '0210', fields: { 11: '000003', 39: '40' } });
  });
});
