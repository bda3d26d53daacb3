// The company's chart of accounts and tax codes by id, loaded once for a change of an
// expense (its lines, flags and booking) or an export of many.
import type { Db } from '../db/database.js';
import * as books from './books.repository.js';

export interface BooksLookup {
  categories: Map<string, books.CategoryRow>;
  taxCodes: Map<string, books.TaxCodeRow>;
}

export async function loadBooks(db: Db, companyId: string): Promise<BooksLookup> {
  const [categories, taxCodes] = await Promise.all([books.listCategories(db, companyId), books.listTaxCodes(db, companyId)]);
  return { categories: new Map(categories.map((row) => [row.id, row])), taxCodes: new Map(taxCodes.map((row) => [row.id, row])) };
}
