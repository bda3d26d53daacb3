// Finding a card by its number across companies, on a real database: one indexed read of the
// number's digest, and the start-up backfill that digests cards issued before digests existed.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import type { UserRow } from '../people/people.service.js';
import { actorOfUser, asUser, cardholderPassword, openCardWorld, type CardWorld } from '../test-support/cards.js';
import { issueCard } from './card-issuing.service.js';
import { findCardIdByPan } from './card-lookup.service.js';
import { revealCard } from './card-reveal.service.js';
import { backfillPanDigests } from './pan-digest-backfill.service.js';

const now = new Date();
let world: CardWorld;
let db: Db;

beforeAll(async () => {
  world = await openCardWorld();
  db = world.db;
});
afterAll(async () => {
  await world?.database.close();
});

/** A card of the holder's company issued under `key`, and its number. */
async function cardOf(holder: UserRow, key: Buffer) {
  const view = await issueCard(db, key, holder.company_id, { userId: holder.id, kind: 'virtual' }, actorOfUser(holder), now);
  return { id: view.id, pan: (await revealCard(db, key, asUser(holder), view.id, cardholderPassword, now)).number };
}

describe('finding a card by its number', () => {
  it('finds a card by its full number among the cards of every company', async () => {
    const [mine, theirs] = [await cardOf(world.employee, world.key), await cardOf(world.otherCompanyPerson, world.key)];
    expect(await findCardIdByPan(db, world.key, mine.pan)).toBe(mine.id);
    expect(await findCardIdByPan(db, world.key, theirs.pan)).toBe(theirs.id);
  });

  it('finds nothing for a number no card has, one differing in a digit, or one that is no card number', async () => {
    const card = await cardOf(world.employee, world.key);
    const changed = `${card.pan.slice(0, 6)}${(Number(card.pan[6]) + 1) % 10}${card.pan.slice(7)}`;
    expect(await findCardIdByPan(db, world.key, changed)).toBeNull();
    expect(await findCardIdByPan(db, world.key, '12')).toBeNull();
    expect(await findCardIdByPan(db, world.key, `${card.pan}0`)).toBeNull();
  });

  it('finds nothing under another key', async () => {
    const card = await cardOf(world.employee, world.key);
    expect(await findCardIdByPan(db, randomBytes(32), card.pan)).toBeNull();
  });
});

describe('digests of cards issued before digests existed', () => {
  it('digests the numbers it can decrypt, so those cards are found, and leaves the others without', async () => {
    const otherKey = randomBytes(32);
    const [old, foreign] = [await cardOf(world.employee, world.key), await cardOf(world.colleague, otherKey)];
    await db.updateTable('card_routes').set({ pan_digest: null }).where('card_id', 'in', [old.id, foreign.id]).execute();
    expect(await findCardIdByPan(db, world.key, old.pan)).toBeNull();
    expect(await backfillPanDigests(db, world.key)).toEqual({ digested: 1, undecryptable: 1 });
    expect(await findCardIdByPan(db, world.key, old.pan)).toBe(old.id);
    expect(await findCardIdByPan(db, otherKey, foreign.pan)).toBeNull();
  });
});
