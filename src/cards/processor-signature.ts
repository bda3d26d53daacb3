// Requests from the card processor are signed with HMAC-SHA256 and the shared secret, sent as
// `Outlay-Signature: t=<unix seconds>,v2=<hex>` (or v1). A request whose timestamp is outside
// the tolerance window is refused, so a captured one cannot be replayed later.
//
// Two schemes:
// - v2 signs "<t>.<METHOD> <path?query>\n<body>": the method, the path and the query string
//   as sent, and the body. Every request may use it, and a request without a body must: a
//   GET's body is empty, so a signature over the body alone would answer any query.
// - v1 signs "<t>.<body>", as processors integrated before v2 do. It is accepted for requests
//   with a body (POST) only: its path is fixed and its body is the whole message.
//
// During a rotation of the secret the previous one is accepted too (OUTLAY_PROCESSOR_SECRET_PREVIOUS).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'outlay-signature';

/** What v2 signs of a request: its method, its target (path and query string, as sent) and its body. */
export interface SignedRequest {
  method: string;
  target: string;
  body: string;
}

const hmac = (secret: Buffer, text: string) => createHmac('sha256', secret).update(text).digest();

const v1Text = (body: string, unixSeconds: number) => `${unixSeconds}.${body}`;
const v2Text = (request: SignedRequest, unixSeconds: number) => `${unixSeconds}.${request.method.toUpperCase()} ${request.target}\n${request.body}`;

/** The v1 header: the body alone (POST only). */
export function signPayload(secret: Buffer, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmac(secret, v1Text(body, unixSeconds)).toString('hex')}`;
}

/** The v2 header: method, path with query string, and body. */
export function signRequest(secret: Buffer, request: SignedRequest, unixSeconds: number): string {
  return `t=${unixSeconds},v2=${hmac(secret, v2Text(request, unixSeconds)).toString('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

function fieldsOf(header: string): Map<string, string> {
  return new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
}

const hexMac = /^[0-9a-f]{64}$/;

function matchesAny(secrets: readonly Buffer[], text: string, mac: string): boolean {
  const given = Buffer.from(mac, 'hex');
  // Every secret is tried, so the time taken does not tell which one matched.
  return secrets.map((secret) => timingSafeEqual(hmac(secret, text), given)).includes(true);
}

/**
 * Checks a request's signature against the current secret and, during a rotation, the
 * previous one. Anything but a POST is accepted with v2 only.
 */
export function verifySignature(
  secrets: readonly Buffer[],
  request: SignedRequest,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds: number,
): SignatureCheck {
  if (!header) return { ok: false, reason: `the ${signatureHeader} header is missing` };
  const fields = fieldsOf(header);
  const timestamp = fields.get('t');
  const v1 = fields.get('v1');
  const v2 = fields.get('v2');
  const wellFormed = (mac: string | undefined) => mac === undefined || hexMac.test(mac);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || (v1 === undefined && v2 === undefined) || !wellFormed(v1) || !wellFormed(v2)) {
    return { ok: false, reason: `the ${signatureHeader} header must read t=<unix seconds>,v2=<hex HMAC-SHA256> (or v1= for a POST)` };
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, reason: `the signature's timestamp is more than ${toleranceSeconds} s from our clock` };
  }
  const unixSeconds = Number(timestamp);
  if (v2 !== undefined) {
    return matchesAny(secrets, v2Text(request, unixSeconds), v2) ? { ok: true } : { ok: false, reason: 'the v2 signature does not match the method, path, query and body' };
  }
  if (request.method.toUpperCase() !== 'POST') {
    return { ok: false, reason: `a ${request.method.toUpperCase()} is signed with v2, over its method, path and query string: "<t>.<METHOD> <path?query>\\n<body>"` };
  }
  return matchesAny(secrets, v1Text(request.body, unixSeconds), v1!) ? { ok: true } : { ok: false, reason: 'the signature does not match the body' };
}
