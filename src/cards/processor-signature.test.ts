import { describe, expect, it } from 'vitest';
import { signPayload, signRequest, verifySignature, type SignedRequest } from './processor-signature.js';

const secret = Buffer.alloc(32, 9);
const previous = Buffer.alloc(32, 7);
const body = '{"id":"auth-1","amount":"12.50"}';
const post: SignedRequest = { method: 'POST', target: '/api/v1/processor/authorizations', body };
const lookup: SignedRequest = { method: 'GET', target: '/api/v1/processor/cards?last4=4242', body: '' };
const now = 1_795_000_000;

describe('processor signatures', () => {
  it('accepts a POST body signed with v1 within the window', () => {
    expect(verifySignature([secret], post, signPayload(secret, body, now - 30), now, 300)).toEqual({ ok: true });
  });

  it('accepts a POST and a GET signed with v2 over method, path, query and body', () => {
    expect(verifySignature([secret], post, signRequest(secret, post, now), now, 300)).toEqual({ ok: true });
    expect(verifySignature([secret], lookup, signRequest(secret, lookup, now), now, 300)).toEqual({ ok: true });
  });

  it('accepts the previous secret during a rotation, and only then', () => {
    expect(verifySignature([secret, previous], lookup, signRequest(previous, lookup, now), now, 300)).toEqual({ ok: true });
    expect(verifySignature([secret, previous], post, signPayload(previous, body, now), now, 300)).toEqual({ ok: true });
    expect(verifySignature([secret], lookup, signRequest(previous, lookup, now), now, 300).ok).toBe(false);
  });

  // One row a case, in the order the checks run.
  it.each<[string, SignedRequest, string | undefined, RegExp]>([
    ['a missing header', post, undefined, /missing/],
    ['a malformed header', post, 'sha256=abc', /must read/],
    ['a header with no signature', post, `t=${now}`, /must read/],
    ['a stale timestamp', post, signPayload(secret, body, now - 301), /more than 300 s/],
    ['a timestamp from the future', post, signPayload(secret, body, now + 301), /more than 300 s/],
    ['another secret', post, signPayload(Buffer.alloc(32, 1), body, now), /does not match/],
    ['a changed body', post, signPayload(secret, body.replace('12.50', '1250.00'), now), /does not match/],
    ['a GET signed with v1, whose empty body covers no query', lookup, signPayload(secret, '', now), /signed with v2/],
    ['a GET whose query is not the one signed', lookup, signRequest(secret, { ...lookup, target: '/api/v1/processor/cards?last4=1111' }, now), /does not match/],
    ['a v2 signature of another method', post, signRequest(secret, { ...post, method: 'PUT' }, now), /does not match/],
    ['a v2 signature of another path', post, signRequest(secret, { ...post, target: '/api/v1/processor/events' }, now), /does not match/],
  ])('refuses %s', (_case, request, header, reason) => {
    const check = verifySignature([secret], request, header, now, 300);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toMatch(reason);
  });
});
