// Rotating the key of card secrets with `outlay keys`, against a real database: cards issued
// under the old key keep being found and revealed once a new key is deployed with the old one
// listed as previous; `keys rotate` rewrites them (numbers, CVVs and number digests) under the
// new key, after which the old key can go; a card no configured key decrypts is named and left.
// Webhook endpoints' signing secrets (the current one and one still in its overlap) are
// rewritten too, and messages signed with them still verify with the standardwebhooks package.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../cards/card-issuing.service.js';
import { findCardIdByPan } from '../cards/card-lookup.service.js';
import { decryptCardSecret } from '../cards/card-secrets.js';
import { createCompany } from '../companies/companies.service.js';
import { openDatabase, type Database } from '../db/database.js';
import { addActivePerson } from '../people/people.service.js';
import { encryptField, fieldKeyId, type FieldKeys } from '../shared/field-encryption.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { signatureHeaders } from '../webhooks/webhook-signing.js';
import { createEndpoint, getEndpoint, rotateSecret, signingSecretsOf } from '../webhooks/webhooks.service.js';
import { Webhook } from 'standardwebhooks';
import { main } from './main.js';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };

let env: Record<string, string>;
let serverDatabase: TestDatabase | null = null;
let cards: { id: string; pan: string; cvv: string }[] = [];
/** The webhook endpoint, and its secrets (current, then previous) as created under the old key. */
let endpoint: { companyId: string; id: string; secrets: string[] };

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withDb<T>(work: (db: Database['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase(env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: 2 } : { kind: 'pglite', dataDir: path.join(env.OUTLAY_DATA_DIR!, 'pglite') });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** Each card's number and CVV as the keys read them, and the card its number finds. */
async function readCards(keys: FieldKeys) {
  return withDb(async (db) => {
    const rows = await db.selectFrom('cards').select(['company_id', 'id', 'pan_ciphertext', 'cvv_ciphertext']).orderBy('id').execute();
    return Promise.all(
      rows.map(async (row) => {
        const pan = decryptCardSecret(keys, row, 'pan', row.pan_ciphertext);
        return { id: row.id, pan, cvv: decryptCardSecret(keys, row, 'cvv', row.cvv_ciphertext), foundById: await findCardIdByPan(db, keys, pan) };
      }),
    );
  });
}

const useKeys = (current: Buffer, previous: Buffer[]) => {
  env.OUTLAY_ENCRYPTION_KEY = current.toString('base64');
  if (previous.length > 0) env.OUTLAY_ENCRYPTION_KEYS_PREVIOUS = previous.map((key) => key.toString('base64')).join(',');
  else delete env.OUTLAY_ENCRYPTION_KEYS_PREVIOUS;
};

beforeAll(async () => {
  env = { OUTLAY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'outlay-keys-')), OUTLAY_DEMO: '0', LOG_LEVEL: 'silent' };
  if (process.env.DATABASE_URL) {
    serverDatabase = await openTestDatabase();
    env.DATABASE_URL = serverDatabase.url!;
  }
  useKeys(oldKey, []);
  expect((await run('migrate')).code).toBe(0);
  await withDb(async (db) => {
    const company = await createCompany(db, { name: 'Rotating Ltd', currency: 'EUR' });
    const person = await addActivePerson(db, company.id, { email: 'kim@rotating.test', name: 'Kim', roles: ['employee'], password: 'a-long-enough-password' });
    for (let i = 0; i < 3; i += 1) await issueCard(db, oldKey, company.id, { userId: person.id, kind: 'virtual' }, system, new Date());
    const created = await createEndpoint(db, { keys: oldKey, production: false }, company.id, { url: 'http://127.0.0.1:9/hooks', eventTypes: ['card.created'] }, system, new Date());
    // Rotated once, so the endpoint has a previous secret in its overlap as well.
    const rotated = await rotateSecret(db, oldKey, company.id, created.endpoint.id, system, new Date());
    endpoint = { companyId: company.id, id: created.endpoint.id, secrets: [rotated.secret, created.secret] };
  });
  cards = await readCards(oldKey);
});

afterAll(async () => {
  await serverDatabase?.close();
});

describe('outlay keys', () => {
  it('keeps cards found and readable under a new key while the old one is listed as previous', async () => {
    useKeys(newKey, [oldKey]);
    const status = JSON.parse((await run('keys', 'status', '--json')).out) as { currentKeyId: string; cardsByKey: { keyId: string; cards: number }[] };
    expect(status).toEqual({ currentKeyId: fieldKeyId(newKey), cardsByKey: [{ keyId: fieldKeyId(oldKey), cards: 3 }] });
    const read = await readCards({ current: newKey, previous: [oldKey] });
    expect(read.map((card) => [card.pan, card.cvv, card.foundById])).toEqual(cards.map((card) => [card.pan, card.cvv, card.id]));
    // Without the old key, nothing under it reads.
    await expect(readCards(newKey)).rejects.toThrow(`written under key ${fieldKeyId(oldKey)}, which is not configured`);
  });

  it('rewrites every card under the current key, after which the old key can go', async () => {
    useKeys(newKey, [oldKey]);
    const rotated = await run('keys', 'rotate', '--json');
    expect(rotated.code, rotated.err).toBe(0);
    expect(JSON.parse(rotated.out)).toEqual({ keyId: fieldKeyId(newKey), rewritten: 3, undecryptable: [], webhookEndpoints: { rewritten: 1, undecryptable: [] } });
    useKeys(newKey, []);
    const read = await readCards(newKey);
    expect(read.map((card) => [card.pan, card.cvv, card.foundById])).toEqual(cards.map((card) => [card.pan, card.cvv, card.id]));
    expect(JSON.parse((await run('keys', 'status', '--json')).out)).toEqual({ currentKeyId: fieldKeyId(newKey), cardsByKey: [{ keyId: fieldKeyId(newKey), cards: 3 }] });
    // A second run finds nothing to do.
    expect(JSON.parse((await run('keys', 'rotate', '--json')).out)).toMatchObject({ rewritten: 0, undecryptable: [], webhookEndpoints: { rewritten: 0, undecryptable: [] } });
  });

  it('keeps webhook signatures verifying after the rotation, under the new key alone', async () => {
    const secrets = await withDb(async (db) => signingSecretsOf(newKey, await getEndpoint(db, endpoint.companyId, endpoint.id), new Date()));
    expect(secrets).toEqual(endpoint.secrets);
    const body = JSON.stringify({ type: 'card.created', data: { cardId: 'card_1' } });
    const headers = signatureHeaders({ id: 'msg_rotated', at: new Date(), body }, secrets);
    // A receiver that knows either secret accepts the message; one with another secret does not.
    for (const secret of endpoint.secrets) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(body, headers)).toThrow();
    await expect(withDb(async (db) => signingSecretsOf(oldKey, await getEndpoint(db, endpoint.companyId, endpoint.id), new Date()))).rejects.toThrow(`written under key ${fieldKeyId(newKey)}, which is not configured`);
  });

  it('names a card that no configured key decrypts, leaves it, and ends with 1', async () => {
    const stray = cards[1]!;
    await withDb(async (db) => {
      const row = await db.selectFrom('cards').select(['company_id']).where('id', '=', stray.id).executeTakeFirstOrThrow();
      const lost = encryptField(randomBytes(32), stray.pan, `card:${row.company_id}:${stray.id}:pan`);
      await db.updateTable('cards').set({ pan_ciphertext: lost }).where('id', '=', stray.id).execute();
    });
    useKeys(newKey, []);
    const rotated = await run('keys', 'rotate', '--json');
    expect(rotated.code).toBe(1);
    expect(JSON.parse(rotated.out)).toMatchObject({ rewritten: 0, undecryptable: [stray.id] });
    expect(rotated.err).toContain(stray.id);
  });

  it('refuses the current key among the previous ones', async () => {
    useKeys(newKey, [newKey]);
    const result = await run('keys', 'status');
    expect(result.code).toBe(2);
    expect(result.err).toContain('OUTLAY_ENCRYPTION_KEYS_PREVIOUS');
  });
});
