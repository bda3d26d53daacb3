// Who sees which card, through the services that read and change cards: one's own cards, all
// of them with cards:read, changes with cards:manage, and never another company's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { UserRow } from '../people/people.service.js';
import { asApiKey, asUser, cardholderPassword as password, openCardWorld, refusal, type CardWorld } from '../test-support/cards.js';
import { cancelCard, freezeCard } from './card-lifecycle.service.js';
import { getCard, listCards } from './card-reading.service.js';
import { revealCard } from './card-reveal.service.js';

/** The instant the services are told it is, where a test does not name one. */
const now = new Date();
let world: CardWorld;
let db: Db;
let key: Buffer;
let company: CompanyRow;
let employee: UserRow;
let colleague: UserRow;
let bookkeeper: UserRow;
let otherCompanyPerson: UserRow;

beforeAll(async () => {
  world = await openCardWorld();
  ({ db, key, company, employee, colleague, bookkeeper, otherCompanyPerson } = world);
});
afterAll(async () => {
  await world?.database.close();
});

const issueVirtual = (holder: UserRow) => world.issueVirtual(holder);

describe('who sees which card', () => {
  it('shows a person their own cards only, and others\' cards as not found', async () => {
    const mine = await issueVirtual(colleague);
    const theirs = await issueVirtual(employee);
    expect((await getCard(db, asUser(colleague), mine.card.id, now)).card.id).toBe(mine.card.id);
    expect(await refusal(getCard(db, asUser(colleague), theirs.card.id, now))).toMatchObject({ code: 'not_found' });
    expect(await refusal(freezeCard(db, asUser(colleague), theirs.card.id, undefined, now))).toMatchObject({ code: 'not_found' });
    const listed = await listCards(db, asUser(colleague), {}, undefined, 100, now);
    expect(new Set(listed.map((view) => view.card.user_id))).toEqual(new Set([colleague.id]));
    expect(await listCards(db, asUser(colleague), { userId: employee.id }, undefined, 100, now)).toEqual([]);
  });

  it('shows everyone\'s cards with cards:read, but changing them needs cards:manage', async () => {
    const { card } = await issueVirtual(employee);
    expect((await getCard(db, asUser(bookkeeper), card.id, now)).card.id).toBe(card.id);
    expect((await listCards(db, asUser(bookkeeper), { userId: employee.id }, undefined, 100, now)).length).toBeGreaterThan(1);
    expect(await refusal(freezeCard(db, asUser(bookkeeper), card.id, undefined, now))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(cancelCard(db, asUser(bookkeeper), card.id, 'lost', now))).toMatchObject({ code: 'forbidden' });
  });

  it('refuses listing to an API key without cards:read', async () => {
    expect(await refusal(listCards(db, asApiKey(company.id, ['company:read']), {}, undefined, 10, now))).toMatchObject({ code: 'forbidden' });
  });

  it('never finds another company\'s card, whatever the permissions', async () => {
    const { card } = await issueVirtual(employee);
    const outsider = asUser(otherCompanyPerson);
    expect(await refusal(getCard(db, outsider, card.id, now))).toMatchObject({ code: 'not_found' });
    expect(await refusal(cancelCard(db, outsider, card.id, 'lost', now))).toMatchObject({ code: 'not_found' });
    expect(await refusal(revealCard(db, key, { ...outsider }, card.id, password, now))).toMatchObject({ code: 'not_found' });
  });
});
