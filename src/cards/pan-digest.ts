// A keyed digest of a card number, so a card can be found by its number (the ISO 8583
// gateway names cards by PAN) without storing or decrypting the number. The key is derived
// from the encryption key for this one use (HKDF), so the digest reveals nothing that the
// encryption key does not already protect. While keys rotate, a card's digest may be under
// the current key or a previous one, so a number is looked up under each.
import { createHmac, hkdfSync } from 'node:crypto';
import { keyRingOf, type FieldKeys } from '../shared/field-encryption.js';

const keys = new WeakMap<Buffer, Buffer>();

function digestKey(encryptionKey: Buffer): Buffer {
  let key = keys.get(encryptionKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'outlay card number digest v1', 32));
    keys.set(encryptionKey, key);
  }
  return key;
}

function digestUnder(encryptionKey: Buffer, pan: string): string {
  return createHmac('sha256', digestKey(encryptionKey)).update(pan, 'utf8').digest('hex');
}

/** The digest a card gets now: under the current key. */
export function panDigest(keys: FieldKeys, pan: string): string {
  return digestUnder(keyRingOf(keys).current, pan);
}

/** The digests a card with this number may have: under the current key and each previous one. */
export function panDigests(keys: FieldKeys, pan: string): string[] {
  const ring = keyRingOf(keys);
  return [ring.current, ...ring.previous].map((key) => digestUnder(key, pan));
}
