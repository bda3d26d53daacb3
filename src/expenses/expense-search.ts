// The company-wide list of expenses: what a request's filters mean, as a search the
// repository (expense-search.repository.ts) turns into one SQL query. Pure, so that each
// filter's translation is tested on its own (expense-search.test.ts).
import type { Principal } from '../auth/principal.js';
import type { ExpensesTable, ExpenseState } from '../db/schema.js';
import { decodeListCursor, isTrue, readSort, type ListCursor, type ListSort } from '../http/list-query.js';
import { parseAmount } from '../money/money.js';
import { DomainError } from '../shared/errors.js';
import { ownerOf, seesAllExpenses } from './expense-access.js';

export const expenseSortKeys = ['spentOn', 'amount', 'merchant', 'person'] as const;
export type ExpenseSortKey = (typeof expenseSortKeys)[number];

/** Characters of the free-text search, at most. */
export const searchTextLengthMax = 100;

export interface ExpenseSearch {
  companyId: string;
  /** One person's expenses: always the principal's own without expenses:read. */
  userId?: string;
  teamId?: string;
  state?: ExpenseState;
  kind?: ExpensesTable['kind'];
  exportState?: ExpensesTable['export_state'];
  reimbursementState?: ExpensesTable['reimbursement_state'];
  categoryId?: string;
  /** Spent dates, both included: the company's calendar dates. */
  from?: string;
  to?: string;
  /** Minor units of the company's currency, both included. */
  amountMin?: bigint;
  amountMax?: bigint;
  missingReceipt?: boolean;
  flagged?: boolean;
  /** Merchant, note or the person's name contain it (case-insensitive). */
  text?: string;
  sort: ListSort<ExpenseSortKey>;
  after?: ListCursor<ExpenseSortKey>;
}

/** The query parameters of GET /api/v1/expenses, as strings. */
export interface ExpenseSearchQuery {
  userId?: string;
  teamId?: string;
  state?: string;
  kind?: string;
  exportState?: string;
  reimbursementState?: string;
  categoryId?: string;
  from?: string;
  to?: string;
  amountMin?: string;
  amountMax?: string;
  missingReceipt?: string;
  flagged?: string;
  q?: string;
  sort?: string;
  order?: string;
  cursor?: string;
}

function amountBound(text: string | undefined, currency: string, field: string): bigint | undefined {
  return text === undefined || text === '' ? undefined : parseAmount(text, currency, { field, allowZero: true });
}

function checkRanges(search: Pick<ExpenseSearch, 'from' | 'to' | 'amountMin' | 'amountMax'>): void {
  if (search.from && search.to && search.from > search.to) throw new DomainError('validation_failed', 'from is after to', 'from');
  if (search.amountMin !== undefined && search.amountMax !== undefined && search.amountMin > search.amountMax) {
    throw new DomainError('validation_failed', 'amountMin is more than amountMax', 'amountMin');
  }
}

/** The search a request asks for, scoped to the principal's company, and to their own
 * expenses unless they may see everyone's. */
export function expenseSearchOf(principal: Principal, query: ExpenseSearchQuery, currency: string): ExpenseSearch {
  const sort = readSort(expenseSortKeys, query.sort, query.order, 'spentOn');
  const text = query.q?.trim();
  const search: ExpenseSearch = {
    companyId: principal.companyId,
    userId: seesAllExpenses(principal) ? query.userId : (ownerOf(principal) ?? '-'),
    teamId: query.teamId,
    state: query.state as ExpenseState | undefined,
    kind: query.kind as ExpenseSearch['kind'],
    exportState: query.exportState as ExpenseSearch['exportState'],
    reimbursementState: query.reimbursementState as ExpenseSearch['reimbursementState'],
    categoryId: query.categoryId,
    from: query.from,
    to: query.to,
    amountMin: amountBound(query.amountMin, currency, 'amountMin'),
    amountMax: amountBound(query.amountMax, currency, 'amountMax'),
    missingReceipt: query.missingReceipt === undefined ? undefined : isTrue(query.missingReceipt),
    flagged: query.flagged === undefined ? undefined : isTrue(query.flagged),
    text: text ? text.slice(0, searchTextLengthMax) : undefined,
    sort,
    after: decodeListCursor(query.cursor, sort),
  };
  checkRanges(search);
  return search;
}
