// Keyset pages in SQL: a list sorted by a key and then the id, resumed after the last row of
// the previous page (its sort value and id), so a page never skips or repeats a row while
// the list changes. The cursor's text form is the HTTP layer's (http/list-query.ts).
import { sql, type RawBuilder, type SqlBool } from 'kysely';
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

