// SQL of card transactions and their network events.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CardNetworkEventsTable, CardTransactionsTable } from '../db/schema.js';
import { noteCardTransactionChange } from './card-transaction-changes.js';

export type CardTransactionRow = Selectable<CardTransactionsTable>;
export type NetworkEventRow = Selectable<CardNetworkEventsTable>;

export async function findByNetworkId(db: Db, companyId: string, networkId: string): Promise<CardTransactionRow | undefined> {
  return db
    .selectFrom('card_transactions')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('network_id', '=', networkId)
    .executeTakeFirst();
}

/** The transactions whose company and `column` match one of the pairs, in no particular order. */
async function findByCompanyPairs(db: Db, column: 'id' | 'network_id', pairs: readonly { companyId: string; value: string }[]): Promise<CardTransactionRow[]> {
  if (pairs.length === 0) return [];
  const rows = await db
    .selectFrom('card_transactions')
    .selectAll()
    .where('company_id', 'in', [...new Set(pairs.map((pair) => pair.companyId))])
    .where(column, 'in', [...new Set(pairs.map((pair) => pair.value))])
    .execute();
  const wanted = new Set(pairs.map((pair) => `${pair.companyId}/${pair.value}`));
  return rows.filter((row) => wanted.has(`${row.company_id}/${row[column]}`));
}

/** The transactions recorded under any of these (company, network id) pairs. */
export async function findByNetworkIds(db: Db, keys: readonly { companyId: string; networkId: string }[]): Promise<CardTransactionRow[]> {
  return findByCompanyPairs(db, 'network_id', keys.map((key) => ({ companyId: key.companyId, value: key.networkId })));
}

/** Locks the transaction row: lifecycle events of one purchase apply one at a time. */
export async function lockByNetworkId(db: Db, companyId: string, networkId: string): Promise<CardTransactionRow | undefined> {
  return db
    .selectFrom('card_transactions')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('network_id', '=', networkId)
    .forUpdate()
    .executeTakeFirst();
}

/** Whether the row is a purchase whose expense follows it (as listUnsyncedForExpenses picks them). */
const hasExpense = (row: Pick<CardTransactionRow, 'kind' | 'state'>) => (row.kind === 'purchase' || row.kind === 'force_post') && row.state !== 'declined';

export async function insertTransaction(db: Db, row: Insertable<CardTransactionsTable>): Promise<CardTransactionRow> {
  const inserted = await db.insertInto('card_transactions').values(row).returningAll().executeTakeFirstOrThrow();
  if (hasExpense(inserted)) noteCardTransactionChange(db, { companyId: inserted.company_id, transactionId: inserted.id });
  return inserted;
}

/** Several rows in one statement; answers them in the order given. */
export async function insertTransactions(db: Db, rows: readonly Insertable<CardTransactionsTable>[]): Promise<CardTransactionRow[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('card_transactions').values([...rows]).returningAll().execute();
  const byId = new Map(inserted.map((row) => [row.id, row]));
  const ordered = rows.map((row) => byId.get(row.id as string)!);
  for (const row of ordered) if (hasExpense(row)) noteCardTransactionChange(db, { companyId: row.company_id, transactionId: row.id });
  return ordered;
}

export async function updateTransaction(
  db: Db,
  companyId: string,
  id: string,
  patch: Updateable<CardTransactionsTable>,
): Promise<CardTransactionRow> {
  const updated = await db
    .updateTable('card_transactions')
    // Any change leaves the transaction's expense to be brought in step (src/expenses).
    .set({ ...patch, updated_at: sql<Date>`now()`, expense_synced: false })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (hasExpense(updated)) noteCardTransactionChange(db, { companyId, transactionId: id });
  return updated;
}

export async function findNetworkEvent(db: Db, companyId: string, networkEventId: string): Promise<NetworkEventRow | undefined> {
  return db
    .selectFrom('card_network_events')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('network_event_id', '=', networkEventId)
    .executeTakeFirst();
}

export async function insertNetworkEvent(db: Db, row: Insertable<CardNetworkEventsTable>): Promise<void> {
  await db.insertInto('card_network_events').values(row).execute();
}

/** Locks many transactions by their network ids, in one order (company, then id) for every
 * caller, so two batches never deadlock on them. */
export async function lockByNetworkIds(db: Db, keys: readonly { companyId: string; networkId: string }[]): Promise<CardTransactionRow[]> {
  if (keys.length === 0) return [];
  const values = keys.map((key) => sql`(${key.companyId}::text, ${key.networkId}::text)`);
  const result = await sql<CardTransactionRow>`
    select t.* from card_transactions t
    join (values ${sql.join(values)}) as k(company_id, network_id) on t.company_id = k.company_id and t.network_id = k.network_id
    order by t.company_id, t.id
    for update of t`.execute(db);
  return result.rows;
}

/** The network messages recorded under these ids. */
export async function findNetworkEvents(db: Db, keys: readonly { companyId: string; networkEventId: string }[]): Promise<NetworkEventRow[]> {
  if (keys.length === 0) return [];
  const values = keys.map((key) => sql`(${key.companyId}::text, ${key.networkEventId}::text)`);
  const result = await sql<NetworkEventRow>`
    select e.* from card_network_events e
    join (values ${sql.join(values)}) as k(company_id, network_event_id) on e.company_id = k.company_id and e.network_event_id = k.network_event_id`.execute(db);
  return result.rows;
}

export async function insertNetworkEvents(db: Db, rows: readonly Insertable<CardNetworkEventsTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('card_network_events').values([...rows]).execute();
}

/** A lifecycle change of many transactions at once: reversed, or settled with its figures. */
export interface TransactionOutcomeChange {
  companyId: string;
  id: string;
  state: 'settled' | 'reversed' | 'expired';
  settled?: { amount: bigint; merchantAmount: bigint; fxRate: string | null; at: Date; shortfall: bigint };
}

/** updateTransaction for many rows in one statement; returns them in the order given. */
export async function updateTransactionOutcomes(db: Db, changes: readonly TransactionOutcomeChange[]): Promise<CardTransactionRow[]> {
  if (changes.length === 0) return [];
  const values = changes.map(
    (change) =>
      sql`(${change.companyId}::text, ${change.id}::text, ${change.state}::text, ${change.settled !== undefined}::boolean, ${change.settled?.amount ?? null}::bigint, ${change.settled?.merchantAmount ?? null}::bigint, ${change.settled?.fxRate ?? null}::numeric, ${change.settled?.at ?? null}::timestamptz, ${change.settled?.shortfall ?? null}::bigint)`,
  );
  const result = await sql<CardTransactionRow>`
    update card_transactions t
    set state = v.state, updated_at = now(), expense_synced = false,
      settled_amount = case when v.settles then v.settled_amount else t.settled_amount end,
      settled_merchant_amount = case when v.settles then v.settled_merchant_amount else t.settled_merchant_amount end,
      fx_rate = case when v.settles then v.fx_rate else t.fx_rate end,
      settled_at = case when v.settles then v.settled_at else t.settled_at end,
      shortfall = case when v.settles then v.shortfall else t.shortfall end
    from (values ${sql.join(values)}) as v(company_id, id, state, settles, settled_amount, settled_merchant_amount, fx_rate, settled_at, shortfall)
    where t.company_id = v.company_id and t.id = v.id
    returning t.*`.execute(db);
  const byId = new Map(result.rows.map((row) => [`${row.company_id}/${row.id}`, row]));
  const ordered = changes.map((change) => {
    const row = byId.get(`${change.companyId}/${change.id}`);
    if (!row) throw new Error(`card transaction ${change.id} vanished while locked`);
    return row;
  });
  for (const row of ordered) if (hasExpense(row)) noteCardTransactionChange(db, { companyId: row.company_id, transactionId: row.id });
  return ordered;
}

/** A person's card purchase as subscription detection reads it. */
export type ChargeRow = Pick<CardTransactionRow, 'id' | 'card_id' | 'user_id' | 'merchant_id' | 'merchant_name' | 'mcc' | 'wallet_currency' | 'occurred_at'> & { amount: bigint };

/** Purchases held or booked since `since`, newest first, at most `limit` (the newest). */
export async function listChargesSince(db: Db, companyId: string, since: Date, limit: number): Promise<ChargeRow[]> {
  return db
    .selectFrom('card_transactions')
    .select(['id', 'card_id', 'user_id', 'merchant_id', 'merchant_name', 'mcc', 'wallet_currency', 'occurred_at', sql<bigint>`coalesce(settled_amount, wallet_amount)`.as('amount')])
    .where('company_id', '=', companyId)
    .where('kind', 'in', ['purchase', 'force_post'])
    .where('state', 'in', ['pending', 'settled'])
    .where('occurred_at', '>=', since)
    .orderBy('occurred_at', 'desc')
    .limit(limit)
    .execute();
}

/** Whether a transaction's receipt is in, declared lost, still wanted, or not needed. */
export type ReceiptState = 'attached' | 'lost' | 'missing' | 'not_required';

export interface CardTransactionWithReceipt extends CardTransactionRow {
  receipt_state: ReceiptState;
  receipt_id: string | null;
  lost_note: string | null;
  /** Where the attached receipt disagrees with the purchase ([{field, reason}]), and why it was attached all the same. */
  receipt_mismatches: unknown[];
  receipt_note: string | null;
}

/** Card transactions with their receipt's state: purchases and forced bookings that took
 * more than the company's receipt threshold want one (src/receipts owns the rules' data). */
export function withReceipt(db: Db) {
  return db
    .selectFrom('card_transactions as t')
    // Read-only joins with receipts' tables: a page of transactions with their receipt states in one query, not one call per row.
    .leftJoin('receipts as r', (join) => join.onRef('r.company_id', '=', 't.company_id').onRef('r.transaction_id', '=', 't.id'))
    .leftJoin('lost_receipts as l', (join) => join.onRef('l.company_id', '=', 't.company_id').onRef('l.transaction_id', '=', 't.id'))
    .leftJoin('receipt_settings as s', 's.company_id', 't.company_id')
    .selectAll('t')
    .select([
      'r.id as receipt_id',
      'l.note as lost_note',
      sql<unknown[]>`coalesce(r.mismatches, '[]'::jsonb)`.as('receipt_mismatches'),
      'r.mismatch_note as receipt_note',
      sql<ReceiptState>`case
        when r.id is not null then 'attached'
        when l.transaction_id is not null then 'lost'
        when t.kind in ('purchase', 'force_post') and t.state in ('pending', 'settled')
             and coalesce(t.settled_amount, t.wallet_amount) > coalesce(s.required_above, 0) then 'missing'
        else 'not_required' end`.as('receipt_state'),
    ]);
}

export async function findTransactionWithReceipt(db: Db, companyId: string, id: string): Promise<CardTransactionWithReceipt | undefined> {
  return withReceipt(db).where('t.company_id', '=', companyId).where('t.id', '=', id).executeTakeFirst();
}

export async function findTransaction(db: Db, companyId: string, id: string): Promise<CardTransactionRow | undefined> {
  return db.selectFrom('card_transactions').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** The transactions of these (company, id) pairs, in no particular order. */
export async function findTransactionsOfCompanies(db: Db, keys: readonly { companyId: string; id: string }[]): Promise<CardTransactionRow[]> {
  return findByCompanyPairs(db, 'id', keys.map((key) => ({ companyId: key.companyId, value: key.id })));
}

/** Card transactions changed since their expense was last brought in step (see migration 0004). */
export async function listUnsyncedForExpenses(db: Db, limit: number): Promise<Pick<CardTransactionRow, 'company_id' | 'id'>[]> {
  return db
    .selectFrom('card_transactions')
    .select(['company_id', 'id'])
    .where('expense_synced', '=', false)
    .where('kind', 'in', ['purchase', 'force_post'])
    .where('state', '<>', 'declined')
    .orderBy('company_id')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function lockTransaction(db: Db, companyId: string, id: string): Promise<CardTransactionRow | undefined> {
  return db.selectFrom('card_transactions').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks the transactions in id order (as lockByNetworkIds takes them), so two callers never deadlock on them. */
export async function lockTransactions(db: Db, companyId: string, ids: readonly string[]): Promise<CardTransactionRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('card_transactions').selectAll().where('company_id', '=', companyId).where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

/** The expense agrees with the transaction as it is now (the caller holds its lock). */
export async function markExpensesSynced(db: Db, companyId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('card_transactions').set({ expense_synced: true }).where('company_id', '=', companyId).where('id', 'in', ids).execute();
}

/** Something the expenses depend on changed (their receipts, their purchases' refunds): bring
 * them in step again. Transactions of any companies, in one statement. */
export async function markExpensesUnsyncedOf(db: Db, keys: readonly { companyId: string; id: string }[]): Promise<void> {
  if (keys.length === 0) return;
  const values = keys.map((key) => sql`(${key.companyId}::text, ${key.id}::text)`);
  await sql`
    update card_transactions t set expense_synced = false
    from (values ${sql.join(values)}) as k(company_id, id)
    where t.company_id = k.company_id and t.id = k.id`.execute(db);
  for (const key of keys) noteCardTransactionChange(db, { companyId: key.companyId, transactionId: key.id });
}

/** The receipt state of each of the transactions (see withReceipt). */
export async function listWithReceipts(db: Db, companyId: string, ids: readonly string[]): Promise<CardTransactionWithReceipt[]> {
  if (ids.length === 0) return [];
  return withReceipt(db).where('t.company_id', '=', companyId).where('t.id', 'in', ids).execute();
}

export async function listReceiptStates(db: Db, companyId: string, ids: readonly string[]): Promise<Pick<CardTransactionWithReceipt, 'id' | 'receipt_state' | 'receipt_id' | 'state'>[]> {
  const rows = await listWithReceipts(db, companyId, ids);
  return rows.map((row) => ({ id: row.id, receipt_state: row.receipt_state, receipt_id: row.receipt_id, state: row.state }));
}

/** What the purchase's refunds (not reversed) gave back of it so far, in the merchant's and
 * the wallet's currency. The caller holds the purchase's lock, so no refund comes in between. */
export async function refundedSoFar(db: Db, companyId: string, purchaseId: string): Promise<{ merchant: bigint; wallet: bigint }> {
  const refunded = await refundedSoFarOf(db, [{ companyId, id: purchaseId }]);
  return refunded.get(`${companyId}/${purchaseId}`) ?? { merchant: 0n, wallet: 0n };
}

/** refundedSoFar for several purchases, of any companies, in one statement; keyed company/id
 * (a purchase without refunds is left out). */
export async function refundedSoFarOf(db: Db, keys: readonly { companyId: string; id: string }[]): Promise<Map<string, { merchant: bigint; wallet: bigint }>> {
  if (keys.length === 0) return new Map();
  const values = keys.map((key) => sql`(${key.companyId}::text, ${key.id}::text)`);
  const result = await sql<{ company_id: string; refund_of: string; merchant: bigint; wallet: bigint }>`
    select t.company_id, t.refund_of, coalesce(sum(t.refunded_merchant_amount), 0)::bigint as merchant, coalesce(sum(t.refunded_amount), 0)::bigint as wallet
    from card_transactions t
    join (values ${sql.join(values)}) as k(company_id, id) on t.company_id = k.company_id and t.refund_of = k.id
    where t.kind = 'refund' and t.state = 'settled'
    group by t.company_id, t.refund_of`.execute(db);
  return new Map(result.rows.map((row) => [`${row.company_id}/${row.refund_of}`, { merchant: BigInt(row.merchant), wallet: BigInt(row.wallet) }]));
}

/** The refunds that name each of the purchases (reversed ones too), oldest first. */
export async function listRefundsOf(db: Db, companyId: string, purchaseIds: readonly string[]): Promise<CardTransactionRow[]> {
  if (purchaseIds.length === 0) return [];
  return db
    .selectFrom('card_transactions')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('refund_of', 'in', purchaseIds)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}
