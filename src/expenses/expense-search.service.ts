// The company-wide list of expenses: a page of a search with its total, or the whole search
// for a CSV download, each row with its person's, team's and categories' names.
import type { Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { csvRowsMax } from '../http/csv-download.js';
import { keysetPage } from '../http/list-query.js';
import { DomainError } from '../shared/errors.js';
import { expenseSearchOf, type ExpenseSearch, type ExpenseSearchQuery } from './expense-search.js';
import * as repo from './expense-search.repository.js';
import { detailsOf, type ExpenseDetails } from './expenses.service.js';

export type { ExpenseSearchRow } from './expense-search.repository.js';

export interface ExpenseSearchPage {
  rows: repo.ExpenseSearchRow[];
  total: number;
  nextCursor: string | null;
}

async function searchOf(db: Db, principal: Principal, query: ExpenseSearchQuery): Promise<{ search: ExpenseSearch; timeZone: string; currency: string }> {
  const company = await getCompany(db, principal.companyId);
  return { search: expenseSearchOf(principal, query, company.currency), timeZone: company.time_zone, currency: company.currency };
}

export async function searchExpensePage(db: Db, principal: Principal, query: ExpenseSearchQuery, limit: number): Promise<ExpenseSearchPage> {
  const { search } = await searchOf(db, principal, query);
  const [found, total] = await Promise.all([repo.searchExpenses(db, search, limit + 1), repo.countExpenses(db, search)]);
  return { ...keysetPage(found, limit, search.sort), total };
}

/** The whole search, for a download; refused beyond csvRowsMax rows. */
export async function searchAllExpenses(db: Db, principal: Principal, query: ExpenseSearchQuery): Promise<{ rows: repo.ExpenseSearchRow[]; details: ExpenseDetails; categories: Map<string, string>; timeZone: string }> {
  const { search, timeZone } = await searchOf(db, principal, { ...query, cursor: undefined });
  const rows = await repo.searchExpenses(db, search, csvRowsMax + 1);
  if (rows.length > csvRowsMax) throw new DomainError('validation_failed', `the list has more than ${csvRowsMax} expenses; narrow it (dates, person, state) to download it`, 'format');
  const details = await detailsOf(db, principal.companyId, rows);
  const categories = await categoryNamesOf(db, principal.companyId, rows, details);
  return { rows, details, categories, timeZone };
}

/** The names of the categories, by id. */
export const categoryNames = repo.categoryNames;

/** The names of the categories of the rows' lines, by id. */
export async function categoryNamesOf(db: Db, companyId: string, rows: readonly repo.ExpenseSearchRow[], details: ExpenseDetails): Promise<Map<string, string>> {
  const ids = rows.flatMap((row) => details.lines(row.id).flatMap((line) => (line.category_id ? [line.category_id] : [])));
  return repo.categoryNames(db, companyId, ids);
}
