// The company-wide list of card transactions: what a request's filters mean, as a search
// the repository (card-transaction-search.repository.ts) turns into one SQL query. Pure; the
// date range becomes the instants of the company's calendar dates.
import type { Principal } from '../auth/principal.js';
import { localDateRange } from '../companies/company-calendar.js';
import type { CardTransactionsTable } from '../db/schema.js';
import { decodeListCursor, isTrue, readSort, type ListCursor, type ListSort } from '../http/list-query.js';
import { parseAmount } from '../money/money.js';
import { DomainError } from '../shared/errors.js';

export const cardTransactionSortKeys = ['occurredAt', 'amount', 'merchant', 'person'] as const;
export type CardTransactionSortKey = (typeof cardTransactionSortKeys)[number];

/** Characters of the merchant or person search, at most. */
export const merchantSearchLengthMax = 100;

export interface CardTransactionSearch {
  companyId: string;
  /** One person's: always the principal's own without transactions:read. */
  userId?: string;
  cardId?: string;
  teamId?: string;
  state?: CardTransactionsTable['state'];
  kind?: CardTransactionsTable['kind'];
  declineReason?: string;
  /** Instants of the company's calendar dates: from inclusive, until exclusive. */
  occurredFrom?: Date;
  occurredUntil?: Date;
  /** Minor units of the wallet's currency (booked, or held while pending), both included. */
  amountMin?: bigint;
  amountMax?: bigint;
  missingReceipt?: boolean;
  /** The merchant's or the person's name contains it (case-insensitive). */
  text?: string;
  sort: ListSort<CardTransactionSortKey>;
  after?: ListCursor<CardTransactionSortKey>;
}

export interface CardTransactionSearchQuery {
  userId?: string;
  cardId?: string;
  teamId?: string;
  state?: string;
  kind?: string;
  declineReason?: string;
  from?: string;
  to?: string;
  amountMin?: string;
  amountMax?: string;
  missingReceipt?: string;
  q?: string;
  sort?: string;
  order?: string;
  cursor?: string;
}

export interface SearchCompany {
  currency: string;
  timeZone: string;
}

function amountBound(text: string | undefined, currency: string, field: string): bigint | undefined {
  return text === undefined || text === '' ? undefined : parseAmount(text, currency, { field, allowZero: true });
}

function dateRange(from: string | undefined, to: string | undefined, timeZone: string): { occurredFrom?: Date; occurredUntil?: Date } {
  if (from && to && from > to) throw new DomainError('validation_failed', 'from is after to', 'from');
  return {
    ...(from ? { occurredFrom: localDateRange(from, from, timeZone).start } : {}),
    ...(to ? { occurredUntil: localDateRange(to, to, timeZone).end } : {}),
  };
}

export function cardTransactionSearchOf(principal: Principal, query: CardTransactionSearchQuery, company: SearchCompany): CardTransactionSearch {
  const sort = readSort(cardTransactionSortKeys, query.sort, query.order, 'occurredAt');
  const seesAll = principal.permissions.has('transactions:read');
  const text = query.q?.trim();
  const search: CardTransactionSearch = {
    companyId: principal.companyId,
    userId: seesAll ? query.userId : principal.kind === 'user' ? principal.userId : '-',
    cardId: query.cardId,
    teamId: query.teamId,
    state: query.state as CardTransactionSearch['state'],
    kind: query.kind as CardTransactionSearch['kind'],
    declineReason: query.declineReason,
    ...dateRange(query.from, query.to, company.timeZone),
    amountMin: amountBound(query.amountMin, company.currency, 'amountMin'),
    amountMax: amountBound(query.amountMax, company.currency, 'amountMax'),
    missingReceipt: query.missingReceipt === undefined ? undefined : isTrue(query.missingReceipt),
    text: text ? text.slice(0, merchantSearchLengthMax) : undefined,
    sort,
    after: decodeListCursor(query.cursor, sort),
  };
  if (search.amountMin !== undefined && search.amountMax !== undefined && search.amountMin > search.amountMax) {
    throw new DomainError('validation_failed', 'amountMin is more than amountMax', 'amountMin');
  }
  return search;
}
