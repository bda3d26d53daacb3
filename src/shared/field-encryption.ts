// Short secrets kept in database columns (card numbers, CVVs) are encrypted with AES-256-GCM
// (NIST SP 800-38D) under the configured encryption key. A stored value reads
// `v1.<nonce>.<ciphertext>.<tag>`, each part base64url: the version lets a later scheme or
// key sit beside this one. The associated data names the row and field the value belongs to
// (e.g. company, card and "pan"), so a ciphertext copied into another row or column fails
// its authentication check instead of decrypting there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const version = 'v1';
const algorithm = 'aes-256-gcm';
export const encryptionKeyBytes = 32;
/** 96-bit nonces, the size GCM is specified for (SP 800-38D, 8.2); random, so never reused
 * in practice for the number of values one key encrypts here. */
const nonceBytes = 12;
const tagBytes = 16;
/** Fields are short: a card number, a CVV. Anything longer is a mistake. */
export const fieldPlaintextBytesMax = 1024;

export class FieldDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldDecryptionError';
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== encryptionKeyBytes) throw new Error(`the encryption key must be ${encryptionKeyBytes} bytes, got ${key.length}`);
}

/** The associated data is authenticated, not encrypted: it binds the value to its place. */
function associatedDataOf(context: string): Buffer {
  return Buffer.from(`${version}|${context}`, 'utf8');
}

export function encryptField(key: Buffer, plaintext: string, context: string): string {
  checkKey(key);
  const data = Buffer.from(plaintext, 'utf8');
  if (data.length > fieldPlaintextBytesMax) throw new Error(`an encrypted field holds at most ${fieldPlaintextBytesMax} bytes`);
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv(algorithm, key, nonce, { authTagLength: tagBytes });
  cipher.setAAD(associatedDataOf(context));
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  return [version, nonce, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

const base64url = /^[A-Za-z0-9_-]*$/;

export function decryptField(key: Buffer, stored: string, context: string): string {
  checkKey(key);
  const parts = stored.split('.');
  if (parts.length !== 4 || parts[0] !== version) throw new FieldDecryptionError(`not a ${version} encrypted field`);
  if (!parts.every((part) => base64url.test(part))) throw new FieldDecryptionError('an encrypted field is base64url');
  const [nonce, ciphertext, tag] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
  if (nonce.length !== nonceBytes || tag.length !== tagBytes) throw new FieldDecryptionError('the nonce or tag of an encrypted field has the wrong length');
  const decipher = createDecipheriv(algorithm, key, nonce, { authTagLength: tagBytes });
  decipher.setAAD(associatedDataOf(context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // GCM says only "unauthenticated": a wrong key, a changed byte, or another row's value.
    throw new FieldDecryptionError('the encrypted field does not authenticate with this key and context');
  }
}
