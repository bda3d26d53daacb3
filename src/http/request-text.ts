// Strings a request brings in must be text PostgreSQL can store and compare. It refuses the
// NUL character in text (SQLSTATE 22P05, a 500 before this check), and a lone UTF-16
// surrogate (half of a pair, which JSON's \ud800 escapes can make) is no character at all:
// written as UTF-8 it silently turns into U+FFFD. Both are refused before any handler runs,
// for every route at once, naming the field.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../shared/errors.js';

// The NUL character is what the pattern is for.
// eslint-disable-next-line no-control-regex
const notText = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string is text: no NUL character and no lone surrogate. */
export function isText(value: string): boolean {
  return !notText.test(value);
}

/** The path (dots between keys) of the first string in `value`, keys included, that is no
 * text; null when all are. Walked with a list, not recursion: a deeply nested body must not
 * overflow the stack. */
export function firstNonText(value: unknown, root: string | undefined): string | null {
  const pending: { value: unknown; path: string | undefined }[] = [{ value, path: root }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (!isText(current)) return path ?? '';
      continue;
    }
    if (current === null || typeof current !== 'object' || Buffer.isBuffer(current)) continue;
    for (const [key, child] of Object.entries(current)) {
      const childPath = path === undefined ? key : `${path}.${key}`;
      if (!isText(key)) return childPath;
      pending.push({ value: child, path: childPath });
    }
  }
  return null;
}

function refuseNonText(request: FastifyRequest): void {
  const parts: [unknown, string][] = [
    [request.params, 'path parameter '],
    [request.query, 'query parameter '],
    [request.headers, 'header '],
    [request.body, ''],
  ];
  for (const [value, where] of parts) {
    const field = firstNonText(value, undefined);
    if (field === null) continue;
    const name = field === '' ? 'the request body' : `${where}${field}`;
    throw new DomainError('invalid_text', `${name} is not text: it holds a NUL character or half of a UTF-16 surrogate pair`, field === '' ? undefined : field);
  }
}

/** Refuses, for every route, a request with a string that is no text in its path, query,
 * headers or JSON body (preValidation: the body has been parsed, nothing has used it). */
export function registerTextCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => refuseNonText(request));
}
