// SQL of the company-wide list of expenses (expense-search.ts says what each filter means).
// One query a page, scoped to the company, ordered by the sort key and then the id, resumed
// after the cursor's row (keyset), with the owner's name and team read in the same query.
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../db/database.js';
import { afterCursorSql, likePattern, sortSql, sortValueSql, type SortColumn } from '../db/keyset.js';
import type { ExpenseSearch, ExpenseSortKey } from './expense-search.js';
import type { ExpenseRow } from './expenses.repository.js';

export interface ExpenseSearchRow extends ExpenseRow {
  person_name: string;
  team_id: string | null;
  team_name: string | null;
  /** The sort key's value as text, for the next page's cursor. */
  sort_value: string;
}

const sortColumns: Record<ExpenseSortKey, SortColumn> = {
  spentOn: { expression: 'e.spent_on', type: 'date' },
  amount: { expression: 'e.amount', type: 'bigint' },
  merchant: { expression: "lower(coalesce(e.merchant, ''))", type: 'text' },
  person: { expression: 'lower(u.name)', type: 'text' },
};

/** Read-only joins with people's users and teams: searching and sorting by the person's name,
 * and the team filter, belong in the query that pages the list. */
function filtered(db: Db, search: ExpenseSearch) {
  let query = db
    .selectFrom('expenses as e')
    .innerJoin('users as u', (join) => join.onRef('u.company_id', '=', 'e.company_id').onRef('u.id', '=', 'e.user_id'))
    .leftJoin('teams as tm', (join) => join.onRef('tm.company_id', '=', 'u.company_id').onRef('tm.id', '=', 'u.team_id'))
    .where('e.company_id', '=', search.companyId);
  if (search.userId) query = query.where('e.user_id', '=', search.userId);
  if (search.teamId) query = query.where('u.team_id', '=', search.teamId);
  if (search.state) query = query.where('e.state', '=', search.state);
  if (search.kind) query = query.where('e.kind', '=', search.kind);
  if (search.exportState) query = query.where('e.export_state', '=', search.exportState);
  if (search.reimbursementState) query = query.where('e.reimbursement_state', '=', search.reimbursementState);
  if (search.from) query = query.where('e.spent_on', '>=', search.from);
  if (search.to) query = query.where('e.spent_on', '<=', search.to);
  if (search.amountMin !== undefined) query = query.where('e.amount', '>=', search.amountMin);
  if (search.amountMax !== undefined) query = query.where('e.amount', '<=', search.amountMax);
  if (search.missingReceipt !== undefined) query = query.where(sql<SqlBool>`(${'missing_receipt'} = any(e.flags)) = ${search.missingReceipt}`);
  if (search.flagged !== undefined) query = query.where(sql<SqlBool>`(cardinality(e.flags) > 0) = ${search.flagged}`);
  if (search.categoryId) {
    const categoryId = search.categoryId;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('expense_lines as l').select(sql`1`.as('one')).whereRef('l.company_id', '=', 'e.company_id').whereRef('l.expense_id', '=', 'e.id').where('l.category_id', '=', categoryId)),
    );
  }
  if (search.text) {
    const pattern = likePattern(search.text);
    query = query.where((eb) => eb.or([eb('e.merchant', 'ilike', pattern), eb('e.note', 'ilike', pattern), eb('u.name', 'ilike', pattern)]));
  }
  return query;
}

/** The query of one page of the search, `limit` rows at most (its plan is tested). */
export function searchExpensesQuery(db: Db, search: ExpenseSearch, limit: number) {
  const after = afterCursorSql(sortColumns, search.after, 'e.id');
  let query = filtered(db, search).selectAll('e').select(['u.name as person_name', 'u.team_id', 'tm.name as team_name', sortValueSql(sortColumns, search.sort).as('sort_value')]);
  if (after) query = query.where(after);
  const [bySort, byId] = sortSql(sortColumns, search.sort, 'e.id');
  return query.orderBy(bySort).orderBy(byId).limit(limit);
}

export async function searchExpenses(db: Db, search: ExpenseSearch, limit: number): Promise<ExpenseSearchRow[]> {
  return searchExpensesQuery(db, search, limit).execute();
}

/** How many expenses the search finds, all pages together. */
export async function countExpenses(db: Db, search: ExpenseSearch): Promise<number> {
  const row = await filtered(db, search).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The names of the categories, by id. */
export async function categoryNames(db: Db, companyId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('expense_categories').select(['id', 'name']).where('company_id', '=', companyId).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
