// The company-wide list of card transactions: a page of a search with its total, or the
// whole search for a CSV download.
import type { Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { csvRowsMax } from '../http/csv-download.js';
import { keysetPage } from '../http/list-query.js';
import { DomainError } from '../shared/errors.js';
import { cardTransactionSearchOf, type CardTransactionSearch, type CardTransactionSearchQuery } from './card-transaction-search.js';
import * as repo from './card-transaction-search.repository.js';
import { withRefunds } from './card-transactions.service.js';

export type { CardTransactionSearchRow } from './card-transaction-search.repository.js';

async function searchOf(db: Db, principal: Principal, query: CardTransactionSearchQuery): Promise<{ search: CardTransactionSearch; timeZone: string }> {
  const company = await getCompany(db, principal.companyId);
  return { search: cardTransactionSearchOf(principal, query, { currency: company.currency, timeZone: company.time_zone }), timeZone: company.time_zone };
}

export async function searchCardTransactionPage(db: Db, principal: Principal, query: CardTransactionSearchQuery, limit: number) {
  const { search } = await searchOf(db, principal, query);
  const [found, total] = await Promise.all([repo.searchCardTransactions(db, search, limit + 1), repo.countCardTransactions(db, search)]);
  const page = keysetPage(found, limit, search.sort);
  // A purchase on the page shows the refunds that name it, as one transaction's page does.
  return { ...page, rows: await withRefunds(db, principal.companyId, page.rows), total };
}

/** The whole search, for a download; refused beyond csvRowsMax rows. */
export async function searchAllCardTransactions(db: Db, principal: Principal, query: CardTransactionSearchQuery) {
  const { search, timeZone } = await searchOf(db, principal, { ...query, cursor: undefined });
  const rows = await repo.searchCardTransactions(db, search, csvRowsMax + 1);
  if (rows.length > csvRowsMax) throw new DomainError('validation_failed', `the list has more than ${csvRowsMax} transactions; narrow it (dates, person, state) to download it`, 'format');
  return { rows, timeZone };
}
