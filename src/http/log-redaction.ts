// Bearer secrets stay out of logs and spans. A request's URL can carry one: an invitation link
// is /invite/<token> in the web app and /api/v1/invitations/<token> in the API (a password
// reset link /reset-password/<token> and /api/v1/password-resets/<token>), and a caller
// may put a key in the query. The rule is general, not a list of routes: the segment after
// /invitations/, /invite/, /password-resets/ or /reset-password/, the value of any query parameter whose name says it is a secret,
// and anything shaped like an Outlay token (src/auth/tokens.ts) wherever it stands.
import type { FastifyRequest } from 'fastify';

export const redacted = '[redacted]';

/** Path segments whose next segment is a bearer token. */
const tokenSegmentAfter = /(\/(?:invitations|invite|password-resets|reset-password)\/)[^/?#]+/gi;
/** Query parameters whose value is taken for a secret, by a word in their name. */
const secretParameter = /token|key|code|secret|password|signature|session|auth/i;
/** `<company>.<id>.<secret>`, optionally behind a prefix such as olk. (API keys), in any text. */
const outlayToken = /cmp_[0-9A-Z]{26}\.[a-z]{2,5}_[0-9A-Z]{26}\.[A-Za-z0-9_-]{32}/g;

/** Text with every Outlay-shaped token replaced. */
export function redactTokens(text: string): string {
  return text.replace(outlayToken, redacted);
}

/** A URL or path (with its query) with its secrets replaced, as it may be logged. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = (queryAt === -1 ? url : url.slice(0, queryAt)).replace(tokenSegmentAfter, `$1${redacted}`);
  if (queryAt === -1) return redactTokens(path);
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && secretParameter.test(name) ? `${name}=${redacted}` : pair;
    })
    .join('&');
  return redactTokens(`${path}?${query}`);
}

/** Pino's serializer of the request in Fastify's "incoming request" line: Fastify's own
 * fields, the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** How deep redactLogFields looks into a log line's fields. */
const logFieldDepthMax = 4;

/** A log line's own fields with secrets in their strings replaced (pino's formatters.log):
 * an invitation link or a token that a line names is never written out. */
export function redactLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields, 0) as Record<string, unknown>;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.includes('/invit') ? redactUrl(value) : redactTokens(value);
  if (depth >= logFieldDepthMax || value === null || typeof value !== 'object' || value instanceof Error || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  // Only plain objects are rewritten: anything else (a request, a Date) has its own serializer.
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, depth + 1)]));
}
