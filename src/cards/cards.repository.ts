// All SQL of the cards module: cards, the global card routes, card events and settings, and
// the per-period sums of what a card spent.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CardEventsTable, CardSettingsTable, CardsTable, StoredCardStatus } from '../db/schema.js';
import type { ShippingStatus, StoredCancelReason } from './card-lifecycle.js';
import { periods, periodStart, type Period } from './spend-controls.js';

export type CardRow = Selectable<CardsTable>;
export type CardEventRow = Selectable<CardEventsTable>;
export type CardSettingsRow = Selectable<CardSettingsTable>;

/** Inserts the card and its route (card id -> company, and its number's digest) together. */
export async function insertCard(db: Db, card: Insertable<CardsTable> & { id: string; company_id: string }, panDigest: string): Promise<CardRow> {
  await db.insertInto('card_routes').values({ card_id: card.id, company_id: card.company_id, pan_digest: panDigest }).execute();
  return db.insertInto('cards').values(card).returningAll().executeTakeFirstOrThrow();
}

export async function findCard(db: Db, companyId: string, id: string): Promise<CardRow | undefined> {
  return db.selectFrom('cards').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** The card, locked for the rest of the transaction: changes to one card take turns. */
export async function lockCard(db: Db, companyId: string, id: string): Promise<CardRow | undefined> {
  return db.selectFrom('cards').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface CardWithCompany {
  card: CardRow;
  timeZone: string;
  currency: string;
}

/** Finds a card by its id alone (as the processor names it) through card_routes, and locks
 * it, so concurrent authorizations of one card serialise. */
export async function lockCardByRoute(db: Db, cardId: string): Promise<CardWithCompany | undefined> {
  return (await lockCardsByRoute(db, [cardId]))[0];
}

/** Several cards by their ids alone, locked in one order (company, then card) that every
 * batch of authorizations shares, so batches in different processes never deadlock. */
export async function lockCardsByRoute(db: Db, cardIds: readonly string[]): Promise<CardWithCompany[]> {
  if (cardIds.length === 0) return [];
  const rows = await db
    .selectFrom('card_routes')
    .innerJoin('cards', (join) => join.onRef('cards.company_id', '=', 'card_routes.company_id').onRef('cards.id', '=', 'card_routes.card_id'))
    .innerJoin('companies', 'companies.id', 'cards.company_id')
    .selectAll('cards')
    .select(['companies.time_zone as company_time_zone', 'companies.currency as company_currency'])
    .where('card_routes.card_id', 'in', [...new Set(cardIds)])
    .orderBy('cards.company_id')
    .orderBy('cards.id')
    .forUpdate('cards')
    .execute();
  return rows.map(({ company_time_zone: timeZone, company_currency: currency, ...card }) => ({ card, timeZone, currency }));
}

export async function listCards(db: Db, companyId: string, filter: { userId?: string }, before: string | undefined, limit: number): Promise<CardRow[]> {
  let query = db.selectFrom('cards').selectAll().where('company_id', '=', companyId);
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/** The company's vendor cards that are not cancelled. */
export async function listOpenVendorCards(db: Db, companyId: string): Promise<Pick<CardRow, 'id' | 'user_id' | 'vendor_merchant_id' | 'vendor_merchant_name' | 'status'>[]> {
  return db
    .selectFrom('cards')
    .select(['id', 'user_id', 'vendor_merchant_id', 'vendor_merchant_name', 'status'])
    .where('company_id', '=', companyId)
    .where('kind', '=', 'vendor')
    .where('status', '<>', 'cancelled')
    .execute();
}

export async function countOpenCards(db: Db, companyId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('cards')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('status', '<>', 'cancelled')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type CardPatch = Partial<{
  status: StoredCardStatus;
  shipping_status: ShippingStatus | null;
  controls: string;
  single_use_spent: boolean;
  cancel_reason: StoredCancelReason;
}>;

export async function updateCard(db: Db, companyId: string, id: string, patch: CardPatch): Promise<CardRow> {
  return db
    .updateTable('cards')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertCardEvent(db: Db, event: Omit<CardEventRow, 'created_at' | 'details'> & { details: Record<string, unknown> }): Promise<CardEventRow> {
  return db
    .insertInto('card_events')
    .values({ ...event, details: JSON.stringify(event.details) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listCardEvents(db: Db, companyId: string, cardId: string, before: string | undefined, limit: number): Promise<CardEventRow[]> {
  let query = db.selectFrom('card_events').selectAll().where('company_id', '=', companyId).where('card_id', '=', cardId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/** The most recent event of one action on a card, e.g. who froze it. */
export async function lastCardEvent(db: Db, companyId: string, cardId: string, action: string): Promise<CardEventRow | undefined> {
  return db
    .selectFrom('card_events')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('card_id', '=', cardId)
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findCardSettings(db: Db, companyId: string): Promise<CardSettingsRow | undefined> {
  return db.selectFrom('card_settings').selectAll().where('company_id', '=', companyId).executeTakeFirst();
}

export async function findCardSettingsMany(db: Db, companyIds: readonly string[]): Promise<CardSettingsRow[]> {
  if (companyIds.length === 0) return [];
  return db.selectFrom('card_settings').selectAll().where('company_id', 'in', [...new Set(companyIds)]).execute();
}

/** Creates the row with the column defaults; a concurrent creation wins harmlessly. */
export async function createCardSettings(db: Db, companyId: string): Promise<CardSettingsRow> {
  await db.insertInto('card_settings').values({ company_id: companyId, default_controls: '{}' }).onConflict((oc) => oc.column('company_id').doNothing()).execute();
  return db.selectFrom('card_settings').selectAll().where('company_id', '=', companyId).executeTakeFirstOrThrow();
}

export async function updateCardSettings(
  db: Db,
  companyId: string,
  values: { default_controls: string; fx_markup_basis_points: number; hold_expiry_hours: number; long_hold_expiry_hours: number },
): Promise<CardSettingsRow> {
  return db
    .updateTable('card_settings')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * What the card spent in each period containing `at` (calendar periods in `timeZone`), in
 * the wallet's minor units: the settled amount where a transaction cleared, else what its
 * hold reserved, of purchases, cash withdrawals and force posts held or booked (refunds give
 * no limit back). One query, for use inside the authorization's transaction.
 */
export async function spentByPeriod(db: Db, companyId: string, cardId: string, at: Date, timeZone: string): Promise<Record<Period, bigint>> {
  return (await spentInPeriods(db, [{ companyId, cardId, at, timeZone, periods }]))[0] as Record<Period, bigint>;
}

export interface SpentAsk {
  companyId: string;
  cardId: string;
  at: Date;
  timeZone: string;
  /** The periods to read (an authorization needs only those the card has a limit for). */
  periods: readonly Period[];
}

const quarterHourMs = 15 * 60 * 1000;
const dayMs = 24 * 60 * 60 * 1000;
const ceilTo = (at: Date, stepMs: number) => new Date(Math.ceil(at.getTime() / stepMs) * stepMs);
/** The first UTC month start at or after a UTC midnight. */
const monthFrom = (midnight: Date) => (midnight.getUTCDate() === 1 ? midnight : new Date(Date.UTC(midnight.getUTCFullYear(), midnight.getUTCMonth() + 1, 1)));

/**
 * Where a period's spend is read in card_spend_buckets (migration 0029): for a period starting
 * at `start`, the transactions from `start` to the next quarter hour (none when the period
 * starts on one, as local midnight does in every time zone today), the quarter-hour buckets
 * from there to the next UTC midnight, the day buckets from there to the next UTC month, and
 * the month buckets from there on. The lifetime period is the one bucket of everything.
 */
function bucketRanges(period: Period, start: Date) {
  if (period === 'lifetime') return { whole: true, start, quarterFrom: start, dayFrom: start, monthFrom: start };
  const quarterFrom = ceilTo(start, quarterHourMs);
  const dayFrom = ceilTo(quarterFrom, dayMs);
  return { whole: false, start, quarterFrom, dayFrom, monthFrom: monthFrom(dayFrom) };
}

/**
 * What each ask's card spent in the asked periods that contain the ask's moment, from what is
 * recorded (committed, or written earlier in the caller's transaction), in one query. A period
 * reads at most a day's quarter hours, a month's days and a year's months of buckets, however
 * long the card's history. Answers in the order of the asks, with the asked periods only.
 */
export async function spentInPeriods(db: Db, asks: readonly SpentAsk[]): Promise<Partial<Record<Period, bigint>>[]> {
  const answers = asks.map(() => ({}) as Partial<Record<Period, bigint>>);
  const rows = asks.flatMap((ask, index) =>
    ask.periods.map((period) => {
      const range = bucketRanges(period, periodStart(period, ask.at, ask.timeZone));
      return sql`(${index}::int, ${period}::text, ${ask.companyId}::text, ${ask.cardId}::text, ${range.whole}::boolean, ${range.start}::timestamptz, ${range.quarterFrom}::timestamptz, ${range.dayFrom}::timestamptz, ${range.monthFrom}::timestamptz)`;
    }),
  );
  if (rows.length === 0) return answers;
  const bucketsOf = (width: string, from: ReturnType<typeof sql.ref>, to: ReturnType<typeof sql.ref> | null) =>
    sql`coalesce((select sum(b.amount) from card_spend_buckets b
      where b.company_id = a.company_id and b.card_id = a.card_id and b.width = ${width} and b.bucket_start >= ${from}${to ? sql` and b.bucket_start < ${to}` : sql``}), 0)`;
  const result = await sql<{ ask: number; period: Period; spent: string }>`
    select a.ask, a.period, (case when a.whole
      then coalesce((select b.amount from card_spend_buckets b
        where b.company_id = a.company_id and b.card_id = a.card_id and b.width = 'all' and b.bucket_start = timestamptz '1970-01-01 00:00:00+00'), 0)
      else coalesce((select sum(card_spend_of(t.kind, t.state, t.wallet_amount, t.settled_amount)) from card_transactions t
          where a.start < a.quarter_from and t.company_id = a.company_id and t.card_id = a.card_id and t.occurred_at >= a.start and t.occurred_at < a.quarter_from), 0)
        + ${bucketsOf('quarter', sql.ref('a.quarter_from'), sql.ref('a.day_from'))}
        + ${bucketsOf('day', sql.ref('a.day_from'), sql.ref('a.month_from'))}
        + ${bucketsOf('month', sql.ref('a.month_from'), null)}
      end)::bigint::text as spent
    from (values ${sql.join(rows)}) as a(ask, period, company_id, card_id, whole, start, quarter_from, day_from, month_from)`.execute(db);
  for (const row of result.rows) answers[Number(row.ask)]![row.period] = BigInt(row.spent);
  return answers;
}

/** The card with any of these digests of one number (one under each key of the ring). */
export async function findCardIdByPanDigests(db: Db, digests: readonly string[]): Promise<string | null> {
  if (digests.length === 1) return findCardIdByPanDigest(db, digests[0]!);
  const route = await db.selectFrom('card_routes').select('card_id').where('pan_digest', 'in', digests).executeTakeFirst();
  return route?.card_id ?? null;
}

/** The card whose number has this digest (see pan-digest.ts). */
export async function findCardIdByPanDigest(db: Db, digest: string): Promise<string | null> {
  const route = await db.selectFrom('card_routes').select('card_id').where('pan_digest', '=', digest).executeTakeFirst();
  return route?.card_id ?? null;
}

/** Cards issued before card numbers were digested, a batch at a time. */
export async function listCardsWithoutPanDigest(db: Db, limit: number): Promise<Pick<CardRow, 'company_id' | 'id' | 'pan_ciphertext'>[]> {
  return db
    .selectFrom('card_routes as r')
    .innerJoin('cards as c', (join) => join.onRef('c.company_id', '=', 'r.company_id').onRef('c.id', '=', 'r.card_id'))
    .select(['c.company_id', 'c.id', 'c.pan_ciphertext'])
    .where('r.pan_digest', 'is', null)
    .limit(limit)
    .execute();
}

/** Cards with a secret not written under the key whose values start with `currentPrefix`,
 * in id order after `afterId`, a batch at a time. */
export async function listCardsNotUnderKey(db: Db, currentPrefix: string, afterId: string, limit: number): Promise<Pick<CardRow, 'company_id' | 'id'>[]> {
  const pattern = `${currentPrefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return db
    .selectFrom('cards')
    .select(['company_id', 'id'])
    .where('id', '>', afterId)
    .where((eb) => eb.or([eb('pan_ciphertext', 'not like', pattern), eb('cvv_ciphertext', 'not like', pattern)]))
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** How many cards have their number under each key id (`v1` for values from before key ids). */
export async function countCardsByKey(db: Db): Promise<{ keyId: string; cards: number }[]> {
  const rows = await sql<{ key_id: string; cards: string }>`
    select case when pan_ciphertext like 'v1.%' then 'v1' else split_part(pan_ciphertext, '.', 2) end as key_id, count(*) as cards
      from cards group by 1 order by 1`.execute(db);
  return rows.rows.map((row) => ({ keyId: row.key_id, cards: Number(row.cards) }));
}

/** A card's secrets and number digest rewritten under another key, together. */
export async function rewriteCardSecrets(db: Db, card: Pick<CardRow, 'company_id' | 'id'>, secrets: { panCiphertext: string; cvvCiphertext: string; panDigest: string }): Promise<void> {
  await db.updateTable('cards').set({ pan_ciphertext: secrets.panCiphertext, cvv_ciphertext: secrets.cvvCiphertext }).where('company_id', '=', card.company_id).where('id', '=', card.id).execute();
  await db.updateTable('card_routes').set({ pan_digest: secrets.panDigest }).where('card_id', '=', card.id).execute();
}

export async function setPanDigest(db: Db, cardId: string, digest: string): Promise<void> {
  await db.updateTable('card_routes').set({ pan_digest: digest }).where('card_id', '=', cardId).execute();
}
