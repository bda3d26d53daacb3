// The books an expense is filled in with: the chart of accounts, tax codes and tag groups,
// loaded together once per page (every signed-in person reads them).
import { useQueries } from '@tanstack/react-query';
import type { ApiProblem } from '../api/problem';
import { getQuery } from '../api/queries';
import type { ExpenseCategory, TagGroup, TaxCode } from '../api/types';
import { t } from '../i18n/i18n';

export interface Books {
  categories: ExpenseCategory[];
  taxCodes: TaxCode[];
  tagGroups: TagGroup[];
}

export type BooksState = { status: 'loading' } | { status: 'error'; problem: ApiProblem; retry: () => void } | { status: 'ready'; books: Books };

export function useBooks(): BooksState {
  return useQueries({
    queries: [getQuery('/api/v1/expense-categories'), getQuery('/api/v1/tax-codes'), getQuery('/api/v1/tag-groups')],
    combine: ([categories, taxCodes, tagGroups]): BooksState => {
      if (categories.data && taxCodes.data && tagGroups.data) {
        return { status: 'ready', books: { categories: categories.data.items, taxCodes: taxCodes.data.items, tagGroups: tagGroups.data.items } };
      }
      const failed = [categories, taxCodes, tagGroups].find((query) => query.isError && !query.isFetching);
      if (!failed?.error) return { status: 'loading' };
      const retry = () => {
        for (const query of [categories, taxCodes, tagGroups]) if (query.isError) void query.refetch();
      };
      return { status: 'error', problem: failed.error, retry };
    },
  });
}

export const noChoice = '';

/** Choices for a category select: the active accounts, and a retired one still in use. */
export function categoryOptions(books: Books, current: string | null): { value: string; label: string }[] {
  return [
    { value: noChoice, label: t('expenses.books.chooseCategory') },
    ...books.categories
      .filter((category) => category.active || category.id === current)
      .map((category) => ({ value: category.id, label: `${category.name} (${category.accountCode})${category.active ? '' : ` – ${t('expenses.books.retired')}`}` })),
  ];
}

export function taxCodeOptions(books: Books, current: string | null): { value: string; label: string }[] {
  return [
    { value: noChoice, label: t('expenses.books.noVat') },
    ...books.taxCodes
      .filter((code) => code.active || code.id === current)
      .map((code) => ({ value: code.id, label: `${code.name} (${code.code})${code.active ? '' : ` – ${t('expenses.books.retired')}`}` })),
  ];
}

export const categoryName = (books: Books, id: string | null) => (id ? (books.categories.find((category) => category.id === id)?.name ?? t('expenses.books.unknownCategory')) : t('expenses.books.noCategory'));
export const taxCodeName = (books: Books, id: string | null) => (id ? (books.taxCodes.find((code) => code.id === id)?.name ?? t('expenses.books.unknownTaxCode')) : t('expenses.books.noVat'));
export function tagName(books: Books, id: string): string {
  for (const group of books.tagGroups) {
    const tag = group.tags.find((candidate) => candidate.id === id);
    if (tag) return `${group.name}: ${tag.name}`;
  }
  return t('expenses.books.unknownTag');
}
