import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLuhnValid } from '../test-support/cards.js';
import { cardExpiresAt, expiryFor, last4Of, luhnCheckDigit, newCardNumber, newCvv, testBin, type RandomDigits } from './card-numbers.js';

/** Replays the given digits, so fast-check decides every "random" digit. */
function replay(digits: number[]): RandomDigits {
  let next = 0;
  return { below: (max) => digits[next++ % digits.length]! % max };
}

const digitsArbitrary = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 20 });

describe('card numbers', () => {
  it('are 16 digits from the test BIN and pass the Luhn check, whatever the random digits', () => {
    fc.assert(
      fc.property(digitsArbitrary, (digits) => {
        const pan = newCardNumber(replay(digits));
        expect(pan).toMatch(/^\d{16}$/);
        expect(pan.startsWith(testBin)).toBe(true);
        expect(isLuhnValid(pan)).toBe(true);
      }),
    );
  });

  it('fail the Luhn check when any one digit changes', () => {
    fc.assert(
      fc.property(digitsArbitrary, fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 9 }), (digits, position, delta) => {
        const pan = newCardNumber(replay(digits));
        const changed = pan.slice(0, position) + String((Number(pan[position]) + delta) % 10) + pan.slice(position + 1);
        expect(isLuhnValid(changed)).toBe(false);
      }),
    );
  });

  it('agree with published Luhn examples', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(luhnCheckDigit('411111111111111')).toBe('1');
    // The test's own check, on the same examples.
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(isLuhnValid('abcd')).toBe(false);
  });

  it('differ from card to card with crypto randomness', () => {
    const pans = new Set(Array.from({ length: 50 }, () => newCardNumber()));
    expect(pans.size).toBe(50);
  });

  it('keep the last four digits', () => {
    expect(last4Of('0999001234567897')).toBe('7897');
  });
});

describe('CVV', () => {
  it('is three digits', () => {
    for (let i = 0; i < 20; i++) expect(newCvv()).toMatch(/^\d{3}$/);
    expect(newCvv(replay([0, 0, 7]))).toBe('007');
  });
});

describe('expiry', () => {
  it('is the issue month three years ahead', () => {
    expect(expiryFor(new Date('2026-03-15T10:00:00Z'))).toEqual({ month: 3, year: 2029 });
    expect(expiryFor(new Date('2026-12-31T23:59:59Z'))).toEqual({ month: 12, year: 2029 });
  });

  it('runs through the last millisecond of the expiry month, UTC', () => {
    expect(cardExpiresAt({ month: 2, year: 2028 }).toISOString()).toBe('2028-02-29T23:59:59.999Z');
    expect(cardExpiresAt({ month: 12, year: 2029 }).toISOString()).toBe('2029-12-31T23:59:59.999Z');
  });
});
