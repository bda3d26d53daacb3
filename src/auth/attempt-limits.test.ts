import { describe, expect, it } from 'vitest';
import { decideAttempt, lockoutMsOf, receiptUploadsPerCompany, receiptUploadsPerUploader, refundAttempt, signInPerAddress, signInPerClient, statementUploadsPerCompany, statementUploadsPerUploader, type AttemptRule, type AttemptState } from './attempt-limits.js';

const rule: AttemptRule = { scope: 'test', failuresMax: 3, windowMs: 60_000, lockoutMs: 10_000, lockoutMsMax: 40_000, forgetAfterMs: 3_600_000 };
const t0 = new Date('2026-03-02T09:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const state = (partial: Partial<AttemptState>): AttemptState => ({ failures: 0, windowStartedAt: t0, lockouts: 0, lockedUntil: null, updatedAt: t0, ...partial });

describe('decideAttempt', () => {
  // One row a case, in precedence order.
  const table: [string, AttemptState | null, Date, ReturnType<typeof decideAttempt>][] = [
    ['refuses while locked out, saying how long is left', state({ lockouts: 1, lockedUntil: at(10_000) }), at(4_000), { allowed: false, retryAfterMs: 6_000 }],
    ['starts afresh a subject left alone past forgetAfterMs, lockouts too', state({ failures: 2, lockouts: 3, updatedAt: t0 }), at(3_600_000), { allowed: true, lockedOut: false, next: state({ failures: 1, windowStartedAt: at(3_600_000), updatedAt: at(3_600_000) }) }],
    ['counts the first attempt of a subject never seen', null, t0, { allowed: true, lockedOut: false, next: state({ failures: 1 }) }],
    ['starts a new window when the last one is over, keeping lockouts', state({ failures: 2, lockouts: 1, updatedAt: at(50_000) }), at(60_000), { allowed: true, lockedOut: false, next: state({ failures: 1, lockouts: 1, windowStartedAt: at(60_000), updatedAt: at(60_000) }) }],
    ['counts an attempt within the window', state({ failures: 1, updatedAt: at(1_000) }), at(2_000), { allowed: true, lockedOut: false, next: state({ failures: 2, updatedAt: at(2_000) }) }],
    ['lets the last attempt of the window through and locks out after it', state({ failures: 2 }), at(5_000), { allowed: true, lockedOut: true, next: state({ failures: 0, windowStartedAt: at(5_000), lockouts: 1, lockedUntil: at(15_000), updatedAt: at(5_000) }) }],
    ['locks out twice as long the second time in a row', state({ failures: 2, lockouts: 1, lockedUntil: at(1_000) }), at(5_000), { allowed: true, lockedOut: true, next: state({ failures: 0, windowStartedAt: at(5_000), lockouts: 2, lockedUntil: at(25_000), updatedAt: at(5_000) }) }],
  ];
  it.each(table)('%s', (_name, before, now, expected) => {
    expect(decideAttempt(rule, before, now)).toEqual(expected);
  });
});

describe('lockoutMsOf', () => {
  it('doubles each lockout in a row up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 60].map((n) => lockoutMsOf(rule, n))).toEqual([10_000, 20_000, 40_000, 40_000, 40_000, 40_000]);
  });
});

describe('refundAttempt', () => {
  it('gives back one attempt, or undoes the lockout the attempt started', () => {
    expect(refundAttempt(rule, state({ failures: 2 }), at(1)).failures).toBe(1);
    expect(refundAttempt(rule, state({ failures: 0, lockouts: 1, lockedUntil: at(10_000) }), at(1))).toMatchObject({ failures: 2, lockouts: 0, lockedUntil: null });
  });
});

describe('the sign-in rules', () => {
  it('are separate counts, the client address\'s wider than the e-mail address\'s', () => {
    expect(signInPerAddress.scope).not.toBe(signInPerClient.scope);
    expect(signInPerClient.failuresMax).toBeGreaterThan(signInPerAddress.failuresMax);
  });
});

describe('the upload rules', () => {
  it('are separate counts, each company\'s wider than one uploader\'s, statements tighter than receipts', () => {
    const rules = [receiptUploadsPerUploader, receiptUploadsPerCompany, statementUploadsPerUploader, statementUploadsPerCompany];
    expect(new Set(rules.map((one) => one.scope)).size).toBe(rules.length);
    expect(receiptUploadsPerCompany.failuresMax).toBeGreaterThan(receiptUploadsPerUploader.failuresMax);
    expect(statementUploadsPerCompany.failuresMax).toBeGreaterThan(statementUploadsPerUploader.failuresMax);
    expect(statementUploadsPerUploader.failuresMax).toBeLessThan(receiptUploadsPerUploader.failuresMax);
  });
});
