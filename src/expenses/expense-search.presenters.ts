// How the company-wide list of expenses looks: each expense as GET /api/v1/expenses/:id shows
// it, with the names a reader wants beside the ids; the page with its total; and the CSV.
import { Type } from 'typebox';
import type { Principal } from '../auth/principal.js';
import { localDateOf } from '../companies/company-calendar.js';
import type { Db } from '../db/database.js';
import type { CsvColumn } from '../http/csv-download.js';
import { formatAmount } from '../money/money.js';
import { categoryNames, type ExpenseSearchPage, type ExpenseSearchRow } from './expense-search.service.js';
import { expensePresenter, ExpenseSchema, nullable } from './expenses.presenters.js';
import type { ExpenseDetails } from './expenses.service.js';

const Named = Type.Object({ id: Type.String(), name: Type.String() });

export const ExpenseListItemSchema = Type.Object(
  {
    ...ExpenseSchema.properties,
    person: Type.Object({ id: Type.String(), name: Type.String() }, { description: 'Whose expense it is' }),
    team: nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    categories: Type.Array(Named, { description: 'The categories of its lines, in line order, each once' }),
  },
  { $id: 'ExpenseListItem' },
);

export const ExpenseListSchema = Type.Object(
  {
    items: Type.Array(Type.Ref('ExpenseListItem')),
    nextCursor: nullable(Type.String({ description: 'Pass as cursor (with the same filters and sort) for the next page; null on the last' })),
    total: Type.Integer({ description: 'How many expenses the filters find, all pages together' }),
  },
  { $id: 'ExpenseList' },
);

function categoriesOf(lineCategoryIds: readonly (string | null)[], names: Map<string, string>) {
  const ids = [...new Set(lineCategoryIds.flatMap((id) => (id ? [id] : [])))];
  return ids.map((id) => ({ id, name: names.get(id) ?? id }));
}

function namesOf(row: ExpenseSearchRow) {
  return { person: { id: row.user_id, name: row.person_name }, team: row.team_id && row.team_name ? { id: row.team_id, name: row.team_name } : null };
}

export async function presentExpensePage(db: Db, principal: Principal, page: ExpenseSearchPage) {
  const present = await expensePresenter(db, principal, page.rows);
  const items = page.rows.map((row) => ({ ...present(row), ...namesOf(row) }));
  const names = await categoryNames(db, principal.companyId, items.flatMap((item) => item.lines.flatMap((line) => (line.categoryId ? [line.categoryId] : []))));
  return {
    items: items.map((item) => ({ ...item, categories: categoriesOf(item.lines.map((line) => line.categoryId), names) })),
    nextCursor: page.nextCursor,
    total: page.total,
  };
}

interface CsvContext {
  details: ExpenseDetails;
  categories: Map<string, string>;
  timeZone: string;
}

/** The columns of the expenses CSV: amounts as decimal strings beside their currency, dates
 * as the company's calendar dates. */
export function expenseCsvColumns({ details, categories, timeZone }: CsvContext): CsvColumn<ExpenseSearchRow>[] {
  const localDate = (at: Date | null) => (at ? localDateOf(at, timeZone) : null);
  return [
    { header: 'expense_id', cell: (row) => row.id },
    { header: 'spent_on', cell: (row) => row.spent_on },
    { header: 'person', cell: (row) => row.person_name },
    { header: 'team', cell: (row) => row.team_name },
    { header: 'kind', cell: (row) => row.kind },
    { header: 'state', cell: (row) => row.state },
    { header: 'merchant', cell: (row) => row.merchant },
    { header: 'note', cell: (row) => row.note },
    { header: 'categories', cell: (row) => categoriesOf(details.lines(row.id).map((line) => line.category_id), categories).map((category) => category.name).join('; ') },
    { header: 'amount', cell: (row) => formatAmount(row.amount, row.currency), numeric: true },
    { header: 'currency', cell: (row) => row.currency },
    { header: 'original_amount', cell: (row) => (row.original_amount !== null && row.original_currency ? formatAmount(row.original_amount, row.original_currency) : null), numeric: true },
    { header: 'original_currency', cell: (row) => row.original_currency },
    { header: 'receipt', cell: (row) => details.receipt(row.id).state },
    { header: 'flags', cell: (row) => row.flags.join('; ') },
    { header: 'submitted_on', cell: (row) => localDate(row.submitted_at) },
    { header: 'decided_on', cell: (row) => localDate(row.decided_at) },
  ];
}
