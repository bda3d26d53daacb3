// Requests from the card processor are signed: HMAC-SHA256 over "<unix seconds>.<raw body>"
// with the shared secret, sent as `Outlay-Signature: t=<seconds>,v1=<hex>`. A request whose
// timestamp is outside the tolerance window is refused, so a captured one cannot be replayed
// later.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'outlay-signature';

export function signPayload(secret: Buffer, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifySignature(
  secret: Buffer,
  body: string,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds: number,
): SignatureCheck {
  if (!header) return { ok: false, reason: `the ${signatureHeader} header is missing` };
  const fields = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = fields.get('t');
  const mac = fields.get('v1');
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !mac || !/^[0-9a-f]{64}$/.test(mac)) {
    return { ok: false, reason: `the ${signatureHeader} header must read t=<unix seconds>,v1=<hex HMAC-SHA256>` };
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, reason: `the signature's timestamp is more than ${toleranceSeconds} s from our clock` };
  }
  const expected = Buffer.from(signPayload(secret, body, Number(timestamp)).split('v1=')[1]!, 'hex');
  const given = Buffer.from(mac, 'hex');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'the signature does not match the body' };
  return { ok: true };
}
