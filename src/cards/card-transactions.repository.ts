// SQL of card transactions and their network events.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CardNetworkEventsTable, CardTransactionsTable } from '../db/schema.js';

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

export async function insertTransaction(db: Db, row: Insertable<CardTransactionsTable>): Promise<CardTransactionRow> {
  return db.insertInto('card_transactions').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateTransaction(
  db: Db,
  companyId: string,
  id: string,
  patch: Updateable<CardTransactionsTable>,
): Promise<CardTransactionRow> {
  return db
    .updateTable('card_transactions')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
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

export interface TransactionFilter {
  companyId: string;
  userId?: string;
  cardId?: string;
  state?: string;
  before?: string;
  limit: number;
}

export async function listTransactions(db: Db, filter: TransactionFilter): Promise<CardTransactionRow[]> {
  let query = db.selectFrom('card_transactions').selectAll().where('company_id', '=', filter.companyId);
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.cardId) query = query.where('card_id', '=', filter.cardId);
  if (filter.state) query = query.where('state', '=', filter.state as CardTransactionRow['state']);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function findTransaction(db: Db, companyId: string, id: string): Promise<CardTransactionRow | undefined> {
  return db.selectFrom('card_transactions').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** Pending card transactions whose hold has passed its expiry. */
export async function listExpiredHolds(db: Db, now: Date, limit: number): Promise<Pick<CardTransactionRow, 'company_id' | 'network_id'>[]> {
  return db
    .selectFrom('card_transactions as t')
    .innerJoin('pending_transfers as h', (join) => join.onRef('h.company_id', '=', 't.company_id').onRef('h.id', '=', 't.hold_id'))
    .select(['t.company_id', 't.network_id'])
    .where('t.state', '=', 'pending')
    .where('h.state', '=', 'pending')
    .where('h.expires_at', '<=', now)
    .orderBy('h.expires_at')
    .limit(limit)
    .execute();
}
