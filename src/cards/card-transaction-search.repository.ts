// SQL of the company-wide list of card transactions (card-transaction-search.ts says what
// each filter means): one query a page, scoped to the company, each transaction with its
// receipt state (withReceipt), its person's name and team, and its card's last four digits,
// ordered by the sort key and then the id and resumed after the cursor's row (keyset).
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../db/database.js';
import { afterCursorSql, likePattern, sortSql, sortValueSql, type SortColumn } from '../db/keyset.js';
import type { CardTransactionSearch, CardTransactionSortKey } from './card-transaction-search.js';
import { withReceipt, type CardTransactionWithReceipt } from './card-transactions.repository.js';

export interface CardTransactionSearchRow extends CardTransactionWithReceipt {
  person_name: string;
  team_id: string | null;
  team_name: string | null;
  card_last4: string;
  sort_value: string;
}

const sortColumns: Record<CardTransactionSortKey, SortColumn> = {
  occurredAt: { expression: 't.occurred_at', type: 'timestamptz' },
  amount: { expression: 'coalesce(t.settled_amount, t.wallet_amount)', type: 'bigint' },
  merchant: { expression: 'lower(t.merchant_name)', type: 'text' },
  person: { expression: 'lower(u.name)', type: 'text' },
};

/** Read-only joins with people's users and teams: the person's name is searched and sorted
 * by, and the team filtered by, in the query that pages the list. */
function filtered(db: Db, search: CardTransactionSearch) {
  let query = db
    .selectFrom(withReceipt(db).where('t.company_id', '=', search.companyId).as('t'))
    .innerJoin('cards as c', (join) => join.onRef('c.company_id', '=', 't.company_id').onRef('c.id', '=', 't.card_id'))
    .innerJoin('users as u', (join) => join.onRef('u.company_id', '=', 't.company_id').onRef('u.id', '=', 't.user_id'))
    .leftJoin('teams as tm', (join) => join.onRef('tm.company_id', '=', 'u.company_id').onRef('tm.id', '=', 'u.team_id'))
    .where('t.company_id', '=', search.companyId);
  if (search.userId) query = query.where('t.user_id', '=', search.userId);
  if (search.cardId) query = query.where('t.card_id', '=', search.cardId);
  if (search.teamId) query = query.where('u.team_id', '=', search.teamId);
  if (search.state) query = query.where('t.state', '=', search.state);
  if (search.kind) query = query.where('t.kind', '=', search.kind);
  if (search.declineReason) query = query.where('t.decline_reason', '=', search.declineReason);
  if (search.occurredFrom) query = query.where('t.occurred_at', '>=', search.occurredFrom);
  if (search.occurredUntil) query = query.where('t.occurred_at', '<', search.occurredUntil);
  if (search.amountMin !== undefined) query = query.where(sql<SqlBool>`coalesce(t.settled_amount, t.wallet_amount) >= ${search.amountMin}`);
  if (search.amountMax !== undefined) query = query.where(sql<SqlBool>`coalesce(t.settled_amount, t.wallet_amount) <= ${search.amountMax}`);
  if (search.missingReceipt !== undefined) query = query.where(sql<SqlBool>`(t.receipt_state = 'missing') = ${search.missingReceipt}`);
  if (search.text) {
    const pattern = likePattern(search.text);
    query = query.where((eb) => eb.or([eb('t.merchant_name', 'ilike', pattern), eb('u.name', 'ilike', pattern)]));
  }
  return query;
}

export async function searchCardTransactions(db: Db, search: CardTransactionSearch, limit: number): Promise<CardTransactionSearchRow[]> {
  const after = afterCursorSql(sortColumns, search.after, 't.id');
  // occurred_at as text keeps its microseconds, so the cursor's comparison is exact.
  let query = filtered(db, search)
    .selectAll('t')
    .select(['u.name as person_name', 'u.team_id', 'tm.name as team_name', 'c.last4 as card_last4', sortValueSql(sortColumns, search.sort).as('sort_value')]);
  if (after) query = query.where(after);
  const [bySort, byId] = sortSql(sortColumns, search.sort, 't.id');
  return (await query.orderBy(bySort).orderBy(byId).limit(limit).execute()) as CardTransactionSearchRow[];
}

export async function countCardTransactions(db: Db, search: CardTransactionSearch): Promise<number> {
  const row = await filtered(db, search).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
