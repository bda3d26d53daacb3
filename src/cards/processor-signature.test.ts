import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './processor-signature.js';

const secret = Buffer.alloc(32, 9);
const body = '{"id":"auth-1","amount":"12.50"}';
const now = 1_795_000_000;

describe('processor signatures', () => {
  it('accepts a body signed with the shared secret within the window', () => {
    expect(verifySignature(secret, body, signPayload(secret, body, now - 30), now, 300)).toEqual({ ok: true });
  });

  it.each([
    ['a missing header', undefined, /missing/],
    ['a malformed header', 'sha256=abc', /must read/],
    ['a stale timestamp', signPayload(secret, body, now - 301), /more than 300 s/],
    ['a timestamp from the future', signPayload(secret, body, now + 301), /more than 300 s/],
    ['another secret', signPayload(Buffer.alloc(32, 1), body, now), /does not match/],
    ['a changed body', signPayload(secret, body.replace('12.50', '1250.00'), now), /does not match/],
  ])('refuses %s', (_case, header, reason) => {
    const check = verifySignature(secret, body, header, now, 300);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toMatch(reason);
  });
});
