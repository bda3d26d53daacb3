// The processor deadline: an authorization that cannot be decided in time is answered with the
// documented stand-in (a decline, reason issuer_unavailable) and holds nothing, even when the
// decision would have approved once the way was clear.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { createCompany } from '../../src/companies/companies.service.js';
import { defaultLimits } from '../../src/config/config.js';
import { addActivePerson } from '../../src/people/people.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { getWallet, recordTopUp } from '../../src/wallet/wallet.service.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
const deadlineMs = 300;
let server: RunningServer;
let network: NetworkClient;

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey, limits: { ...defaultLimits(), processorDeadlineMs: deadlineMs } } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
});
afterAll(async () => {
  await server?.close();
});

async function fundedCard() {
  const db = server.database.db;
  const company = await createCompany(db, { name: 'Late Lunch ApS', currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  const person = await addActivePerson(db, company.id, { email: 'late@deadline.test', name: 'Late Holder', roles: ['employee'], password: 'correct horse battery' });
  await recordTopUp(db, company.id, { amount: '100.00', currency: 'EUR', bankReference: 'seed-late', receivedOn: '2026-11-01' }, system, new Date());
  const card = await issueCard(db, encryptionKey, company.id, { userId: person.id, kind: 'virtual' }, system, new Date());
  return { companyId: company.id, cardId: card.id };
}

const purchase = (cardId: string, id = networkId('auth')) => ({
  id,
  cardId,
  amount: '12.50',
  currency: 'EUR',
  merchant: { id: 'm-7', name: 'Slow Kitchen', mcc: '5812', country: 'DK' },
  channel: 'in_person',
  occurredAt: '2026-11-20T12:00:00Z',
});

describe('the processor deadline', () => {
  it('answers the stand-in decline when the decision is late, and the late approval holds nothing', async () => {
    const { companyId, cardId } = await fundedCard();
    const db = server.database.db;
    const request = purchase(cardId);
    // The card's row is locked by another transaction for longer than the deadline (on PGlite
    // the one connection is taken, which stalls the authorization the same way).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const blocker = db.transaction().execute(async (trx) => {
      await sql`select id from cards where id = ${cardId} for update`.execute(trx);
      locked();
      await released;
    });
    await isLocked;
    const answering = network.authorize(request);
    const answer = await answering;
    release();
    await blocker;

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ approved: false, declineReason: 'issuer_unavailable', declinePeriod: null, transactionId: null, state: null, heldAmount: null, settledAmount: null });
    // The authorization went on once the lock was gone, found its deadline passed before the
    // commit, and rolled back. Another purchase on the card queues behind it (for the card's
    // lock, or PGlite's connection), so once that one is answered the late one is done.
    const next = await network.authorize(purchase(cardId));
    expect(next.body).toMatchObject({ approved: true, heldAmount: { amount: '12.50', currency: 'EUR' } });
    const rows = await sql<{ n: number }>`select count(*)::int as n from card_transactions where network_id = ${request.id}`.execute(db);
    expect(rows.rows[0]!.n).toBe(0);
    const wallet = await getWallet(db, companyId);
    expect(wallet.balance - wallet.available).toBe(1250n);

    // The network's retry of the same id is decided afresh, in time.
    const retry = await network.authorize(request);
    expect(retry.body).toMatchObject({ approved: true, state: 'pending' });
  });
});
