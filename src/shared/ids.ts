// Identifiers: a type prefix and a ULID (48-bit millisecond time, 80 random bits, Crockford
// base32). They sort by creation time, which keyset pagination uses, and reveal no counts.
import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const idPrefixes = {
  company: 'cmp',
  team: 'team',
  user: 'usr',
  invitation: 'inv',
  session: 'ses',
  passwordReset: 'pwr',
  apiKey: 'key',
  account: 'acc',
  entry: 'je',
  pendingTransfer: 'pt',
  topUp: 'top',
  walletCorrection: 'wco',
  audit: 'aud',
  card: 'card',
  cardEvent: 'cev',
  cardTransaction: 'ctx',
  networkEvent: 'nev',
  receipt: 'rct',
  notification: 'ntf',
  expense: 'exp',
  expenseEvent: 'eev',
  reviewStep: 'rvs',
  category: 'cat',
  taxCode: 'tax',
  tagGroup: 'tgg',
  tag: 'tag',
  payoutBatch: 'pay',
  exportBatch: 'xpb',
  bankFile: 'bkf',
  bankStatement: 'bks',
  bankEntry: 'bke',
  mail: 'mail',
  passkey: 'pk',
  webhookEndpoint: 'whk',
  webhookEvent: 'evt',
  webhookDelivery: 'whd',
  webhookAttempt: 'wha',
  budget: 'bud',
} as const;

export type IdKind = keyof typeof idPrefixes;

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = alphabet[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(bytes: Buffer): string {
  // 10 bytes = 80 bits = 16 base32 digits.
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = alphabet[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${idPrefixes[kind]}_${encodeTime(now)}${encodeRandom(randomBytes(10))}`;
}
