// SQL of the company-wide list of expenses (expense-search.ts says what each filter means).
// One query a page, scoped to the company, ordered by the sort key and then the id, resumed
// after the cursor's row (keyset), with the owner's name and team read in the same query.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../db/database.js';
import { likePattern } from '../http/list-query.js';
import type { ExpenseSearch, ExpenseSortKey } from './expense-search.js';
import type { ExpenseRow } from './expenses.repository.js';

export interface ExpenseSearchRow extends ExpenseRow {
  person_name: string;
  team_id: string | null;
  team_name: string | null;
  /** The sort key's value as text, for the next page's cursor. */
  sort_value: string;
}

// Each sort key's SQL and the type its cursor value is compared as.
const sortColumns: Record<ExpenseSortKey, { expression: string; type: string }> = {
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

function afterCursor(search: ExpenseSearch): Expression<SqlBool> | null {
  if (!search.after) return null;
  const column = sortColumns[search.after.key];
  const comparison = search.after.order === 'desc' ? sql.raw('<') : sql.raw('>');
  return sql<SqlBool>`(${sql.raw(column.expression)}, e.id) ${comparison} (cast(${search.after.value} as ${sql.raw(column.type)}), ${search.after.id})`;
}

/** The query of one page of the search, `limit` rows at most (its plan is tested). */
export function searchExpensesQuery(db: Db, search: ExpenseSearch, limit: number) {
  const column = sortColumns[search.sort.key];
  const direction = search.sort.order === 'desc' ? sql.raw('desc') : sql.raw('asc');
  const after = afterCursor(search);
  let query = filtered(db, search)
    .selectAll('e')
    .select(['u.name as person_name', 'u.team_id', 'tm.name as team_name', sql<string>`${sql.raw(column.expression)}::text`.as('sort_value')]);
  if (after) query = query.where(after);
  return query
    .orderBy(sql`${sql.raw(column.expression)} ${direction}`)
    .orderBy(sql`e.id ${direction}`)
    .limit(limit);
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
