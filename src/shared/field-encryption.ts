// Short secrets kept in database columns (card numbers, CVVs) are encrypted with AES-256-GCM
// (NIST SP 800-38D) under the configured encryption key. A stored value reads
// `v2.<key id>.<nonce>.<ciphertext>.<tag>`, each part base64url. The key id names the key it
// was written under, so keys can rotate: new values use the current key, values under a
// previous key still decrypt while that key is configured, and `outlay keys rotate` rewrites
// them under the current one. Values written before key ids (`v1.<nonce>.<ciphertext>.<tag>`)
// are tried under each configured key. The associated data names the row and field the value
// belongs to (e.g. company, card and "pan"), so a ciphertext copied into another row or
// column fails its authentication check instead of decrypting there.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const version = 'v2';
const legacyVersion = 'v1';
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

/** The keys fields are encrypted with: the current one, and previous ones that still decrypt. */
export interface FieldKeyRing {
  current: Buffer;
  previous: readonly Buffer[];
}

/** A key alone is a ring of one. */
export type FieldKeys = Buffer | FieldKeyRing;

export function keyRingOf(keys: FieldKeys): FieldKeyRing {
  return Buffer.isBuffer(keys) ? { current: keys, previous: [] } : keys;
}

const keyIds = new WeakMap<Buffer, string>();

/** A key's id: 8 bytes of an HMAC under the key itself, which says nothing about the key but
 * tells the keys of a ring apart. */
export function fieldKeyId(key: Buffer): string {
  let id = keyIds.get(key);
  if (id === undefined) {
    checkKey(key);
    id = createHmac('sha256', key).update('outlay field key id').digest().subarray(0, 8).toString('base64url');
    keyIds.set(key, id);
  }
  return id;
}

/** The associated data is authenticated, not encrypted: it binds the value to its place (and,
 * from v2, to the key id it names). */
function associatedDataOf(scheme: string, context: string, keyId?: string): Buffer {
  return Buffer.from(keyId === undefined ? `${scheme}|${context}` : `${scheme}|${keyId}|${context}`, 'utf8');
}

export function encryptField(keys: FieldKeys, plaintext: string, context: string): string {
  const key = keyRingOf(keys).current;
  const keyId = fieldKeyId(key);
  const data = Buffer.from(plaintext, 'utf8');
  if (data.length > fieldPlaintextBytesMax) throw new Error(`an encrypted field holds at most ${fieldPlaintextBytesMax} bytes`);
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv(algorithm, key, nonce, { authTagLength: tagBytes });
  cipher.setAAD(associatedDataOf(version, context, keyId));
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  return [version, keyId, nonce.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

const base64url = /^[A-Za-z0-9_-]*$/;

/** What every value the current key writes starts with, for finding those still under another. */
export function currentKeyPrefix(keys: FieldKeys): string {
  return `${version}.${fieldKeyId(keyRingOf(keys).current)}.`;
}

/** Whether a stored value is written under the ring's current key (nothing to rotate). */
export function isUnderCurrentKey(keys: FieldKeys, stored: string): boolean {
  return stored.startsWith(currentKeyPrefix(keys));
}

/** A LIKE pattern matching every value under the current key. */
export function currentKeyPattern(keys: FieldKeys): string {
  return `${currentKeyPrefix(keys).replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export function decryptField(keys: FieldKeys, stored: string, context: string): string {
  const ring = keyRingOf(keys);
  const parts = stored.split('.');
  if (!parts.every((part) => base64url.test(part))) throw new FieldDecryptionError('an encrypted field is base64url');
  if (parts.length === 5 && parts[0] === version) {
    const keyId = parts[1]!;
    const key = [ring.current, ...ring.previous].find((candidate) => fieldKeyId(candidate) === keyId);
    if (!key) throw new FieldDecryptionError(`the encrypted field was written under key ${keyId}, which is not configured`);
    return open(key, parts.slice(2), associatedDataOf(version, context, keyId));
  }
  if (parts.length === 4 && parts[0] === legacyVersion) {
    // Written before key ids: whichever configured key authenticates it is its key.
    for (const key of [ring.current, ...ring.previous]) {
      try {
        return open(key, parts.slice(1), associatedDataOf(legacyVersion, context));
      } catch (error) {
        if (!(error instanceof FieldDecryptionError)) throw error;
      }
    }
    throw new FieldDecryptionError('the encrypted field does not authenticate with any configured key and this context');
  }
  throw new FieldDecryptionError(`not a ${version} or ${legacyVersion} encrypted field`);
}

function open(key: Buffer, encoded: readonly string[], associatedData: Buffer): string {
  checkKey(key);
  const [nonce, ciphertext, tag] = encoded.map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
  if (nonce.length !== nonceBytes || tag.length !== tagBytes) throw new FieldDecryptionError('the nonce or tag of an encrypted field has the wrong length');
  const decipher = createDecipheriv(algorithm, key, nonce, { authTagLength: tagBytes });
  decipher.setAAD(associatedData);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // GCM says only "unauthenticated": a wrong key, a changed byte, or another row's value.
    throw new FieldDecryptionError('the encrypted field does not authenticate with this key and context');
  }
}
