// Schemas shared by many routes: money, pages, problems. Route files hold their own.
import { Type, type Static, type TSchema } from 'typebox';
import { DomainError } from '../shared/errors.js';

export const MoneySchema = Type.Object(
  {
    amount: Type.String({ description: 'Exact decimal in the currency\'s minor unit, e.g. "12.50"; negative for credits', examples: ['12.50'] }),
    currency: Type.String({ description: 'ISO 4217 code', examples: ['EUR'] }),
  },
  { $id: 'Money' },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code' }),
    detail: Type.String(),
    field: Type.Optional(Type.String({ description: 'The input field at fault, where there is one' })),
  },
  { $id: 'Problem' },
);

/** Responses every authenticated route may give besides its own. */
export const problemResponses = {
  400: Type.Ref('Problem'),
  401: Type.Ref('Problem'),
  403: Type.Ref('Problem'),
  404: Type.Ref('Problem'),
  409: Type.Ref('Problem'),
  422: Type.Ref('Problem'),
};

export const pageSizeDefault = 50;
export const pageSizeMax = 200;

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: `Items per page, 1 to ${pageSizeMax} (default ${pageSizeDefault})` })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

export interface PageRequest {
  limit: number;
  /** Items come newest first; the cursor is the id of the last item of the previous page. */
  before: string | undefined;
}

/** The page size a request asks for, pageSizeDefault when it names none. */
export function readPageSize(text: string | undefined): number {
  const limit = text === undefined ? pageSizeDefault : Number(text);
  if (limit < 1 || limit > pageSizeMax) {
    throw new DomainError('validation_failed', `limit must be between 1 and ${pageSizeMax}`, 'limit');
  }
  return limit;
}

export function readPageQuery(query: PageQuery): PageRequest {
  const limit = readPageSize(query.limit);
  let before: string | undefined;
  if (query.cursor !== undefined) {
    const decoded = Buffer.from(query.cursor, 'base64url').toString('utf8');
    if (!/^[a-z]{2,5}_[0-9A-Z]{26}$/.test(decoded)) throw new DomainError('validation_failed', 'cursor is not one this API gave out', 'cursor');
    before = decoded;
  }
  return { limit, before };
}

/** Repositories are asked for limit + 1 rows; the extra row only tells that a next page exists. */
export function toPage<Row extends { id: string }, Item>(rows: Row[], page: PageRequest, present: (row: Row) => Item) {
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(present),
    nextCursor: rows.length > page.limit && last ? Buffer.from(last.id, 'utf8').toString('base64url') : null,
  };
}

export const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

export const iso = (date: Date) => date.toISOString();
