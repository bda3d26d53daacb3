// SQL of receipts, lost-receipt declarations, forwarding addresses and receipt settings.
// Card transactions and cards are the cards module's: they are locked and read one by one
// through its service. The queries here that still read them (and users and notifications)
// ask "which purchases miss their receipt" across tables in one statement, read-only; each
// says so where it does.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CardTransactionsTable, ReceiptSettingsTable, ReceiptsTable } from '../db/schema.js';

export type ReceiptRow = Selectable<ReceiptsTable>;
export type ReceiptSettingsRow = Selectable<ReceiptSettingsTable>;
export type CardTransactionRow = Selectable<CardTransactionsTable>;

/** Card transactions that want a receipt: purchases and forced bookings that took money. */
export const receiptKinds = ['purchase', 'force_post'] as const;
export const receiptStates = ['pending', 'settled'] as const;

export async function insertReceipt(db: Db, row: Insertable<ReceiptsTable>): Promise<ReceiptRow> {
  return db.insertInto('receipts').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findReceipt(db: Db, companyId: string, id: string): Promise<ReceiptRow | undefined> {
  return db.selectFrom('receipts').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function lockReceipt(db: Db, companyId: string, id: string): Promise<ReceiptRow | undefined> {
  return db.selectFrom('receipts').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateReceipt(db: Db, companyId: string, id: string, patch: Updateable<ReceiptsTable>): Promise<ReceiptRow> {
  return db
    .updateTable('receipts')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Stores a check found again while the caller holds another lock first (a card purchase's
 * expense, under the purchase's lock): the receipt is written only when no one else holds
 * it, so that this order (purchase, then receipt) never waits on matching's (receipt, then
 * purchase). Whoever holds the receipt marks the purchase's expense for another sync, which
 * checks again. Whether it was written.
 */
export async function storeMismatchesUnlessLocked(db: Db, companyId: string, id: string, mismatches: string): Promise<boolean> {
  const free = await db.selectFrom('receipts').select('id').where('company_id', '=', companyId).where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
  if (!free) return false;
  await db.updateTable('receipts').set({ mismatches, updated_at: sql<Date>`now()` }).where('company_id', '=', companyId).where('id', '=', id).execute();
  return true;
}

/** The stored checks of these receipts, for presenting what they are attached to. */
export async function listChecks(db: Db, companyId: string, ids: readonly string[]): Promise<Pick<ReceiptRow, 'id' | 'mismatches' | 'mismatch_note'>[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('receipts').select(['id', 'mismatches', 'mismatch_note']).where('company_id', '=', companyId).where('id', 'in', ids).execute();
}

/** Receipts flagged as duplicates of this one lose the flag (it is about to go). */
export async function clearDuplicateOf(db: Db, companyId: string, id: string): Promise<void> {
  await db
    .updateTable('receipts')
    .set({ duplicate_of: null, duplicate_reason: null, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('duplicate_of', '=', id)
    .execute();
}

export async function deleteReceipt(db: Db, companyId: string, id: string): Promise<void> {
  await db.deleteFrom('receipts').where('company_id', '=', companyId).where('id', '=', id).execute();
}

export interface ReceiptFilter {
  companyId: string;
  userId?: string;
  matchState?: ReceiptRow['match_state'];
  transactionId?: string;
  before?: string;
  limit: number;
}

export async function listReceipts(db: Db, filter: ReceiptFilter): Promise<ReceiptRow[]> {
  let query = db.selectFrom('receipts').selectAll().where('company_id', '=', filter.companyId);
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.matchState) query = query.where('match_state', '=', filter.matchState);
  if (filter.transactionId) query = query.where('transaction_id', '=', filter.transactionId);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function findReceiptOfTransaction(db: Db, companyId: string, transactionId: string): Promise<ReceiptRow | undefined> {
  return db.selectFrom('receipts').selectAll().where('company_id', '=', companyId).where('transaction_id', '=', transactionId).executeTakeFirst();
}

/** The earliest other receipt of the company with the same bytes. */
export async function findSameFile(db: Db, companyId: string, sha256: string, exceptId: string): Promise<ReceiptRow | undefined> {
  return db
    .selectFrom('receipts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('original_sha256', '=', sha256)
    .where('id', '<>', exceptId)
    .orderBy('id')
    .executeTakeFirst();
}

/** The earliest other receipt of the company read with the same date and total (the
 * merchant is compared by the caller, after normalisation). */
export async function findSameContent(db: Db, companyId: string, receipt: Pick<ReceiptRow, 'id' | 'purchase_date' | 'total_amount'>): Promise<ReceiptRow[]> {
  if (receipt.purchase_date === null || receipt.total_amount === null) return [];
  return db
    .selectFrom('receipts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('purchase_date', '=', receipt.purchase_date)
    .where('total_amount', '=', receipt.total_amount)
    .where('id', '<>', receipt.id)
    .orderBy('id')
    .limit(20)
    .execute();
}

/** Unmatched receipts that have been read, oldest first: the ones a late transaction may fit. */
export async function listWaitingReceipts(db: Db, since: Date, limit: number): Promise<Pick<ReceiptRow, 'company_id' | 'id'>[]> {
  return db
    .selectFrom('receipts')
    .select(['company_id', 'id'])
    .where('match_state', '<>', 'matched')
    .where('read_state', 'in', ['read', 'failed'])
    .where('duplicate_of', 'is', null)
    .where('created_at', '>=', since)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}

// --- Transactions as receipts see them ----------------------------------------------------

/** A person's card transactions around a date that still want a receipt. Reads card_transactions
 * (cards' table): the candidates without a receipt are one query, run on every receipt read. */
export async function listOpenTransactions(db: Db, companyId: string, userId: string, from: Date, to: Date, limit: number): Promise<CardTransactionRow[]> {
  return db
    .selectFrom('card_transactions as t')
    .selectAll('t')
    .where('t.company_id', '=', companyId)
    .where('t.user_id', '=', userId)
    .where('t.kind', 'in', receiptKinds)
    .where('t.state', 'in', receiptStates)
    .where('t.occurred_at', '>=', from)
    .where('t.occurred_at', '<', to)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('receipts as r').select('r.id').whereRef('r.company_id', '=', 't.company_id').whereRef('r.transaction_id', '=', 't.id'))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('lost_receipts as l').select('l.transaction_id').whereRef('l.company_id', '=', 't.company_id').whereRef('l.transaction_id', '=', 't.id'))),
    )
    .orderBy('t.occurred_at', 'desc')
    .limit(limit)
    .execute();
}

/** The transactions receipts' suggestions name, read from card_transactions (cards' table) in
 * one query for a page of receipts, where the cards service reads them one at a time. */
export async function findTransactions(db: Db, companyId: string, ids: readonly string[]): Promise<CardTransactionRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('card_transactions').selectAll().where('company_id', '=', companyId).where('id', 'in', ids).execute();
}

export interface MissingFilter {
  companyId: string;
  userId?: string;
  requiredAbove: bigint;
  /** Only transactions that happened before this. */
  occurredBefore?: Date;
  before?: string;
  limit: number;
}

/** Card transactions (cards' table, read-only) without a receipt or a lost declaration: one
 * query, so that the missing list pages and counts in the database. */
function missingReceipts(db: Db, filter: Omit<MissingFilter, 'limit' | 'before'>) {
  let query = db
    .selectFrom('card_transactions as t')
    .where('t.company_id', '=', filter.companyId)
    .where('t.kind', 'in', receiptKinds)
    .where('t.state', 'in', receiptStates)
    .where(sql<bigint>`coalesce(t.settled_amount, t.wallet_amount)`, '>', filter.requiredAbove)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('receipts as r').select('r.id').whereRef('r.company_id', '=', 't.company_id').whereRef('r.transaction_id', '=', 't.id'))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('lost_receipts as l').select('l.transaction_id').whereRef('l.company_id', '=', 't.company_id').whereRef('l.transaction_id', '=', 't.id'))),
    );
  if (filter.userId) query = query.where('t.user_id', '=', filter.userId);
  if (filter.occurredBefore) query = query.where('t.occurred_at', '<', filter.occurredBefore);
  return query;
}

/** Card transactions still missing a receipt, newest first. */
export async function listMissing(db: Db, filter: MissingFilter): Promise<CardTransactionRow[]> {
  let query = missingReceipts(db, filter).selectAll('t');
  if (filter.before) query = query.where('t.id', '<', filter.before);
  return query.orderBy('t.id', 'desc').limit(filter.limit).execute();
}

export interface MissingByPerson {
  user_id: string;
  missing: number;
  oldest: Date;
}

export async function countMissingByPerson(db: Db, filter: Omit<MissingFilter, 'limit' | 'before'>, limit: number): Promise<MissingByPerson[]> {
  const rows = await missingReceipts(db, filter)
    .select(['t.user_id', sql<string>`count(*)`.as('missing'), sql<Date>`min(t.occurred_at)`.as('oldest')])
    .groupBy('t.user_id')
    .orderBy('oldest')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ user_id: row.user_id, missing: Number(row.missing), oldest: row.oldest }));
}

// --- Sweeps across companies -----------------------------------------------------------------

export interface SweepDefaults {
  requiredAbove: bigint;
  reminderAfterDays: number;
}

export interface OverdueTransaction {
  company_id: string;
  id: string;
  user_id: string;
  card_id: string;
  merchant_name: string;
  occurred_at: Date;
  amount: bigint;
  wallet_currency: string;
}

/** Transactions of every company missing their receipt for longer than the company's
 * reminder delay, whose person has not been reminded of them yet. The sweep's one read-only
 * query across card_transactions, users and notifications (other modules' tables). */
export async function listDueReminders(db: Db, now: Date, defaults: SweepDefaults, limit: number): Promise<OverdueTransaction[]> {
  const result = await sql<OverdueTransaction>`
    select t.company_id, t.id, t.user_id, t.card_id, t.merchant_name, t.occurred_at,
           coalesce(t.settled_amount, t.wallet_amount) as amount, t.wallet_currency
    from card_transactions t
    join users u on u.company_id = t.company_id and u.id = t.user_id and u.status = 'active'
    left join receipt_settings s on s.company_id = t.company_id
    where t.kind in ('purchase', 'force_post') and t.state in ('pending', 'settled')
      and coalesce(t.settled_amount, t.wallet_amount) > coalesce(s.required_above, ${defaults.requiredAbove})
      and t.occurred_at < ${now}::timestamptz - make_interval(days => coalesce(s.reminder_after_days, ${defaults.reminderAfterDays}))
      and not exists (select 1 from receipts r where r.company_id = t.company_id and r.transaction_id = t.id)
      and not exists (select 1 from lost_receipts l where l.company_id = t.company_id and l.transaction_id = t.id)
      and not exists (select 1 from notifications n where n.company_id = t.company_id and n.kind = 'receipt_missing' and n.subject_id = t.id)
    order by t.occurred_at
    limit ${limit}`.execute(db);
  return result.rows;
}

/** Active cards whose company freezes for missing receipts and that have a transaction
 * missing its receipt for longer than the company allows. Reads cards and card_transactions
 * (cards' tables) in one query for the sweep; the freeze itself goes through cards' service. */
export async function listCardsToFreeze(db: Db, now: Date, defaults: Pick<SweepDefaults, 'requiredAbove'>, limit: number) {
  const result = await sql<{ company_id: string; card_id: string; overdue: string }>`
    select c.company_id, c.id as card_id, count(*) as overdue
    from cards c
    join receipt_settings s on s.company_id = c.company_id and s.freeze_after_days is not null
    join card_transactions t on t.company_id = c.company_id and t.card_id = c.id
    where c.status = 'active'
      and t.kind in ('purchase', 'force_post') and t.state in ('pending', 'settled')
      and coalesce(t.settled_amount, t.wallet_amount) > coalesce(s.required_above, ${defaults.requiredAbove})
      and t.occurred_at < ${now}::timestamptz - make_interval(days => s.freeze_after_days)
      and not exists (select 1 from receipts r where r.company_id = t.company_id and r.transaction_id = t.id)
      and not exists (select 1 from lost_receipts l where l.company_id = t.company_id and l.transaction_id = t.id)
    group by c.company_id, c.id
    order by c.company_id, c.id
    limit ${limit}`.execute(db);
  return result.rows.map((row) => ({ companyId: row.company_id, cardId: row.card_id, overdue: Number(row.overdue) }));
}

/** How many of the card's transactions are missing their receipt past the company's
 * freeze delay (0 when the company does not freeze). Reads card_transactions (cards' table):
 * a count joined with the receipts, in one query. */
export async function countOverdueOfCard(db: Db, companyId: string, cardId: string, now: Date, defaults: Pick<SweepDefaults, 'requiredAbove'>): Promise<number> {
  const result = await sql<{ overdue: string }>`
    select count(*) as overdue
    from card_transactions t
    join receipt_settings s on s.company_id = t.company_id and s.freeze_after_days is not null
    where t.company_id = ${companyId} and t.card_id = ${cardId}
      and t.kind in ('purchase', 'force_post') and t.state in ('pending', 'settled')
      and coalesce(t.settled_amount, t.wallet_amount) > coalesce(s.required_above, ${defaults.requiredAbove})
      and t.occurred_at < ${now}::timestamptz - make_interval(days => s.freeze_after_days)
      and not exists (select 1 from receipts r where r.company_id = t.company_id and r.transaction_id = t.id)
      and not exists (select 1 from lost_receipts l where l.company_id = t.company_id and l.transaction_id = t.id)`.execute(db);
  return Number(result.rows[0]?.overdue ?? 0);
}

/** Cards Outlay itself froze for missing receipts and that are still frozen. Reads cards and
 * card_events (cards' tables) in one query for the sweep; the unfreeze goes through cards' service. */
export async function listCardsFrozenForReceipts(db: Db, limit: number): Promise<{ companyId: string; cardId: string; userId: string }[]> {
  const result = await sql<{ company_id: string; card_id: string; user_id: string }>`
    select c.company_id, c.id as card_id, c.user_id
    from cards c
    where c.status = 'frozen'
      and (select e.actor_type = 'system' and e.reason = ${receiptsFreezeReason}
           from card_events e
           where e.company_id = c.company_id and e.card_id = c.id and e.action = 'frozen'
           order by e.id desc limit 1)
    order by c.company_id, c.id
    limit ${limit}`.execute(db);
  return result.rows.map((row) => ({ companyId: row.company_id, cardId: row.card_id, userId: row.user_id }));
}

/** The reason on card events of freezes and unfreezes for missing receipts. */
export const receiptsFreezeReason = 'receipts_missing';

// --- Lost receipts ---------------------------------------------------------------------------

export async function insertLostReceipt(db: Db, row: { company_id: string; transaction_id: string; note: string; declared_by: string }): Promise<void> {
  await db.insertInto('lost_receipts').values(row).execute();
}

/** Of the transactions, those with a receipt or a receipt declared lost. */
export async function listTransactionsWithAnyReceipt(db: Db, companyId: string, transactionIds: readonly string[]): Promise<string[]> {
  if (transactionIds.length === 0) return [];
  const ids = [...transactionIds];
  const rows = await db
    .selectFrom('receipts')
    .select('transaction_id')
    .where('company_id', '=', companyId)
    .where('transaction_id', 'in', ids)
    .union(db.selectFrom('lost_receipts').select('transaction_id').where('company_id', '=', companyId).where('transaction_id', 'in', ids))
    .execute();
  return rows.flatMap((row) => (row.transaction_id ? [row.transaction_id] : []));
}

export async function findLostReceipt(db: Db, companyId: string, transactionId: string) {
  return db.selectFrom('lost_receipts').selectAll().where('company_id', '=', companyId).where('transaction_id', '=', transactionId).executeTakeFirst();
}

export async function deleteLostReceipt(db: Db, companyId: string, transactionId: string): Promise<void> {
  await db.deleteFrom('lost_receipts').where('company_id', '=', companyId).where('transaction_id', '=', transactionId).execute();
}

// --- Forwarding addresses --------------------------------------------------------------------

export async function findAddressOfUser(db: Db, companyId: string, userId: string) {
  return db.selectFrom('receipt_addresses').selectAll().where('company_id', '=', companyId).where('user_id', '=', userId).executeTakeFirst();
}

/** Creates the address unless the person has one; returns theirs either way. */
export async function ensureAddress(db: Db, row: { token: string; company_id: string; user_id: string }) {
  await db.insertInto('receipt_addresses').values(row).onConflict((oc) => oc.columns(['company_id', 'user_id']).doNothing()).execute();
  return db.selectFrom('receipt_addresses').selectAll().where('company_id', '=', row.company_id).where('user_id', '=', row.user_id).executeTakeFirstOrThrow();
}

export async function countReceiptsOfMessage(db: Db, companyId: string, userId: string, messageId: string, sha256: string): Promise<number> {
  const row = await db
    .selectFrom('receipts')
    .select(sql<string>`count(*)`.as('count'))
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('email_message_id', '=', messageId)
    .where('original_sha256', '=', sha256)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findAddressByToken(db: Db, token: string) {
  return db.selectFrom('receipt_addresses').selectAll().where('token', '=', token).executeTakeFirst();
}

// --- Settings --------------------------------------------------------------------------------

export async function findSettings(db: Db, companyId: string): Promise<ReceiptSettingsRow | undefined> {
  return db.selectFrom('receipt_settings').selectAll().where('company_id', '=', companyId).executeTakeFirst();
}

export async function ensureSettings(db: Db, companyId: string): Promise<ReceiptSettingsRow> {
  await db.insertInto('receipt_settings').values({ company_id: companyId }).onConflict((oc) => oc.column('company_id').doNothing()).execute();
  return db.selectFrom('receipt_settings').selectAll().where('company_id', '=', companyId).executeTakeFirstOrThrow();
}

export async function updateSettings(db: Db, companyId: string, patch: Updateable<ReceiptSettingsTable>): Promise<ReceiptSettingsRow> {
  return db
    .updateTable('receipt_settings')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Receipts left "reading" longer than a reading can take (a process died on its last try). */
export async function failStaleReadings(db: Db, before: Date, message: string): Promise<number> {
  const rows = await db
    .updateTable('receipts')
    .set({ read_state: 'failed', read_error: message, updated_at: sql<Date>`now()` })
    .where('read_state', '=', 'reading')
    .where('updated_at', '<', before)
    .returning('id')
    .execute();
  return rows.length;
}
