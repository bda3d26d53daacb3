// What the authorization engine reads of a card, on a real database: the card found by its id
// alone and locked, and a single-use card marked spent.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { UserRow } from '../people/people.service.js';
import { actorOfUser, asUser, cardEventsOf, openCardWorld, type CardWorld } from '../test-support/cards.js';
import { consumeSingleUseCard, loadCardForAuthorization } from './card-for-authorization.service.js';
import { issueCard, type IssueCardInput } from './card-issuing.service.js';
import { getCard } from './card-reading.service.js';

/** The instant the services are told it is, where a test does not name one. */
const now = new Date();
let world: CardWorld;
let db: Db;
let key: Buffer;
let company: CompanyRow;
let admin: UserRow;
let employee: UserRow;

beforeAll(async () => {
  world = await openCardWorld();
  ({ db, key, company, admin, employee } = world);
});
afterAll(async () => {
  await world?.database.close();
});

const issueVirtual = (holder: UserRow, extra: Partial<IssueCardInput> = {}) => world.issueVirtual(holder, extra);

describe('for the authorization engine', () => {
  it('loads a card by id alone with its company, time zone, currency and decision view', async () => {
    const { card } = await issueVirtual(employee, { controls: { perPurchaseMax: '10.00' } });
    const loaded = await db.transaction().execute((trx) => loadCardForAuthorization(trx, card.id));
    expect(loaded).toMatchObject({ companyId: company.id, timeZone: 'Europe/Copenhagen', walletCurrency: 'EUR', card: { id: card.id } });
    expect(loaded?.decision).toMatchObject({ status: 'active', singleUse: false, singleUseSpent: false, vendorLock: null, controls: { perPurchaseMax: 1000n } });
    expect(loaded?.decision.expiresAt.toISOString()).toMatch(/T23:59:59\.999Z$/);
    expect(await db.transaction().execute((trx) => loadCardForAuthorization(trx, 'card_00000000000000000000000000'))).toBeNull();
  });

  it.skipIf(!process.env.DATABASE_URL)('locks the card, so a second authorization of it waits', async () => {
    const { card } = await issueVirtual(employee);
    await expect(
      db.transaction().execute(async (first) => {
        await loadCardForAuthorization(first, card.id);
        await db.transaction().execute(async (second) => {
          await sql`set local lock_timeout = '200ms'`.execute(second);
          await loadCardForAuthorization(second, card.id);
        });
      }),
    ).rejects.toMatchObject({ code: '55P03' });
  });

  it('marks a single-use card spent once, with an event, and leaves other cards alone', async () => {
    const single = await issueCard(db, key, company.id, { userId: employee.id, kind: 'single_use' }, actorOfUser(admin), now);
    const spend = (id: string) => db.transaction().execute((trx) => consumeSingleUseCard(trx, company.id, id));
    expect(await spend(single.card.id)).toBe(true);
    expect(await spend(single.card.id)).toBe(false);
    const after = await getCard(db, asUser(employee), single.card.id, now);
    expect({ spent: after.card.single_use_spent, status: after.status }).toEqual({ spent: true, status: 'active' });
    expect((await cardEventsOf(db, single.card.id)).at(-1)).toEqual({ action: 'single_use_spent', actorType: 'system', actorId: null, reason: null });
    const { card } = await issueVirtual(employee);
    expect(await spend(card.id)).toBe(false);
    expect((await getCard(db, asUser(employee), card.id, now)).card.single_use_spent).toBe(false);
  });
});
