// Password hashing with scrypt (RFC 7914) from node:crypto; parameters are stored with the
// hash, so a hash made at a lower cost still verifies and is made again at the current cost
// on its owner's next sign-in.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordCost } from '../config/config.js';

export type { PasswordCost } from '../config/config.js';

export const passwordLengthMin = 12;
export const passwordLengthMax = 200;

const keyLength = 32;
/** scrypt needs 128 * N * r bytes (128 MiB at N = 2^17, r = 8); node's default maxmem is
 * 32 MiB, so it is raised to what the cost needs plus room. */
const scryptMemoryHeadroomBytes = 16 * 1024 * 1024;
/** The largest N a stored hash may ask for: a hash is data, and a tampered one must not make
 * a sign-in allocate gigabytes. */
const storedCostNMax = 2 ** 20;

function derive(password: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
  const maxmem = 128 * cost.N * cost.r + scryptMemoryHeadroomBytes;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, { N: cost.N, r: cost.r, p: cost.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: PasswordCost): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface StoredHash {
  cost: PasswordCost;
  salt: Buffer;
  key: Buffer;
}

function readStoredHash(stored: string): StoredHash | null {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !key) return null;
  if (![cost.N, cost.r, cost.p].every(Number.isSafeInteger) || cost.N < 2 || cost.N > storedCostNMax || cost.r < 1 || cost.p < 1) return null;
  return { cost, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const hash = readStoredHash(stored);
  if (!hash) return false;
  const actual = await derive(password, hash.salt, hash.cost);
  return actual.length === hash.key.length && timingSafeEqual(actual, hash.key);
}

/** Whether a stored hash was made at less than the current cost (or cannot be read): made
 * again from the password on the next successful sign-in. */
export function needsRehash(stored: string, current: PasswordCost): boolean {
  const hash = readStoredHash(stored);
  return !hash || hash.cost.N < current.N || hash.cost.r < current.r || hash.cost.p < current.p;
}

// Hashing a dummy when the e-mail is unknown keeps login time from telling which
// addresses have accounts: one dummy per cost, made at the cost real hashes have.
const dummyHashes = new Map<string, Promise<string>>();
export async function burnPasswordCheck(password: string, cost: PasswordCost): Promise<void> {
  const costKey = `${cost.N}$${cost.r}$${cost.p}`;
  let dummy = dummyHashes.get(costKey);
  if (!dummy) {
    dummy = hashPassword('outlay-timing-equaliser', cost);
    dummyHashes.set(costKey, dummy);
  }
  await verifyPassword(password, await dummy);
}
