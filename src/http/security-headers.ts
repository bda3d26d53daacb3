// The headers that tell a browser what this origin's pages may do (what @fastify/helmet would
// set, written out here: a handful of fixed values, and /docs needs a policy of its own).
// The web app is built without inline scripts or styles (dist/web/index.html loads one
// module and one stylesheet), so its policy allows only files of this origin; its favicon is
// a data: URL. No page of Outlay is meant to be framed, anywhere.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config/config.js';

const appPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// Swagger UI's files load as scripts of this origin too, but it writes style attributes and
// <style> elements of its own as it renders, and shows the validator badge and data: icons.
const docsPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A year, as browsers are told to keep to https (RFC 6797). */
const strictTransportSecuritySeconds = 365 * 24 * 60 * 60;

export function securityPolicyOf(url: string): string {
  return url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?') ? docsPolicy : appPolicy;
}

/** The headers on one answer. HSTS is sent only when the public address is https: on http a
 * browser ignores it, and a local install on http must not be pinned to an https that it
 * does not serve. */
export function setSecurityHeaders(reply: FastifyReply, url: string, config: Pick<Config, 'publicUrl'>): void {
  reply.header('content-security-policy', securityPolicyOf(url));
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  reply.header('cross-origin-opener-policy', 'same-origin');
  if (/^https:/i.test(config.publicUrl)) reply.header('strict-transport-security', `max-age=${strictTransportSecuritySeconds}; includeSubDomains`);
}

/** Sets the headers on every answer, API and pages alike. (config.publicUrl is read on each
 * answer: a server on an ephemeral port learns its address after it starts.) */
export function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'publicUrl'>): void {
  app.addHook('onSend', async (request, reply, payload) => {
    setSecurityHeaders(reply, request.url, config);
    return payload;
  });
}
