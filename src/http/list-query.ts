// What the company-wide lists (expenses, card transactions) share: a sort key and direction,
// a keyset cursor that carries the last row's sort value and id (so that a page never skips
// or repeats a row while the list is read, whatever it is sorted by), and flags as "true".
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { Type } from 'typebox';
import { DomainError } from '../shared/errors.js';

export type SortOrder = 'asc' | 'desc';

export interface ListSort<Key extends string> {
  key: Key;
  order: SortOrder;
}

/** Where the previous page ended: its last row's sort value and id, under one sort. */
export interface ListCursor<Key extends string> extends ListSort<Key> {
  value: string;
  id: string;
}

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

/** LIKE's wildcards in a search text match themselves. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** A sort key's SQL expression and the type its cursor value is compared as. */
export interface SortColumn {
  expression: string;
  type: 'date' | 'timestamptz' | 'bigint' | 'text';
}

/** A calendar day that exists, in a year PostgreSQL stores. */
function isDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** PostgreSQL's text of a timestamptz, as sortValueSql selects it. */
const instantPattern = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

/** Whether a cursor's sort value can be read as its column's type: a cursor is the caller's
 * text, so one that was altered is refused as bad input rather than failing in SQL. */
export function fitsSortColumn(type: SortColumn['type'], value: string): boolean {
  switch (type) {
    case 'bigint':
      return /^-?\d{1,18}$/.test(value);
    case 'date':
      return isDay(value);
    case 'timestamptz': {
      const match = instantPattern.exec(value);
      return match !== null && isDay(match[1]!);
    }
    case 'text':
      return true;
  }
}

/** The keyset condition: rows after the cursor's row in the sort's direction, or null. */
export function afterCursorSql<Key extends string>(columns: Record<Key, SortColumn>, after: ListCursor<Key> | undefined, idColumn: string): RawBuilder<SqlBool> | null {
  if (!after) return null;
  const column = columns[after.key];
  if (!fitsSortColumn(column.type, after.value)) throw new DomainError('validation_failed', 'cursor is not one this API gave out', 'cursor');
  const comparison = sql.raw(after.order === 'desc' ? '<' : '>');
  return sql<SqlBool>`(${sql.raw(column.expression)}, ${sql.ref(idColumn)}) ${comparison} (cast(${after.value} as ${sql.raw(column.type)}), ${after.id})`;
}

/** The ORDER BY of a sort: its key, then the id in the same direction. */
export function sortSql<Key extends string>(columns: Record<Key, SortColumn>, sort: ListSort<Key>, idColumn: string): [RawBuilder<unknown>, RawBuilder<unknown>] {
  const direction = sql.raw(sort.order);
  return [sql`${sql.raw(columns[sort.key].expression)} ${direction}`, sql`${sql.ref(idColumn)} ${direction}`];
}

/** The sort key's value as text, selected for the next page's cursor. */
export function sortValueSql<Key extends string>(columns: Record<Key, SortColumn>, sort: ListSort<Key>): RawBuilder<string> {
  return sql<string>`${sql.raw(columns[sort.key].expression)}::text`;
}

/** A page of rows fetched with limit + 1: the extra row only tells that a next page exists. */
export function keysetPage<Row extends { id: string; sort_value: string }, Key extends string>(found: Row[], limit: number, sort: ListSort<Key>): { rows: Row[]; nextCursor: string | null } {
  const rows = found.slice(0, limit);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: found.length > limit && last ? encodeListCursor({ ...sort, value: last.sort_value, id: last.id }) : null };
}
