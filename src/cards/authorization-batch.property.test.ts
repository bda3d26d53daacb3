// The batched engine decides as the standard one does: for any messages in any order, deciding
// them together in one batch gives every message the same answer, and leaves the same holds,
// wallet and card spend, as deciding them one at a time. Two companies alike in everything
// (cards, controls, funds) take the same messages, one through each engine.
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../auth/actor.js';
import { createCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { defaultFlags } from '../flags/feature-flags.js';
import { getWallet } from '../ledger/ledger.service.js';
import { verifyLedger } from '../ledger/verify.js';
import { parseAmount } from '../money/money.js';
import { addActivePerson } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { testPasswordCost } from '../test-support/server.js';
import { recordTopUp } from '../wallet/wallet.service.js';
import { decideBatch, type BatchMember } from './authorization-batch.js';
import type { AuthorizationOutcome, CheckedRequest } from './authorization-parts.js';
import { authorizeAlone } from './authorization.service.js';
import { issueCard } from './card-issuing.service.js';

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

const cardsPerCompany = 3;
const merchants = [
  { id: null, name: 'Cafe Nord', mcc: '5812', country: 'DK' },
  { id: null, name: 'Lucky Casino', mcc: '7995', country: 'MT' },
  { id: null, name: 'Grocer Am Markt', mcc: '5411', country: 'DE' },
  { id: 'mrc_cloud', name: 'CloudHost', mcc: '5734', country: 'IE' },
];

interface Message {
  card: number;
  /** Whole euros. */
  euros: number;
  merchant: number;
  /** Minutes after the run's start; messages come in any order of these. */
  minutes: number;
  /** Sends an earlier message's network id again (same or other terms) instead of a new one. */
  repeatOf: number | null;
  currency: 'EUR' | 'XAF';
}

const message = fc.record({
  card: fc.integer({ min: 0, max: cardsPerCompany - 1 }),
  euros: fc.integer({ min: 1, max: 120 }),
  merchant: fc.integer({ min: 0, max: merchants.length - 1 }),
  minutes: fc.integer({ min: 0, max: 4 * 24 * 60 }),
  repeatOf: fc.option(fc.nat({ max: 40 }), { freq: 6 }),
  currency: fc.constantFrom<('EUR' | 'XAF')[]>('EUR', 'EUR', 'EUR', 'EUR', 'XAF'),
});

/** A company with three cards (one single-use, one locked to a vendor) and 200.00 in its wallet. */
async function company(name: string, start: Date): Promise<string[]> {
  const created = await createCompany(db, { name, currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  const admin = await addActivePerson(db, created.id, { email: `admin@${name.toLowerCase()}.test`, name: 'Admin', roles: ['admin'], password: 'a-long-enough-password' }, testPasswordCost);
  await recordTopUp(db, created.id, { amount: '200.00', currency: 'EUR', bankReference: `TOPUP-${name}`, receivedOn: start.toISOString().slice(0, 10) }, systemActor, start);
  const controls = { perPurchaseMax: '90.00', limits: { daily: '150.00', weekly: '260.00' }, categories: { block: ['gambling'] } };
  const actor = { actorType: 'user' as const, actorId: admin.id };
  const ids: string[] = [];
  for (const extra of [{}, { kind: 'single_use' as const }, { kind: 'vendor' as const, vendor: { merchantId: 'mrc_cloud' } }]) {
    const view = await issueCard(db, key, created.id, { userId: admin.id, kind: 'virtual', purpose: 'Travel', controls, ...extra }, actor, start);
    ids.push(view.card.id);
  }
  return ids;
}

function requestsOf(messages: readonly Message[], cards: readonly string[], prefix: string, start: Date): CheckedRequest[] {
  return messages.map((m, index) => {
    const repeated = m.repeatOf !== null && m.repeatOf < index ? m.repeatOf : null;
    const shape = repeated !== null && index % 2 === 0 ? messages[repeated]! : m;
    return {
      networkId: `${prefix}-${repeated ?? index}`,
      cardId: cards[shape.card]!,
      amount: shape.currency === 'XAF' ? String(shape.euros * 650) : `${shape.euros}.00`,
      currency: shape.currency,
      merchant: merchants[shape.merchant]!,
      channel: 'online',
      kind: 'purchase',
      occurredAt: new Date(start.getTime() + shape.minutes * 60_000),
    };
  });
}

type Answer = { approved: boolean; reason: string | null; period: string | null; walletAmount: string | null; state: string | null } | { error: string };

function answerOf(outcome: AuthorizationOutcome): Answer {
  const row = outcome.transaction;
  return { approved: outcome.approved, reason: outcome.declineReason, period: outcome.declinePeriod, walletAmount: row ? String(row.wallet_amount) : null, state: row?.state ?? null };
}

const errorOf = (error: unknown): Answer => ({ error: error instanceof DomainError ? error.code : String(error) });

function member(request: CheckedRequest, now: Date): BatchMember {
  return { request, merchantAmount: parseAmount(request.amount, request.currency), now };
}

async function holdsOf(companyId: string) {
  const rows = await db.selectFrom('card_transactions').select(['network_id', 'state', 'wallet_amount', 'hold_id']).where('company_id', '=', companyId).orderBy('network_id').execute();
  const holds = await db.selectFrom('pending_transfers').select(['amount', 'state']).where('company_id', '=', companyId).orderBy('amount').execute();
  return { rows: rows.map((row) => ({ ...row, hold_id: row.hold_id !== null })), holds };
}

describe('the batched authorization engine', () => {
  it('answers, holds and books as deciding the same messages one at a time does, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 40 }), async (messages) => {
        runs += 1;
        const start = new Date(Date.UTC(2031, 2, 3, 8, 0, 0));
        const alone = await company(`Alone${runs}`, start);
        const batched = await company(`Batched${runs}`, start);

        const aloneAnswers: Answer[] = [];
        for (const request of requestsOf(messages, alone, `a${runs}`, start)) {
          aloneAnswers.push(await authorizeAlone(db, member(request, start)).then(answerOf, errorOf));
        }
        const results = await db.transaction().execute((trx) => decideBatch(trx, defaultFlags, requestsOf(messages, batched, `a${runs}`, start).map((request) => member(request, start))));
        const batchedAnswers = results.map((result): Answer => ('outcome' in result ? answerOf(result.outcome) : 'error' in result ? errorOf(result.error) : { error: 'decided alone' }));
        expect(batchedAnswers).toEqual(aloneAnswers);

        const [aloneCompany, batchedCompany] = await Promise.all(
          [alone, batched].map((cards) => db.selectFrom('cards').select('company_id').where('id', '=', cards[0]!).executeTakeFirstOrThrow().then((row) => row.company_id)),
        );
        expect(await holdsOf(batchedCompany!)).toEqual(await holdsOf(aloneCompany!));
        const [aloneWallet, batchedWallet] = await Promise.all([getWallet(db, aloneCompany!), getWallet(db, batchedCompany!)]);
        expect({ available: batchedWallet.available, reserved: batchedWallet.reserved }).toEqual({ available: aloneWallet.available, reserved: aloneWallet.reserved });
        expect((await verifyLedger(db, batchedCompany)).ok).toBe(true);
      }),
      { numRuns: 30, seed: Number(process.env.PROPERTY_SEED ?? 1) },
    );
  }, 300_000);
});
