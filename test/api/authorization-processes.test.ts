// Batched authorization across three server processes on one PostgreSQL database: purchases
// sent to all three at once drain one wallet, and the wallet never goes below zero, every
// approval holds exactly what it answered, the ledger verifies, and a network id sent to two
// processes at the same moment gets one answer, recorded once.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/auth/actor.js';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { createCompany } from '../../src/companies/companies.service.js';
import { getWallet } from '../../src/ledger/ledger.service.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import { addActivePerson } from '../../src/people/people.service.js';
import { NetworkClient, type SignedResponse } from '../../src/simulator/network-client.js';
import { openTestDatabase, type TestDatabase } from '../../src/test-support/database.js';
import { kioskPurchase } from '../../src/test-support/kiosk-purchase.js';
import { startServerProcess, type ServerProcess } from '../../src/test-support/server-process.js';
import { recordTopUp } from '../../src/wallet/wallet.service.js';

const onServer = Boolean(process.env.DATABASE_URL);
const encryptionKey = randomBytes(32);
const processorSecret = randomBytes(32);
let database: TestDatabase;
let shared: Record<string, string>;
let servers: ServerProcess[] = [];
let networks: NetworkClient[] = [];

beforeAll(async () => {
  if (!onServer) return;
  database = await openTestDatabase();
  shared = {
    DATABASE_URL: database.url!,
    OUTLAY_SESSION_KEY: randomBytes(32).toString('base64'),
    OUTLAY_ENCRYPTION_KEY: encryptionKey.toString('base64'),
    OUTLAY_PROCESSOR_SECRET: processorSecret.toString('base64'),
    OUTLAY_RECEIPT_READERS: '0',
  };
  servers = await Promise.all([1, 2, 3].map(() => startServerProcess(shared)));
  networks = servers.map((server) => new NetworkClient({ baseUrl: server.url, secret: processorSecret }));
}, 240_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await database?.close();
}, 120_000);

/** A company with `cards` cards and `funds` in its wallet. */
async function drainable(name: string, cards: number, funds: string) {
  const db = database.db;
  const company = await createCompany(db, { name, currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  await recordTopUp(db, company.id, { amount: funds, currency: 'EUR', bankReference: `seed-${name}`, receivedOn: '2026-11-01' }, systemActor, new Date());
  const ids: string[] = [];
  for (let i = 0; i < cards; i += 1) {
    // A person holds at most 25 open cards: one holder for each card.
    const holder = await addActivePerson(db, company.id, { email: `holder${i}@drain.test`, name: `Holder ${i}`, roles: ['employee'], password: 'correct horse battery' });
    ids.push((await issueCard(db, encryptionKey, company.id, { userId: holder.id, kind: 'virtual' }, systemActor, new Date())).card.id);
  }
  return { companyId: company.id, cardIds: ids };
}

const purchase = kioskPurchase;

const heldCents = (answer: SignedResponse) => Math.round(Number((answer.body.heldAmount as { amount: string } | null)?.amount ?? 0) * 100);

describe.skipIf(!onServer)('authorizations on three processes', () => {
  it('drain one wallet from all three without going below zero, each repeat answered once', async () => {
    const { companyId, cardIds } = await drainable('Drain Co', 40, '1000.00');
    const sends: Promise<{ request: ReturnType<typeof purchase>; answer: SignedResponse }>[] = [];
    const repeats: { id: string; answers: Promise<SignedResponse[]> }[] = [];
    for (let i = 0; i < 300; i += 1) {
      const request = purchase(cardIds[i % cardIds.length]!, 500 + ((i * 37) % 1500));
      sends.push(networks[i % 3]!.authorize(request).then((answer) => ({ request, answer })));
      if (i % 10 === 0) {
        // The network sends the same message to another process before the first is answered.
        repeats.push({ id: request.id, answers: Promise.all([networks[(i + 1) % 3]!.authorize(request), networks[(i + 2) % 3]!.authorize(request)]) });
      }
    }
    const answered = await Promise.all(sends);
    expect(answered.every(({ answer }) => answer.status === 200)).toBe(true);
    const approved = answered.filter(({ answer }) => answer.body.approved === true);
    const declinedForFunds = answered.filter(({ answer }) => answer.body.declineReason === 'insufficient_funds');
    // 300 purchases of 5.00 to 19.99 ask for far more than 1,000.00: the wallet ran dry.
    expect(approved.length).toBeGreaterThan(40);
    expect(declinedForFunds.length).toBeGreaterThan(100);
    expect(approved.length + declinedForFunds.length).toBe(300);

    // Three processes got the same message at once; all three answered alike.
    const originals = new Map(answered.map(({ request, answer }) => [request.id, answer.body]));
    for (const { id, answers } of repeats) {
      for (const repeat of await answers) {
        expect(repeat.status).toBe(200);
        expect(repeat.body).toEqual(originals.get(id));
      }
    }

    const db = database.db;
    const wallet = await getWallet(db, companyId);
    const heldTotal = approved.reduce((sum, { answer }) => sum + heldCents(answer), 0);
    expect(wallet.available).toBeGreaterThanOrEqual(0n);
    expect(wallet.reserved).toBe(BigInt(heldTotal));
    expect(wallet.balance).toBe(100_000n);
    const rows = await sql<{ n: number; ids: number }>`select count(*)::int as n, count(distinct network_id)::int as ids from card_transactions where company_id = ${companyId}`.execute(db);
    expect(rows.rows[0]).toEqual({ n: 300, ids: 300 });
    expect((await verifyLedger(db, companyId)).ok).toBe(true);
  }, 180_000);

  it('keeps every answered purchase exactly once and nothing half-written when a process is killed mid-batch', async () => {
    const { companyId, cardIds } = await drainable('Crash Co', 30, '100000.00');
    const doomed = await startServerProcess(shared);
    const network = new NetworkClient({ baseUrl: doomed.url, secret: processorSecret });
    const answered: { id: string; body: Record<string, unknown> }[] = [];
    let sent = 0;
    // Purchases keep arriving, 16 at a time, until the process dies under them.
    const senders = Array.from({ length: 16 }, async (_, lane) => {
      for (;;) {
        const request = purchase(cardIds[(sent += 1) % cardIds.length]!, 100 + lane);
        const answer = await network.authorize(request).catch(() => null);
        if (!answer) return;
        if (answer.status === 200) answered.push({ id: request.id, body: answer.body });
      }
    });
    while (answered.length < 200) await new Promise((resolve) => setTimeout(resolve, 20));
    doomed.child.kill('SIGKILL');
    await Promise.all(senders);
    await doomed.stop();

    const db = database.db;
    const recorded = await db
      .selectFrom('card_transactions')
      .select(['network_id', 'id', 'state', 'wallet_amount', 'hold_id'])
      .where('company_id', '=', companyId)
      .execute();
    const byNetworkId = new Map(recorded.map((row) => [row.network_id, row]));
    expect(byNetworkId.size).toBe(recorded.length);
    // Every answer the network got is recorded, as it was answered.
    for (const { id, body } of answered) {
      const row = byNetworkId.get(id);
      expect(row?.id).toBe(body.transactionId);
      expect(row?.state).toBe(body.state);
    }
    // Whatever was recorded but never answered is whole: its hold is there and reserved.
    const holds = await db.selectFrom('pending_transfers').select(['id', 'amount', 'state', 'cause_id']).where('company_id', '=', companyId).execute();
    const holdById = new Map(holds.map((hold) => [hold.id, hold]));
    for (const row of recorded.filter((row) => row.state === 'pending')) {
      expect(holdById.get(row.hold_id!)).toMatchObject({ amount: row.wallet_amount, state: 'pending', cause_id: row.id });
    }
    expect(holds.length).toBe(recorded.filter((row) => row.state === 'pending').length);
    const wallet = await getWallet(db, companyId);
    expect(wallet.reserved).toBe(recorded.filter((row) => row.state === 'pending').reduce((sum, row) => sum + row.wallet_amount, 0n));
    expect((await verifyLedger(db, companyId)).ok).toBe(true);
  }, 180_000);
});
