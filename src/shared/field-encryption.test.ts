import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCipheriv } from 'node:crypto';
import { decryptField, encryptField, fieldKeyId, FieldDecryptionError, isUnderCurrentKey } from './field-encryption.js';

const key = randomBytes(32);
const context = 'card:cmp_A:card_1:pan';

/** Flips one bit of the decoded part `index` (2 nonce, 3 ciphertext, 4 tag) and re-encodes. */
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

  it('writes v2.<key id>.<nonce>.<ciphertext>.<tag> in base64url, without the plaintext', () => {
    const stored = encryptField(key, '4000123412341234', context);
    const [version, keyId, nonce, ciphertext, tag] = stored.split('.');
    expect(version).toBe('v2');
    expect(keyId).toBe(fieldKeyId(key));
    expect(Buffer.from(keyId!, 'base64url')).toHaveLength(8);
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
    for (const part of [2, 3, 4]) {
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
    for (const bad of ['', 'v1', 'v2', stored.replace(/^v2/, 'v3'), stored.replace(/^v2/, 'v1'), `${stored}.x`, stored.replace(/\.[^.]+$/, '.!!'), stored.split('.').slice(0, 4).join('.') + '.AAAA']) {
      expect(() => decryptField(key, bad, context), bad).toThrow(FieldDecryptionError);
    }
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => encryptField(randomBytes(16), '123', context)).toThrow(/32 bytes/);
  });
});

/** A value as Outlay wrote it before key ids: v1.<nonce>.<ciphertext>.<tag>, AAD "v1|context". */
function legacyValue(legacyKey: Buffer, plaintext: string, valueContext: string): string {
  const nonce = Buffer.alloc(12, 7);
  const cipher = createCipheriv('aes-256-gcm', legacyKey, nonce, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`v1|${valueContext}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', nonce.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

describe('rotating the key', () => {
  const old = randomBytes(32);
  const current = randomBytes(32);
  const ring = { current, previous: [old] };

  it('writes new values under the current key and reads values under a previous one', () => {
    const underOld = encryptField(old, '4000123412341234', context);
    expect(decryptField(ring, underOld, context)).toBe('4000123412341234');
    const underCurrent = encryptField(ring, '4000123412341234', context);
    expect(underCurrent.split('.')[1]).toBe(fieldKeyId(current));
    expect(isUnderCurrentKey(ring, underCurrent)).toBe(true);
    expect(isUnderCurrentKey(ring, underOld)).toBe(false);
  });

  it('says which key is missing once a previous key is no longer configured', () => {
    const underOld = encryptField(old, '123', context);
    expect(() => decryptField(current, underOld, context)).toThrow(`written under key ${fieldKeyId(old)}, which is not configured`);
  });

  it('reads values written before key ids under whichever configured key wrote them', () => {
    expect(decryptField(ring, legacyValue(old, '4000123412341234', context), context)).toBe('4000123412341234');
    expect(decryptField(ring, legacyValue(current, '777', context), context)).toBe('777');
    expect(() => decryptField(ring, legacyValue(randomBytes(32), '777', context), context)).toThrow(FieldDecryptionError);
    expect(() => decryptField(ring, legacyValue(old, '777', context), 'card:cmp_A:card_1:cvv')).toThrow(FieldDecryptionError);
  });

  it('binds a value to the key id it names: a changed id does not decrypt', () => {
    const stored = encryptField(ring, '123', context).split('.');
    stored[1] = fieldKeyId(old);
    expect(() => decryptField(ring, stored.join('.'), context)).toThrow(FieldDecryptionError);
  });
});
