// The books an expense is filled in with: the chart of accounts, tax codes and tag groups,
// loaded together once per page (every signed-in person reads them).
import { api } from '../api/client';
import type { ExpenseCategory, TagGroup, TaxCode } from '../api/types';
import { useResource, type ResourceHandle } from '../components/use-resource';

export interface Books {
  categories: ExpenseCategory[];
  taxCodes: TaxCode[];
  tagGroups: TagGroup[];
}

export async function loadBooks(): Promise<Books> {
  const [categories, taxCodes, tagGroups] = await Promise.all([
    api.get<{ items: ExpenseCategory[] }>('/expense-categories'),
    api.get<{ items: TaxCode[] }>('/tax-codes'),
    api.get<{ items: TagGroup[] }>('/tag-groups'),
  ]);
  return { categories: categories.items, taxCodes: taxCodes.items, tagGroups: tagGroups.items };
}

export function useBooks(): ResourceHandle<Books> {
  return useResource(loadBooks, 'books');
}

export const noChoice = '';

/** Choices for a category select: the active accounts, and a retired one still in use. */
export function categoryOptions(books: Books, current: string | null): { value: string; label: string }[] {
  return [
    { value: noChoice, label: 'Choose a category' },
    ...books.categories
      .filter((category) => category.active || category.id === current)
      .map((category) => ({ value: category.id, label: `${category.name} (${category.accountCode})${category.active ? '' : ' – retired'}` })),
  ];
}

export function taxCodeOptions(books: Books, current: string | null): { value: string; label: string }[] {
  return [
    { value: noChoice, label: 'No VAT' },
    ...books.taxCodes
      .filter((code) => code.active || code.id === current)
      .map((code) => ({ value: code.id, label: `${code.name} (${code.code})${code.active ? '' : ' – retired'}` })),
  ];
}

export const categoryName = (books: Books, id: string | null) => (id ? (books.categories.find((category) => category.id === id)?.name ?? 'Unknown category') : 'No category');
export const taxCodeName = (books: Books, id: string | null) => (id ? (books.taxCodes.find((code) => code.id === id)?.name ?? 'Unknown tax code') : 'No VAT');
export function tagName(books: Books, id: string): string {
  for (const group of books.tagGroups) {
    const tag = group.tags.find((candidate) => candidate.id === id);
    if (tag) return `${group.name}: ${tag.name}`;
  }
  return 'Unknown tag';
}
