import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptField, encryptField, FieldDecryptionError } from './field-encryption.js';

const key = randomBytes(32);
const context = 'card:cmp_A:card_1:pan';

/** Flips one bit of the decoded part `index` (1 nonce, 2 ciphertext, 3 tag) and re-encodes. */
function flipBit(stored: string, index: number, bit = 0): string {
  const parts = stored.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[bit >> 3] = bytes[bit >> 3]! ^ (1 << (bit & 7));
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('field encryption', () => {
  it('round-trips any short string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (plaintext) => {
        expect(decryptField(key, encryptField(key, plaintext, context), context)).toBe(plaintext);
      }),
    );
  });

  it('writes v1.<nonce>.<ciphertext>.<tag> in base64url, without the plaintext', () => {
    const stored = encryptField(key, '4000123412341234', context);
    const [version, nonce, ciphertext, tag] = stored.split('.');
    expect(version).toBe('v1');
    expect(Buffer.from(nonce!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(ciphertext!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(stored).not.toContain('4000123412341234');
  });

  it('uses a fresh nonce each time, so one value encrypts differently twice', () => {
    expect(encryptField(key, '123', context)).not.toBe(encryptField(key, '123', context));
  });

  it('detects a changed bit in the nonce, the ciphertext or the tag', () => {
    const stored = encryptField(key, '4000123412341234', context);
    for (const part of [1, 2, 3]) {
      expect(() => decryptField(key, flipBit(stored, part, 5), context)).toThrow(FieldDecryptionError);
    }
  });

  it('refuses a value moved to another row or field: the context is authenticated', () => {
    const stored = encryptField(key, '4000123412341234', context);
    expect(() => decryptField(key, stored, 'card:cmp_A:card_2:pan')).toThrow(FieldDecryptionError);
    expect(() => decryptField(key, stored, 'card:cmp_B:card_1:pan')).toThrow(FieldDecryptionError);
    expect(() => decryptField(key, stored, 'card:cmp_A:card_1:cvv')).toThrow(FieldDecryptionError);
  });

  it('refuses another key', () => {
    const stored = encryptField(key, '123', context);
    expect(() => decryptField(randomBytes(32), stored, context)).toThrow(FieldDecryptionError);
  });

  it('refuses malformed values and unknown versions', () => {
    const stored = encryptField(key, '123', context);
    for (const bad of ['', 'v1', stored.replace(/^v1/, 'v2'), `${stored}.x`, stored.replace(/\.[^.]+$/, '.!!'), stored.split('.').slice(0, 3).join('.') + '.AAAA']) {
      expect(() => decryptField(key, bad, context), bad).toThrow(FieldDecryptionError);
    }
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => encryptField(randomBytes(16), '123', context)).toThrow(/32 bytes/);
  });
});
