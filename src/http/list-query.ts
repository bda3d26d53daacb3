// What the company-wide lists (expenses, card transactions) share over HTTP: their query's
// sort, order, flags and format, and the keyset cursor given out as opaque text (the last
// row's sort value and id, so a page never skips or repeats a row while the list is read).
// The SQL of keyset pages is in db/keyset.ts.
import { Type } from 'typebox';
import type { ListCursor, ListSort } from '../db/keyset.js';
import { DomainError } from '../shared/errors.js';

export type { ListCursor, ListSort, SortOrder } from '../db/keyset.js';

export const SortOrderQuery = Type.Optional(Type.String({ enum: ['asc', 'desc'], description: 'desc (default) or asc; ties are broken by id in the same direction' }));
export const FlagQuery = (description: string) => Type.Optional(Type.String({ enum: ['true', 'false'], description }));
export const FormatQuery = Type.Optional(Type.String({ enum: ['json', 'csv'], description: 'csv: the whole filtered list (no paging) as text/csv with a header row, refused beyond its row maximum' }));

export function readSort<Key extends string>(keys: readonly Key[], key: string | undefined, order: string | undefined, fallback: Key): ListSort<Key> {
  const chosen = (key ?? fallback) as Key;
  if (!keys.includes(chosen)) throw new DomainError('validation_failed', `sort is one of ${keys.join(', ')}`, 'sort');
  return { key: chosen, order: order === 'asc' ? 'asc' : 'desc' };
}

export function encodeListCursor<Key extends string>(cursor: ListCursor<Key>): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.order, cursor.value, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor, which must have been given out under the same sort. */
export function decodeListCursor<Key extends string>(text: string | undefined, sort: ListSort<Key>): ListCursor<Key> | undefined {
  if (text === undefined) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  const valid = Array.isArray(parts) && parts.length === 4 && parts.every((part) => typeof part === 'string') && /^[a-z]{2,5}_[0-9A-Z]{26}$/.test(parts[3] as string);
  if (!valid) throw new DomainError('validation_failed', 'cursor is not one this API gave out', 'cursor');
  const [key, order, value, id] = parts as string[];
  if (key !== sort.key || order !== sort.order) throw new DomainError('validation_failed', 'cursor belongs to another sort order; start again without it', 'cursor');
  return { key: sort.key, order: sort.order, value: value!, id: id! };
}

export const isTrue = (flag: string | undefined) => flag === 'true';

/** A page of rows fetched with limit + 1: the extra row only tells that a next page exists. */
export function keysetPage<Row extends { id: string; sort_value: string }, Key extends string>(found: Row[], limit: number, sort: ListSort<Key>): { rows: Row[]; nextCursor: string | null } {
  const rows = found.slice(0, limit);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: found.length > limit && last ? encodeListCursor({ ...sort, value: last.sort_value, id: last.id }) : null };
}
