// A card's spend per period read from its buckets (migration 0029, kept by a trigger on
// card_transactions) equals the sum over its transactions, for any transactions, any later
// changes to them (clearings for another amount, reversals, expiries, refunds, deletions, a
// row moved to another card, several rows in one statement), any moment, any time zone
// (half-hour and quarter-hour zones with their summer time, and Kiritimati's -10:40 of the
// 1970s, whose midnight was no quarter hour) and any choice of periods.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { openCardWorld, type CardWorld } from '../test-support/cards.js';
import { spentInPeriods, type CardRow } from './cards.repository.js';
import { periods, periodStart, type Period } from './spend-controls.js';

let world: CardWorld;
let db: Db;

beforeAll(async () => {
  world = await openCardWorld();
  db = world.db;
});
afterAll(async () => {
  await world?.database.close();
});

/** The rule the buckets keep, as a scan of every transaction of the card: the oracle. The
 * lifetime is everything the card spent, whatever the moment's year. */
async function spentByScan(card: CardRow, at: Date, timeZone: string): Promise<Record<Period, bigint>> {
  const spent = {} as Record<Period, bigint>;
  for (const period of periods) {
    const row = await sql<{ spent: string }>`
      select coalesce(sum(coalesce(settled_amount, wallet_amount)), 0)::text as spent from card_transactions
      where company_id = ${card.company_id} and card_id = ${card.id}
        and kind in ('purchase', 'atm_withdrawal', 'force_post') and state in ('pending', 'settled')
        and (${period === 'lifetime'} or occurred_at >= ${periodStart(period, at, timeZone)})`.execute(db);
    spent[period] = BigInt(row.rows[0]!.spent);
  }
  return spent;
}

const timeZones = ['UTC', 'Europe/Copenhagen', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata', 'America/Los_Angeles', 'Pacific/Kiritimati'];
const kinds = ['purchase', 'atm_withdrawal', 'force_post', 'refund'] as const;
const states = ['declined', 'pending', 'settled', 'reversed', 'expired', 'refund_reversed'] as const;
const span = { from: Date.parse('2024-12-20T00:00:00Z'), to: Date.parse('2026-01-10T00:00:00Z') };
/** Moments clustered around midnights and period starts as well as spread over the span. */
const moment = fc.oneof(
  fc.integer({ min: span.from, max: span.to }),
  fc.tuple(fc.integer({ min: 0, max: 385 }), fc.integer({ min: -90, max: 90 })).map(([day, minutes]) => span.from + day * 86_400_000 + minutes * 60_000 + 11 * 3_600_000),
  fc.tuple(fc.constantFrom('2025-01-01', '2025-03-30', '2025-04-06', '2025-06-01', '2025-10-05', '2025-10-26', '2026-01-01'), fc.integer({ min: -900, max: 900 })).map(([day, minutes]) => Date.parse(`${day}T00:00:00Z`) + minutes * 60_000),
  // Kiritimati's midnights of the 1970s, 10:40 UTC, and the minutes around them.
  fc.tuple(fc.constantFrom('1969-12-31', '1975-01-01', '1975-03-01', '1975-06-14'), fc.integer({ min: -1_500, max: 1_500 })).map(([day, minutes]) => Date.parse(`${day}T10:40:00Z`) + minutes * 60_000),
);

const transaction = fc.record({
  at: moment,
  kind: fc.constantFrom(...kinds),
  state: fc.constantFrom(...states),
  held: fc.bigInt({ min: 0n, max: 500_000n }),
  settled: fc.option(fc.bigInt({ min: 0n, max: 500_000n }), { nil: null }),
});
type Transaction = typeof transaction extends fc.Arbitrary<infer T> ? T : never;

const change = fc.oneof(
  fc.record({ kind: fc.constant('state' as const), rows: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), state: fc.constantFrom(...states) }),
  fc.record({ kind: fc.constant('settle' as const), row: fc.nat(), settled: fc.option(fc.bigInt({ min: 0n, max: 500_000n }), { nil: null }) }),
  fc.record({ kind: fc.constant('moved' as const), row: fc.nat(), at: moment }),
  fc.record({ kind: fc.constant('deleted' as const), row: fc.nat() }),
  fc.record({ kind: fc.constant('other card' as const), row: fc.nat() }),
);

let counter = 0;
const nextId = () => `ctx_b${String(++counter).padStart(25, '0')}`;

async function insertAll(card: CardRow, rows: readonly Transaction[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const ids = rows.map(() => nextId());
  // One statement for all of them, as a batch of authorizations writes them.
  await sql`
    insert into card_transactions (company_id, id, network_id, card_id, user_id, kind, state, merchant_name, mcc, merchant_country,
      channel, merchant_amount, merchant_currency, wallet_amount, settled_amount, wallet_currency, occurred_at)
    values ${sql.join(rows.map((row, index) => sql`(${card.company_id}, ${ids[index]!}, ${`net-${ids[index]!}`}, ${card.id}, ${card.user_id}, ${row.kind}, ${row.state}, 'Shop', '5734', 'DK',
      'online', ${row.held}, 'EUR', ${row.held}, ${row.settled}, 'EUR', ${new Date(row.at)})`))}`.execute(db);
  return ids;
}

async function apply(card: CardRow, other: CardRow, ids: string[], step: typeof change extends fc.Arbitrary<infer T> ? T : never): Promise<void> {
  if (ids.length === 0) return;
  const pick = (index: number) => ids[index % ids.length]!;
  const where = (id: string) => sql`company_id = ${card.company_id} and id = ${id}`;
  switch (step.kind) {
    case 'state':
      await sql`update card_transactions set state = ${step.state} where company_id = ${card.company_id} and id in (${sql.join([...new Set(step.rows.map(pick))])})`.execute(db);
      return;
    case 'settle':
      await sql`update card_transactions set settled_amount = ${step.settled} where ${where(pick(step.row))}`.execute(db);
      return;
    case 'moved':
      await sql`update card_transactions set occurred_at = ${new Date(step.at)} where ${where(pick(step.row))}`.execute(db);
      return;
    case 'other card':
      await sql`update card_transactions set card_id = ${other.id} where ${where(pick(step.row))}`.execute(db);
      return;
    case 'deleted': {
      const id = pick(step.row);
      await sql`delete from card_transactions where ${where(id)}`.execute(db);
      ids.splice(ids.indexOf(id), 1);
    }
  }
}

describe('card spend from buckets', () => {
  it('equals the sum over the card\'s transactions, for any transactions, changes, moment and time zone', async () => {
    // One card for every run: each run starts by deleting what the last one left, so the
    // buckets must come back to nothing through the trigger too.
    const { card } = await world.issueVirtual(world.employee);
    const { card: other } = await world.issueVirtual(world.employee);
    await fc.assert(
      fc.asyncProperty(
        fc.array(transaction, { maxLength: 30 }),
        fc.array(change, { maxLength: 12 }),
        fc.array(fc.tuple(moment, fc.constantFrom(...timeZones), fc.subarray([...periods])), { minLength: 1, maxLength: 4 }),
        async (transactions, changes, asks) => {
          await sql`delete from card_transactions where company_id = ${card.company_id} and card_id in (${card.id}, ${other.id})`.execute(db);
          const ids = await insertAll(card, transactions);
          for (const step of changes) await apply(card, other, ids, step);
          const cards = [card, other];
          const read = await spentInPeriods(db, asks.flatMap(([at, timeZone, wanted]) => cards.map((one) => ({ companyId: one.company_id, cardId: one.id, at: new Date(at), timeZone, periods: wanted }))));
          for (const [index, [at, timeZone, wanted]] of asks.entries()) {
            for (const [position, one] of cards.entries()) {
              const scanned = await spentByScan(one, new Date(at), timeZone);
              expect(read[index * cards.length + position]).toEqual(Object.fromEntries(wanted.map((period) => [period, scanned[period]])));
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads the transactions themselves where a period starts between quarter hours', async () => {
    // Kiritimati kept -10:40 until 1979: the daily period of 1 March 1975 started at 10:40
    // UTC, five minutes before a quarter hour.
    const { card } = await world.issueVirtual(world.colleague);
    const moments = ['1975-03-01T10:39:59Z', '1975-03-01T10:40:00Z', '1975-03-01T10:44:59Z', '1975-03-01T10:45:00Z', '1975-03-01T19:00:00Z'];
    await insertAll(card, moments.map((at, index) => ({ at: Date.parse(at), kind: 'purchase', state: 'pending', held: 10n ** BigInt(index), settled: null })));
    const at = new Date('1975-03-01T20:00:00Z');
    const [read] = await spentInPeriods(db, [{ companyId: card.company_id, cardId: card.id, at, timeZone: 'Pacific/Kiritimati', periods: ['daily', 'lifetime'] }]);
    expect(read).toEqual({ daily: 11110n, lifetime: 11111n });
    expect(read!.daily).toBe((await spentByScan(card, at, 'Pacific/Kiritimati')).daily);
  });

  it('writes no bucket for a change that spends nothing, and refuses to empty the table at once', async () => {
    const { card } = await world.issueVirtual(world.colleague);
    const [id] = await insertAll(card, [{ at: Date.parse('2025-05-05T10:07:00Z'), kind: 'purchase', state: 'pending', held: 1234n, settled: null }]);
    const buckets = () => sql<{ width: string; bucket_start: Date; amount: string }>`
      select width, bucket_start, amount::text as amount from card_spend_buckets where company_id = ${card.company_id} and card_id = ${card.id} order by width, bucket_start`.execute(db).then((result) => result.rows);
    expect(await buckets()).toEqual([
      { width: 'all', bucket_start: new Date('1970-01-01T00:00:00Z'), amount: '1234' },
      { width: 'day', bucket_start: new Date('2025-05-05T00:00:00Z'), amount: '1234' },
      { width: 'month', bucket_start: new Date('2025-05-01T00:00:00Z'), amount: '1234' },
      { width: 'quarter', bucket_start: new Date('2025-05-05T10:00:00Z'), amount: '1234' },
    ]);
    await sql`update card_transactions set expense_synced = true where company_id = ${card.company_id} and id = ${id!}`.execute(db);
    // A refund spends nothing, held or taken back.
    const [refund] = await insertAll(card, [{ at: Date.parse('2025-05-05T11:00:00Z'), kind: 'refund', state: 'settled', held: 500n, settled: 500n }]);
    await sql`update card_transactions set state = 'refund_reversed' where company_id = ${card.company_id} and id = ${refund!}`.execute(db);
    expect((await buckets()).map((bucket) => bucket.amount)).toEqual(['1234', '1234', '1234', '1234']);
    await sql`update card_transactions set settled_amount = 1000, state = 'settled' where company_id = ${card.company_id} and id = ${id!}`.execute(db);
    expect((await buckets()).map((bucket) => bucket.amount)).toEqual(['1000', '1000', '1000', '1000']);
    await expect(sql`truncate card_transactions cascade`.execute(db)).rejects.toThrow(/cannot be truncated/);
  });
});
