// A keyed digest of a card number, so a card can be found by its number (the ISO 8583
// gateway names cards by PAN) without storing or decrypting the number. The key is derived
// from the encryption key for this one use (HKDF), so the digest reveals nothing that the
// encryption key does not already protect.
import { createHmac, hkdfSync } from 'node:crypto';

const keys = new WeakMap<Buffer, Buffer>();

function digestKey(encryptionKey: Buffer): Buffer {
  let key = keys.get(encryptionKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'outlay card number digest v1', 32));
    keys.set(encryptionKey, key);
  }
  return key;
}

export function panDigest(encryptionKey: Buffer, pan: string): string {
  return createHmac('sha256', digestKey(encryptionKey)).update(pan, 'utf8').digest('hex');
}
