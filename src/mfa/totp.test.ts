// TOTP against RFC 6238's own test vectors (Appendix B, SHA-1, 8 digits there; the 6 digits
// used here are the last 6), and the drift window and recovery-code forms.
import { describe, expect, it } from 'vitest';
import { normalizeRecoveryCode, newRecoveryCodes, recoveryCodeCount } from './recovery-codes.js';
import { stepAt, stepOfCode, totpCodeAt } from './totp.js';

// "12345678901234567890" in base32, the RFC's SHA-1 seed.
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP', () => {
  it.each([
    ['1970-01-01T00:00:59Z', '287082'],
    ['2005-03-18T01:58:29Z', '081804'],
    ['2009-02-13T23:31:30Z', '005924'],
    ['2033-05-18T03:33:20Z', '279037'],
  ])('gives RFC 6238\'s code at %s', (at, code) => {
    expect(totpCodeAt(rfcSecret, new Date(at))).toBe(code);
  });

  it('finds the step of a code one step either side, not two, and refuses what is not 6 digits', () => {
    const now = new Date('2026-03-02T09:00:10Z');
    const at = (steps: number) => totpCodeAt(rfcSecret, new Date(now.getTime() + steps * 30_000));
    expect(stepOfCode(rfcSecret, at(0), now)).toBe(stepAt(now));
    expect(stepOfCode(rfcSecret, at(-1), now)).toBe(stepAt(now) - 1);
    expect(stepOfCode(rfcSecret, at(1), now)).toBe(stepAt(now) + 1);
    expect(stepOfCode(rfcSecret, at(2), now)).toBeNull();
    expect(stepOfCode(rfcSecret, at(-2), now)).toBeNull();
    expect(stepOfCode(rfcSecret, ` ${at(0)}`, now)).toBeNull();
    expect(stepOfCode(rfcSecret, at(0).slice(1), now)).toBeNull();
  });
});

describe('recovery codes', () => {
  it('makes distinct codes of two groups of five, read back in any case with or without the dash', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(recoveryCodeCount);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    const [first] = codes as [string];
    expect(normalizeRecoveryCode(first.toUpperCase().replace('-', ' '))).toBe(first.replace('-', ''));
    expect(normalizeRecoveryCode('123456')).toBeNull();
    expect(normalizeRecoveryCode('ilouilouil')).toBeNull();
  });
});
