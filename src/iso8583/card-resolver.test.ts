import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOfRoles } from '../auth/permissions.js';
import { issueCard } from '../cards/card-issuing.service.js';
import { revealCard } from '../cards/card-reveal.service.js';
import { createCompany } from '../companies/companies.service.js';
import { addActivePerson } from '../people/people.service.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { decryptingCardResolver } from './card-resolver.js';

const system = { actorType: 'system' as const, actorId: null };
const password = 'correct horse battery';
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

let sequence = 0;
async function cardUnder(key: Buffer) {
  const db = database.db;
  const company = await createCompany(db, { name: `Resolver ${++sequence}`, currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  const person = await addActivePerson(db, company.id, { email: `resolver${sequence}@cards.test`, name: 'Holder', roles: ['employee'], password });
  const card = await issueCard(db, key, company.id, { userId: person.id, kind: 'virtual' }, system, new Date());
  const holder = { kind: 'user' as const, companyId: company.id, userId: person.id, sessionId: 'ses_resolver', roles: person.roles, permissions: permissionsOfRoles(person.roles) };
  return { id: card.id, pan: (await revealCard(db, key, holder, card.id, password, new Date())).number };
}

describe('decrypting card resolver', () => {
  it('finds a card by its full number among the cards of every company', async () => {
    const key = randomBytes(32);
    const [first, second] = [await cardUnder(key), await cardUnder(key)];
    const resolve = decryptingCardResolver(database.db, key);
    expect(await resolve(first.pan)).toBe(first.id);
    expect(await resolve(second.pan)).toBe(second.id);
  });

  it('finds nothing for a number no card has, one differing in a digit, or one that is no card number', async () => {
    const key = randomBytes(32);
    const card = await cardUnder(key);
    const resolve = decryptingCardResolver(database.db, key);
    const changed = `${card.pan.slice(0, 6)}${(Number(card.pan[6]) + 1) % 10}${card.pan.slice(7)}`;
    expect(await resolve(changed)).toBeNull();
    expect(await resolve('12')).toBeNull();
    expect(await resolve(`${card.pan}0`)).toBeNull();
  });

  it('passes over a number stored under another key instead of failing', async () => {
    const card = await cardUnder(randomBytes(32));
    expect(await decryptingCardResolver(database.db, randomBytes(32))(card.pan)).toBeNull();
  });
});
