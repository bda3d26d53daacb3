// A card's controls on a real database: changing them, what the card spent in each calendar
// period of the company's time zone, and what is left of each limit.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { UserRow } from '../people/people.service.js';
import { asUser, cardEventsOf, openCardWorld, refusal, type CardWorld } from '../test-support/cards.js';
import { getCardLimits, updateControls } from './card-controls.service.js';
import type { IssueCardInput } from './card-issuing.service.js';
import { spentByPeriod, type CardRow } from './cards.repository.js';

/** The instant the services are told it is, where a test does not name one. */
const now = new Date();
let world: CardWorld;
let db: Db;
let company: CompanyRow;
let admin: UserRow;
let employee: UserRow;

beforeAll(async () => {
  world = await openCardWorld();
  ({ db, company, admin, employee } = world);
});
afterAll(async () => {
  await world?.database.close();
});

const issueVirtual = (holder: UserRow, extra: Partial<IssueCardInput> = {}, now?: Date) => world.issueVirtual(holder, extra, now);

let transactionCounter = 0;
async function insertTransaction(card: CardRow, row: { kind?: string; state?: string; walletAmount: bigint; settledAmount?: bigint | null; occurredAt: string }) {
  const id = `ctx_${String(++transactionCounter).padStart(26, '0')}`;
  await sql`
    insert into card_transactions (company_id, id, network_id, card_id, user_id, kind, state, merchant_name, mcc, merchant_country,
      channel, merchant_amount, merchant_currency, wallet_amount, settled_amount, wallet_currency, occurred_at)
    values (${card.company_id}, ${id}, ${`net-${id}`}, ${card.id}, ${card.user_id}, ${row.kind ?? 'purchase'}, ${row.state ?? 'pending'}, 'Shop', '5734', 'DK',
      'online', ${row.walletAmount}, 'EUR', ${row.walletAmount}, ${row.settledAmount ?? null}, 'EUR', ${row.occurredAt})`.execute(db);
}

describe('changing controls', () => {
  it('changes only the controls given, recording the change', async () => {
    const { card } = await issueVirtual(employee, { controls: { perPurchaseMax: '50.00', channels: ['online'] } });
    const updated = await updateControls(db, asUser(admin), card.id, { limits: { weekly: '300.00' } }, now);
    expect({ perPurchaseMax: updated.controls.perPurchaseMax, channels: updated.controls.channels, limits: updated.controls.limits }).toEqual({
      perPurchaseMax: 5000n,
      channels: ['online'],
      limits: { weekly: 30000n },
    });
    expect(await refusal(updateControls(db, asUser(admin), card.id, { validFrom: '2026-05-02T00:00:00Z', validUntil: '2026-05-01T00:00:00Z' }, now))).toMatchObject({ field: 'validUntil' });
    expect(await refusal(updateControls(db, asUser(employee), card.id, { channels: null }, now))).toMatchObject({ code: 'forbidden' });
    expect((await cardEventsOf(db, card.id)).at(-1)).toMatchObject({ action: 'controls_changed', actorId: admin.id });
  });
});

describe('spending per period', () => {
  const at = new Date('2026-03-18T10:00:00Z'); // a Wednesday; Copenhagen is UTC+1 until 29 March

  it('sums held and settled spend per calendar period in the company time zone', async () => {
    const { card } = await issueVirtual(employee);
    const { card: otherCard } = await issueVirtual(employee);
    const rows: [string, bigint, bigint | null, string, string][] = [
      // occurred (UTC), held, settled, kind, state
      ['2026-03-18T08:00:00Z', 1000n, null, 'purchase', 'pending'], // today
      ['2026-03-17T23:30:00Z', 500n, 450n, 'purchase', 'settled'], // 00:30 local today: counts as settled
      ['2026-03-17T22:30:00Z', 200n, null, 'purchase', 'pending'], // 23:30 local yesterday
      ['2026-03-15T23:30:00Z', 300n, null, 'atm_withdrawal', 'pending'], // Monday 00:30 local
      ['2026-03-15T22:30:00Z', 70n, 70n, 'force_post', 'settled'], // Sunday 23:30 local
      ['2026-02-28T23:30:00Z', 11n, null, 'purchase', 'pending'], // 1 March 00:30 local
      ['2026-02-28T22:30:00Z', 13n, null, 'purchase', 'pending'], // 28 February local
      ['2025-12-31T23:30:00Z', 17n, null, 'purchase', 'pending'], // 1 January 00:30 local
      ['2025-12-31T22:30:00Z', 19n, null, 'purchase', 'pending'], // last year
      // Never counted: declined, reversed, expired, refunds.
      ['2026-03-18T08:00:00Z', 10000n, null, 'purchase', 'declined'],
      ['2026-03-18T08:00:00Z', 10000n, null, 'purchase', 'reversed'],
      ['2026-03-18T08:00:00Z', 10000n, null, 'purchase', 'expired'],
      ['2026-03-18T08:00:00Z', 10000n, 10000n, 'refund', 'settled'],
      ['2026-03-18T08:00:00Z', 10000n, 10000n, 'refund', 'refund_reversed'],
    ];
    for (const [occurredAt, walletAmount, settledAmount, kind, state] of rows) await insertTransaction(card, { occurredAt, walletAmount, settledAmount, kind, state });
    await insertTransaction(otherCard, { occurredAt: '2026-03-18T08:00:00Z', walletAmount: 10000n });

    expect(await spentByPeriod(db, company.id, card.id, at, company.time_zone)).toEqual({
      daily: 1450n,
      weekly: 1950n,
      monthly: 2031n,
      yearly: 2061n,
      lifetime: 2080n,
    });
  });

  it('is zero for a card that spent nothing', async () => {
    const { card } = await issueVirtual(employee);
    expect(await spentByPeriod(db, company.id, card.id, at, 'UTC')).toEqual({ daily: 0n, weekly: 0n, monthly: 0n, yearly: 0n, lifetime: 0n });
  });

  it('reports what is left of each limit, never below zero', async () => {
    const { card } = await issueVirtual(employee, { controls: { perPurchaseMax: '40.00', limits: { daily: '50.00', monthly: '100.00' } } });
    await insertTransaction(card, { occurredAt: now.toISOString(), walletAmount: 3000n });
    await insertTransaction(card, { occurredAt: now.toISOString(), walletAmount: 2500n, settledAmount: 2500n, state: 'settled' });
    const limits = await getCardLimits(db, asUser(employee), card.id, now);
    expect(limits.currency).toBe('EUR');
    expect(limits.perPurchaseMax).toBe(4000n);
    expect(limits.periods.daily).toEqual({ limit: 5000n, spent: 5500n, remaining: 0n });
    expect(limits.periods.monthly).toEqual({ limit: 10000n, spent: 5500n, remaining: 4500n });
    expect(limits.periods.weekly).toEqual({ limit: null, spent: 5500n, remaining: null });
  });
});
