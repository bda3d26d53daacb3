// Requests made from the OpenAPI document (/openapi.json) by fast-check, for the fuzz test
// (test/api/openapi-fuzz.test.ts) and the verification suite (verify/): path parameters,
// query and bodies from each route's own schemas, sometimes as the schema says and sometimes
// hostile (a NUL character, half a surrogate pair, a year-0 date, huge numbers, over-long
// text, the wrong type, broken %-escapes). Ids can be given, so that requests reach past
// "not found" into the handlers.
import fc from 'fast-check';
import type { ApiClient, ApiResponse } from './api-client.js';

export interface JsonSchema {
  type?: string;
  $ref?: string;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
}

export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  /** Content type to schema; a raw upload's schema is { type: string, format: binary }. */
  bodies: Record<string, JsonSchema>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components: { schemas: Record<string, JsonSchema> };
}

/**
 * Routes not fuzzed, each with its reason. Anything else in the document is.
 * - GET /api/v1/events is a live event stream that stays open: inject would wait for ever.
 * - DELETE /api/v1/session signs the fuzzing admin out, and every later case would be a 401.
 */
export const skipped = new Map([
  ['GET /api/v1/events', 'a server-sent event stream that does not end'],
  ['DELETE /api/v1/session', 'signs the fuzzing session out'],
]);

const hostileStrings = [
  '',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\ud83d',
  '0000-01-01',
  '0000-12-31T23:59:59Z',
  '0001-01-01T00:00:00+01:00',
  '2024-02-30',
  '2024-12-31T23:59:60Z',
  '-0001-01-01',
  '275760-09-14',
  '9'.repeat(400),
  '1e400',
  '-1e400',
  '0x10',
  'NaN',
  'Infinity',
  '-0',
  '12.345678901234567890',
  '99999999999999999999999999999999.99',
  "' or 1=1 --",
  '\\',
  '%00',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  'x'.repeat(5000),
  '😀'.repeat(300),
  'cmp_00000000000000000000000000.inv_00000000000000000000000000.' + 'A'.repeat(32),
  ' ',
  '\t\n',
  'null',
  'true',
];

const hostileValues: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, [], {}, [null], { '\u0000': 1 }, ['\ud800'], '\u0000'];

/** Path segments as sent, already escaped: some are no valid %-escapes of UTF-8 at all. (No
 * dot segments: inject resolves them as a browser would, and /cards/../events would open the
 * live event stream, which does not end.) */
const rawSegments = ['%E0%A4%A', '%ED%A0%80', '%00', '%FF', '%', '%2', 'a%2Fb', 'x'.repeat(150), 'x'.repeat(250)];

export function resolve(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    current = document.components.schemas[name] ?? {};
  }
  return current;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const bodies = Object.fromEntries(Object.entries(operation.requestBody?.content ?? {}).map(([type, { schema }]) => [type, schema]));
      operations.push({ method: method.toUpperCase(), path, parameters: operation.parameters ?? [], bodies });
    }
  }
  return operations;
}

/** A value the schema describes, most of the time; a hostile one otherwise, at any depth. */
function valueOf(document: OpenApiDocument, given: JsonSchema, ids: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(document, given);
  const hostile = fc.oneof(fc.constantFrom(...hostileStrings), fc.constantFrom(...hostileValues));
  return fc.oneof({ weight: 5, arbitrary: validValueOf(document, schema, ids, depth) }, { weight: 1, arbitrary: hostile });
}

function stringOf(schema: JsonSchema, ids: readonly string[]): fc.Arbitrary<string> {
  if (schema.format === 'date') return fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
  if (schema.format === 'date-time') return fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((date) => date.toISOString());
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const maxLength = Math.min(schema.maxLength ?? 50, 60);
  const plain = fc.string({ minLength: Math.min(schema.minLength ?? 0, maxLength), maxLength });
  const amount = fc.integer({ min: -100_000, max: 10_000_000 }).map((cents) => (cents / 100).toFixed(2));
  const choices: fc.Arbitrary<string>[] = [plain, amount, fc.constantFrom('EUR', 'USD', 'SEK', 'JPY', 'DE', 'SE', '2024-05-01', '2024-05', 'admin', 'employee')];
  if (ids.length > 0) choices.push(fc.constantFrom(...ids));
  return fc.oneof(...choices);
}

function validValueOf(document: OpenApiDocument, schema: JsonSchema, ids: readonly string[], depth: number): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((option) => validValueOf(document, resolve(document, option), ids, depth)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      return stringOf(schema, ids);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 4) return fc.constant([]);
      const maxLength = Math.min(schema.maxItems ?? 5, 5);
      return fc.array(valueOf(document, schema.items ?? {}, ids, depth + 1), { minLength: Math.min(schema.minItems ?? 0, maxLength), maxLength });
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, valueOf(document, property, ids, depth + 1)]));
      const record = fc.record(properties, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) });
      // Now and then a property nobody declared, or one left out that is required.
      return fc.oneof({ weight: 6, arbitrary: record }, { weight: 1, arbitrary: record.map((value) => ({ ...value, unknownProperty: 'x' })) }, { weight: 1, arbitrary: fc.constant({}) });
    }
    default:
      return fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null));
  }
}

/** A path or query value as it goes into the URL: percent-escaped text, or a raw segment. */
function urlText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // A dot segment would be resolved away (see rawSegments).
  if (/^\.+$/.test(text)) return `${text}x`;
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone surrogate cannot be encoded as UTF-8: send the bytes such a thing would be.
    return '%ED%A0%80';
  }
}

export interface FuzzRequest {
  method: string;
  url: string;
  contentType?: string;
  payload?: string | Buffer;
  /** Request headers besides the caller's credentials and the content type. */
  headers?: Record<string, string>;
}

/** Headers any route may be sent, with values a client could put there (printable ASCII:
 * anything else no HTTP client would send). Credentials and framing headers are left alone. */
const fuzzedHeaderNames = ['idempotency-key', 'accept', 'accept-language', 'accept-encoding', 'if-none-match', 'if-modified-since', 'x-request-id', 'traceparent', 'tracestate', 'x-forwarded-for', 'x-forwarded-proto', 'user-agent', 'range', 'origin', 'referer', 'prefer', 'last-event-id'];
const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 80 }),
  fc.constantFrom('', '*/*', 'application/json;q=0', 'text/csv', 'da-DK,da;q=0.9,xx', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', '00-zz-zz-zz', 'bytes=0-0,-1', 'W/"x"', 'null', 'x'.repeat(2000), '1.2.3.4, ::1, garbage', '; drop table x'),
);
const fuzzedHeaders = fc.dictionary(fc.constantFrom(...fuzzedHeaderNames), headerValue, { maxKeys: 4 });

/** `headers` adds generated request headers (fuzzedHeaderNames) to some requests; `pathIds`
 * makes every path parameter one of those ids (the tenancy part sends another company's). */
export function requestOf(document: OpenApiDocument, operation: Operation, ids: readonly string[], options: { headers?: boolean; pathIds?: readonly string[] } = {}): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const { pathIds } = options;
  const segment = (parameter: Parameter) =>
    pathIds && pathIds.length > 0
      ? fc.constantFrom(...pathIds).map(urlText)
      : fc.oneof({ weight: 4, arbitrary: valueOf(document, parameter.schema, ids).map(urlText) }, { weight: 1, arbitrary: fc.constantFrom(...rawSegments) });
  const path = fc.tuple(...pathParameters.map(segment)).map((values) => values.reduce<string>((url, value, i) => url.replace(`{${pathParameters[i]!.name}}`, value || 'x'), operation.path));
  const query = fc
    .tuple(...queryParameters.map((parameter) => fc.option(fc.oneof({ weight: 4, arbitrary: valueOf(document, parameter.schema, ids).map(urlText) }, { weight: 1, arbitrary: fc.constantFrom(...rawSegments) }), { nil: undefined })))
    .map((values) => values.flatMap((value, i) => (value === undefined ? [] : [`${queryParameters[i]!.name}=${value}`])).join('&'));
  const bodyTypes = Object.keys(operation.bodies);
  type Body = Pick<FuzzRequest, 'contentType' | 'payload'>;
  const body: fc.Arbitrary<Body> =
    bodyTypes.length === 0
      ? fc.constant({})
      : fc.constantFrom(...bodyTypes).chain((contentType): fc.Arbitrary<Body> => {
          const schema = resolve(document, operation.bodies[contentType]!);
          if (schema.format === 'binary') return fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ contentType, payload: Buffer.from(bytes) }));
          return fc.oneof(
            { weight: 8, arbitrary: valueOf(document, schema, ids).map((value) => ({ contentType, payload: JSON.stringify(value) })) },
            { weight: 1, arbitrary: fc.constantFrom('{', '', '[]', '{"a":1}{', '\u0000', '{"__proto__":{"x":1}}').map((payload) => ({ contentType, payload })) },
          );
        });
  const headers = options.headers ? fc.option(fuzzedHeaders, { nil: undefined }) : fc.constant(undefined);
  return fc.record({ path, query, body, headers }).map(({ path: url, query: search, body: sent, headers: extra }) => ({ method: operation.method, url: search ? `${url}?${search}` : url, ...sent, ...(extra ? { headers: extra } : {}) }));
}

export async function send(client: ApiClient, request: FuzzRequest): Promise<ApiResponse> {
  return client.request(request.method, request.url, undefined, {
    ...(request.payload !== undefined ? { rawBody: request.payload } : {}),
    headers: { ...request.headers, ...(request.contentType ? { 'content-type': request.contentType } : {}) },
  });
}

export function isSound(response: ApiResponse): boolean {
  if (response.status >= 500) return false;
  if (response.status < 400) return true;
  return response.contentType.startsWith('application/problem+json') && typeof response.body?.code === 'string';
}

/** Ids of the demo's rows (from its lists), for requests that reach real records. */
export async function demoIds(admin: ApiClient, excluded: ReadonlySet<string>): Promise<string[]> {
  const lists = ['/api/v1/people', '/api/v1/teams', '/api/v1/cards', '/api/v1/card-transactions', '/api/v1/expenses', '/api/v1/receipts', '/api/v1/expense-categories', '/api/v1/tax-codes', '/api/v1/tag-groups', '/api/v1/ledger/accounts', '/api/v1/ledger/entries', '/api/v1/notifications', '/api/v1/feature-flags', '/api/v1/wallet/top-ups'];
  const ids = new Set<string>();
  for (const list of lists) {
    const response = await admin.get(list);
    for (const item of (response.body?.items ?? []) as { id?: unknown; key?: unknown }[]) {
      const id = typeof item.id === 'string' ? item.id : typeof item.key === 'string' ? item.key : null;
      if (id && !excluded.has(id)) ids.add(id);
    }
  }
  return [...ids].sort();
}


/** Keys whose string values are ids of rows: `id`, and any `...Id`. */
const idKey = /^(id|[a-z][A-Za-z]*Id)$/;

function collectIds(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) collectIds(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (typeof inner === 'string' && idKey.test(key) && inner.length >= 8) into.add(inner);
      else collectIds(inner, into);
    }
  }
}

/**
 * The ids a caller can see, read from every GET route of the document that needs no path
 * parameter (lists, settings, overviews): found by the document, so a new list adds its ids
 * without anyone naming it here.
 */
export async function visibleIds(client: ApiClient, document: OpenApiDocument): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const operation of operationsOf(document)) {
    if (operation.method !== 'GET' || skipped.has(`GET ${operation.path}`) || operation.path.includes('{') || !operation.path.startsWith('/api/')) continue;
    const response = await client.get(operation.path);
    if (response.status === 200) collectIds(response.body, ids);
  }
  return ids;
}
