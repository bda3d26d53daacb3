// Lifecycle messages applied in a batch end as they do one at a time: for any clearings,
// reversals, expiries and refunds (whole, partial, above the hold or what is left to refund, of
// declined, pending or settled purchases, on the wrong card, repeated with the same or other
// terms, a message id taken again by another), applying them together answers each the same
// and leaves the same transactions, holds, wallet and ledger as applying them one by one in
// the order they came. Two companies alike in everything take the same messages, one through
// each path; the members the batch leaves alone are applied after it, as its batcher does.
import fc from 'fast-check';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../auth/actor.js';
import { createCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { defaultFlags } from '../flags/feature-flags.js';
import { getWallet } from '../ledger/ledger.service.js';
import { verifyLedger } from '../ledger/verify.js';
import { addActivePerson } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { testPasswordCost } from '../test-support/server.js';
import { recordTopUp } from '../wallet/wallet.service.js';
import { authorizeAlone } from './authorization.service.js';
import { issueCard } from './card-issuing.service.js';
import { applyEventBatch } from './network-event-batch.js';
import { applyNetworkEventAlone, type NetworkEvent, type NetworkEventOutcome } from './network-events.service.js';

let database: TestDatabase;
let db: Db;
const key = randomBytes(32);
let runs = 0;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database?.close();
});

/** Purchases in euros: above 500 the card's per-purchase limit declines them. */
const purchase = fc.record({ euros: fc.integer({ min: 1, max: 600 }), singleUse: fc.boolean() });

const lifecycle = fc.record({
  purchase: fc.nat({ max: 11 }),
  type: fc.constantFrom<Lifecycle['type'][]>('clearing', 'clearing', 'reversal', 'expiry', 'refund', 'refund', 'refund_reversal'),
  /** whole: the amount held; unnamed: no amount (a whole reversal); half; above: 5.00 more. */
  portion: fc.constantFrom<('whole' | 'unnamed' | 'half' | 'above')[]>('whole', 'whole', 'unnamed', 'half', 'above'),
  repeatOf: fc.option(fc.nat({ max: 30 }), { freq: 5 }),
  wrongCard: fc.integer({ min: 0, max: 99 }).map((roll) => roll < 8),
});

type Purchase = { euros: number; singleUse: boolean };
type Lifecycle = { purchase: number; type: 'clearing' | 'reversal' | 'expiry' | 'refund' | 'refund_reversal'; portion: 'whole' | 'unnamed' | 'half' | 'above'; repeatOf: number | null; wrongCard: boolean };

/** A company with an ordinary and a single-use card and 100,000.00 in its wallet (no message
 * here can take it below zero, so the order of unrelated messages cannot change a figure). */
async function company(name: string, start: Date): Promise<{ id: string; cards: { ordinary: string; singleUse: string } }> {
  const created = await createCompany(db, { name, currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  const admin = await addActivePerson(db, created.id, { email: `admin@${name.toLowerCase()}.test`, name: 'Admin', roles: ['admin'], password: 'a-long-enough-password' }, testPasswordCost);
  await recordTopUp(db, created.id, { amount: '100000.00', currency: 'EUR', bankReference: `TOPUP-${name}`, receivedOn: start.toISOString().slice(0, 10) }, systemActor, start);
  const actor = { actorType: 'user' as const, actorId: admin.id };
  const controls = { perPurchaseMax: '500.00' };
  const ordinary = await issueCard(db, key, created.id, { userId: admin.id, kind: 'virtual', purpose: 'Travel', controls }, actor, start);
  const singleUse = await issueCard(db, key, created.id, { userId: admin.id, kind: 'single_use', purpose: 'Once', controls }, actor, start);
  return { id: created.id, cards: { ordinary: ordinary.card.id, singleUse: singleUse.card.id } };
}

async function authorizeAll(cards: { ordinary: string; singleUse: string }, purchases: readonly Purchase[], start: Date): Promise<void> {
  for (const [index, bought] of purchases.entries()) {
    await authorizeAlone(db, {
      request: {
        networkId: `p${index}`,
        cardId: bought.singleUse ? cards.singleUse : cards.ordinary,
        amount: `${bought.euros}.00`,
        currency: 'EUR',
        merchant: { id: null, name: `Shop ${index}`, mcc: '5812', country: 'DK' },
        channel: 'online',
        kind: 'purchase',
        occurredAt: start,
      },
      merchantAmount: BigInt(bought.euros) * 100n,
      now: start,
    });
  }
}

async function clearBefore(cards: { ordinary: string; singleUse: string }, purchases: readonly Purchase[], cleared: readonly number[], at: Date): Promise<void> {
  for (const target of new Set(cleared.map((index) => index % purchases.length))) {
    const bought = purchases[target]!;
    const event: NetworkEvent = { id: `c${target}`, type: 'clearing', cardId: bought.singleUse ? cards.singleUse : cards.ordinary, transactionNetworkId: `p${target}`, amount: `${bought.euros}.00`, currency: 'EUR', occurredAt: at };
    // A declined purchase cannot be cleared: it stays as it is, in both companies alike.
    await applyNetworkEventAlone(db, event, at).catch((error: unknown) => {
      if (!(error instanceof DomainError)) throw error;
    });
    // Every other one cleared is refunded a third before the batch (refund r<n>, which a
    // refund_reversal of the batch may take back), so later refunds have less left.
    if (target % 2 === 1) continue;
    const third = (BigInt(bought.euros) * 100n) / 3n || 1n;
    const refund: NetworkEvent = { ...event, id: `r${target}`, type: 'refund', amount: `${third / 100n}.${String(third % 100n).padStart(2, '0')}` };
    await applyNetworkEventAlone(db, refund, at);
  }
}

function eventsOf(messages: readonly Lifecycle[], purchases: readonly Purchase[], cards: { ordinary: string; singleUse: string }, at: Date): NetworkEvent[] {
  return messages.map((m, index) => {
    const repeated = m.repeatOf !== null && m.repeatOf < index ? m.repeatOf : null;
    // A repeat with an even index keeps the first's terms; an odd one brings its own.
    const shape = repeated !== null && index % 2 === 0 ? messages[repeated]! : m;
    const target = shape.purchase % purchases.length;
    const held = BigInt(purchases[target]!.euros) * 100n;
    const minor = shape.portion === 'half' ? (held / 2n > 0n ? held / 2n : 1n) : shape.portion === 'above' ? held + 500n : held;
    const card = purchases[target]!.singleUse !== shape.wrongCard ? cards.singleUse : cards.ordinary;
    return {
      id: `m${repeated ?? index}`,
      type: shape.type,
      cardId: card,
      transactionNetworkId: shape.type === 'refund_reversal' ? `r${target}` : `p${target}`,
      ...((shape.portion === 'unnamed' && (shape.type === 'reversal' || shape.type === 'refund')) || shape.type === 'expiry' || shape.type === 'refund_reversal' ? {} : { amount: `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`, currency: 'EUR' }),
      occurredAt: at,
    };
  });
}

type Answer = { accepted: boolean; reason: string | null; state: string | null; settled: string | null; held: string | null } | { error: string };

const answerOf = (outcome: NetworkEventOutcome): Answer => ({
  accepted: outcome.accepted,
  reason: outcome.reason,
  state: outcome.transaction?.state ?? null,
  settled: outcome.transaction?.settled_amount?.toString() ?? null,
  held: outcome.transaction?.wallet_amount.toString() ?? null,
});
const errorOf = (error: unknown): Answer => ({ error: error instanceof DomainError ? error.code : String(error) });

async function stateOf(companyId: string) {
  // Rows are compared by what they say, with the purchase a refund refunds named by its network id.
  const transactions = (
    await sql`
      select t.network_id, t.kind, t.state, t.wallet_amount, t.merchant_amount, t.settled_amount, t.shortfall, t.refunded_amount,
        t.refunded_merchant_amount, t.merchant_credit_reason, t.expense_synced, o.network_id as refund_of, t.merchant_name, t.mcc,
        t.merchant_country, t.channel, t.occurred_at, t.settled_at, t.fx_rate, t.wallet_currency, t.merchant_currency,
        (t.card_id = (select min(id) from cards where company_id = t.company_id and kind = 'single_use')) as single_use_card
      from card_transactions t left join card_transactions o on o.company_id = t.company_id and o.id = t.refund_of
      where t.company_id = ${companyId} order by t.network_id`.execute(db)
  ).rows;
  const holds = await db.selectFrom('pending_transfers').select(['amount', 'state', 'posted_amount']).where('company_id', '=', companyId).orderBy('amount').orderBy('state').orderBy('posted_amount').execute();
  const recorded = await db.selectFrom('card_network_events').select(['network_event_id', 'type', 'wallet_amount', 'outcome']).where('company_id', '=', companyId).orderBy('network_event_id').execute();
  // Entries by what they book: kind, description, effective date and each posting's account and amount.
  const entries = (
    await sql`
      select e.kind, e.description, e.effective_at, string_agg(a.code || ' ' || p.amount, ', ' order by p.line) as postings
      from journal_entries e join postings p on p.company_id = e.company_id and p.entry_id = e.id join ledger_accounts a on a.company_id = p.company_id and a.id = p.account_id
      where e.company_id = ${companyId} and e.kind <> 'wallet_top_up'
      group by e.id, e.kind, e.description, e.effective_at order by 1, 2, 4`.execute(db)
  ).rows;
  const wallet = await getWallet(db, companyId);
  return { transactions, holds, recorded, entries, wallet: { balance: wallet.balance, available: wallet.available, reserved: wallet.reserved } };
}

describe('lifecycle messages applied in a batch', () => {
  it('answer and book as applying them one at a time does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(purchase, { minLength: 1, maxLength: 12 }), fc.array(fc.nat({ max: 11 }), { maxLength: 8 }), fc.array(lifecycle, { minLength: 1, maxLength: 30 }), async (purchases, cleared, messages) => {
        runs += 1;
        const start = new Date(Date.UTC(2031, 4, 5, 9, 0, 0));
        const later = new Date(start.getTime() + 3600_000);
        const alone = await company(`Alone${runs}`, start);
        const batched = await company(`Batched${runs}`, start);
        await authorizeAll(alone.cards, purchases, start);
        await authorizeAll(batched.cards, purchases, start);
        // Some purchases are cleared before the batch, so that refunds have something to refund.
        for (const subject of [alone, batched]) await clearBefore(subject.cards, purchases, cleared, start);
        // As if the expense sync had run: what the messages mark to follow again shows.
        await db.updateTable('card_transactions').set({ expense_synced: true }).where('company_id', 'in', [alone.id, batched.id]).execute();

        const aloneAnswers: Answer[] = [];
        for (const event of eventsOf(messages, purchases, alone.cards, later)) aloneAnswers.push(await applyNetworkEventAlone(db, event, later).then(answerOf, errorOf));

        const events = eventsOf(messages, purchases, batched.cards, later);
        const results = await db.transaction().execute((trx) => applyEventBatch(trx, defaultFlags, events.map((event) => ({ event, now: later }))));
        const batchedAnswers: Answer[] = [];
        for (const [index, result] of results.entries()) {
          if ('outcome' in result) batchedAnswers.push(answerOf(result.outcome));
          else if ('error' in result) batchedAnswers.push(errorOf(result.error));
          else batchedAnswers.push({ error: 'pending' });
          expect(result, `message ${index}`).toBeDefined();
        }
        // What the batch left alone runs after it, in the order it came.
        for (const [index, result] of results.entries()) {
          if ('alone' in result) batchedAnswers[index] = await applyNetworkEventAlone(db, events[index]!, later).then(answerOf, errorOf);
        }
        expect(batchedAnswers).toEqual(aloneAnswers);
        const [aloneState, batchedState] = [await stateOf(alone.id), await stateOf(batched.id)];
        expect(batchedState).toEqual(aloneState);
        expect((await verifyLedger(db, batched.id)).ok).toBe(true);
      }),
      { numRuns: 25, seed: Number(process.env.PROPERTY_SEED ?? 1) },
    );
  }, 600_000);

  it('takes a clearing within the hold and a whole reversal into the batch, and leaves the rest alone', async () => {
    const start = new Date(Date.UTC(2031, 4, 6, 9, 0, 0));
    const subject = await company('Kinds', start);
    await authorizeAll(subject.cards, [{ euros: 40, singleUse: false }, { euros: 30, singleUse: false }, { euros: 20, singleUse: false }, { euros: 10, singleUse: true }, { euros: 50, singleUse: false }], start);
    const event = (id: string, type: 'clearing' | 'reversal', target: number, amount?: string, card = subject.cards.ordinary): NetworkEvent => ({
      id,
      type,
      cardId: card,
      transactionNetworkId: `p${target}`,
      ...(amount ? { amount, currency: 'EUR' } : {}),
      occurredAt: start,
    });
    const members = [
      event('within', 'clearing', 0, '35.00'),
      event('whole-reversal', 'reversal', 1),
      event('above', 'clearing', 2, '25.00'),
      event('single-use', 'clearing', 3, '10.00', subject.cards.singleUse),
      event('partial-reversal', 'reversal', 4, '20.00'),
      event('second-of-transaction', 'clearing', 0, '35.00'),
      event('within', 'clearing', 0, '35.00'),
    ].map((e) => ({ event: e, now: start }));
    const results = await db.transaction().execute((trx) => applyEventBatch(trx, defaultFlags, members));
    expect(results.map((result) => ('outcome' in result ? result.outcome.transaction?.state : 'alone' in result ? 'alone' : 'error'))).toEqual(['settled', 'reversed', 'alone', 'alone', 'alone', 'alone', 'alone']);
    const repeat = await applyNetworkEventAlone(db, members[6]!.event, start);
    expect(repeat.transaction?.settled_amount).toBe(3500n);
    expect((await verifyLedger(db, subject.id)).ok).toBe(true);
  });

  it('takes a refund of a cleared purchase of its card into the batch, and leaves credits and later refunds of it alone', async () => {
    const start = new Date(Date.UTC(2031, 4, 7, 9, 0, 0));
    const subject = await company('Refunds', start);
    await authorizeAll(subject.cards, [{ euros: 40, singleUse: false }, { euros: 30, singleUse: false }, { euros: 20, singleUse: false }], start);
    await clearBefore(subject.cards, [{ euros: 40, singleUse: false }, { euros: 30, singleUse: false }, { euros: 20, singleUse: false }], [0, 1], start);
    await db.updateTable('card_transactions').set({ expense_synced: true }).where('company_id', '=', subject.id).execute();
    const before = await getWallet(db, subject.id);
    const refund = (id: string, target: number | null, amount?: string): NetworkEvent => ({
      id,
      type: 'refund',
      cardId: subject.cards.ordinary,
      ...(target === null ? { merchant: { id: null, name: 'Shop', mcc: '5812', country: 'DK' } } : { transactionNetworkId: `p${target}` }),
      ...(amount ? { amount, currency: 'EUR' } : {}),
      occurredAt: start,
    });
    const members = [refund('part', 0, '15.00'), refund('rest', 1), refund('pending', 2, '5.00'), refund('again', 0, '10.00'), refund('unnamed', null, '3.00')].map((e) => ({ event: e, now: start }));
    const results = await db.transaction().execute((trx) => applyEventBatch(trx, defaultFlags, members));
    expect(results.map((result) => ('outcome' in result ? result.outcome.transaction?.refunded_amount?.toString() : 'alone' in result ? 'alone' : 'error'))).toEqual(['1500', '3000', 'alone', 'alone', 'alone']);
    const after = await getWallet(db, subject.id);
    expect(after.balance - before.balance).toBe(4500n);
    const purchases = await db.selectFrom('card_transactions').select(['network_id', 'expense_synced']).where('company_id', '=', subject.id).where('kind', '=', 'purchase').orderBy('network_id').execute();
    expect(purchases).toEqual([{ network_id: 'p0', expense_synced: false }, { network_id: 'p1', expense_synced: false }, { network_id: 'p2', expense_synced: true }]);
    const again = await applyNetworkEventAlone(db, members[3]!.event, start);
    expect(again.transaction?.refunded_amount).toBe(1000n);
    const over = await applyNetworkEventAlone(db, refund('over', 0, '20.00'), start);
    // 40.00 cleared, 13.33 refunded before the batch, 15.00 and 10.00 since: 1.67 left.
    expect([over.transaction?.refunded_amount, over.transaction?.merchant_credit_reason]).toEqual([167n, 'exceeds_refundable']);
    // A refund reversal names the refund, not the purchase: a refund after it in the batch goes
    // alone, behind it, and sees what it gave back (10.00 taken back before, 15.00 in the batch).
    const takeBack = (id: string, refundId: string): NetworkEvent => ({ id, type: 'refund_reversal', cardId: subject.cards.ordinary, transactionNetworkId: refundId, occurredAt: start });
    await applyNetworkEventAlone(db, takeBack('back-again', 'again'), start);
    const second = [takeBack('back-part', 'part'), refund('all-left', 0)].map((e) => ({ event: e, now: start }));
    const secondResults = await db.transaction().execute((trx) => applyEventBatch(trx, defaultFlags, second));
    expect(secondResults.map((result) => ('alone' in result ? 'alone' : 'other'))).toEqual(['alone', 'alone']);
    await applyNetworkEventAlone(db, second[0]!.event, start);
    const allLeft = await applyNetworkEventAlone(db, second[1]!.event, start);
    expect(allLeft.transaction?.refunded_amount).toBe(2500n);
    expect((await verifyLedger(db, subject.id)).ok).toBe(true);
  });
});
