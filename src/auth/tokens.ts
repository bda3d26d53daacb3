// Bearer secrets (session cookies, invitation links, API keys) are `<company>.<id>.<secret>`:
// the company and row id find the row without a global index; only a keyed hash of the
// secret is stored, so a database leak reveals no usable token.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ParsedToken {
  companyId: string;
  id: string;
  secret: string;
}

const secretBytes = 24;
const tokenPattern = /^(cmp_[0-9A-Z]{26})\.([a-z]{2,5}_[0-9A-Z]{26})\.([A-Za-z0-9_-]{32})$/;

export function newSecret(): string {
  return randomBytes(secretBytes).toString('base64url');
}

export function formatToken(companyId: string, id: string, secret: string, prefix = ''): string {
  return `${prefix}${companyId}.${id}.${secret}`;
}

export function parseToken(token: string, prefix = ''): ParsedToken | null {
  if (!token.startsWith(prefix)) return null;
  const match = tokenPattern.exec(token.slice(prefix.length));
  return match ? { companyId: match[1]!, id: match[2]!, secret: match[3]! } : null;
}

export function hashSecret(key: Buffer, purpose: string, secret: string): string {
  return createHmac('sha256', key).update(`${purpose}:${secret}`).digest('base64url');
}

export function secretMatches(key: Buffer, purpose: string, secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(key, purpose, secret));
  const expected = Buffer.from(storedHash);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
