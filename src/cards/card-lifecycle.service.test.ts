// A card's lifecycle on a real database: every move people make, with its event, and the moves
// the lifecycle refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { UserRow } from '../people/people.service.js';
import { actorOfUser, asUser, cardEventsOf, openCardWorld, refusal, type CardWorld } from '../test-support/cards.js';
import { updateControls } from './card-controls.service.js';
import { issueCard, type IssueCardInput } from './card-issuing.service.js';
import { activateCard, cancelCard, freezeCard, replaceCard, unfreezeCard, updateShipping } from './card-lifecycle.service.js';
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

const issueVirtual = (holder: UserRow, extra: Partial<IssueCardInput> = {}, now?: Date) => world.issueVirtual(holder, extra, now);

const shipTo = { recipient: 'Emma Holder', line1: 'Vesterbrogade 1', postalCode: '1620', city: 'København V', country: 'DK' };

describe('lifecycle', () => {
  it('lets the cardholder freeze and unfreeze their card, recording who and why', async () => {
    const { card } = await issueVirtual(employee);
    const holder = asUser(employee);
    expect((await freezeCard(db, holder, card.id, 'left it in a taxi', now)).status).toBe('frozen');
    expect((await unfreezeCard(db, holder, card.id, 'found it', now)).status).toBe('active');
    expect(await cardEventsOf(db, card.id)).toEqual([
      { action: 'issued', actorType: 'user', actorId: admin.id, reason: null },
      { action: 'frozen', actorType: 'user', actorId: employee.id, reason: 'left it in a taxi' },
      { action: 'unfrozen', actorType: 'user', actorId: employee.id, reason: 'found it' },
    ]);
  });

  it('keeps a freeze set by a card manager until a card manager lifts it', async () => {
    const { card } = await issueVirtual(employee);
    await freezeCard(db, asUser(admin), card.id, 'suspicious spend', now);
    expect(await refusal(unfreezeCard(db, asUser(employee), card.id, undefined, now))).toMatchObject({ code: 'forbidden' });
    expect((await unfreezeCard(db, asUser(admin), card.id, undefined, now)).status).toBe('active');
  });

  it('refuses illegal moves with card_state_invalid, naming the current status', async () => {
    const { card } = await issueVirtual(employee);
    const holder = asUser(employee);
    expect(await refusal(unfreezeCard(db, holder, card.id, undefined, now))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('active') });
    expect(await refusal(activateCard(db, holder, card.id, now))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('virtual') });
    expect(await refusal(updateShipping(db, asUser(admin), card.id, 'shipped', now))).toMatchObject({ code: 'card_state_invalid' });
    await freezeCard(db, holder, card.id, undefined, now);
    expect(await refusal(freezeCard(db, holder, card.id, undefined, now))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('frozen') });
  });

  it('makes cancelling final: nothing changes a cancelled card again', async () => {
    const { card } = await issueVirtual(employee);
    const cancelled = await cancelCard(db, asUser(admin), card.id, 'stolen', now);
    expect({ status: cancelled.status, reason: cancelled.card.cancel_reason }).toEqual({ status: 'cancelled', reason: 'stolen' });
    const attempts = [
      () => freezeCard(db, asUser(employee), card.id, undefined, now),
      () => unfreezeCard(db, asUser(admin), card.id, undefined, now),
      () => cancelCard(db, asUser(admin), card.id, 'lost', now),
      () => replaceCard(db, key, asUser(admin), card.id, 'lost', now),
      () => updateControls(db, asUser(admin), card.id, { channels: null }, now),
    ];
    for (const attempt of attempts) expect(await refusal(attempt())).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('cancelled') });
    expect((await cardEventsOf(db, card.id)).map((e) => [e.action, e.reason])).toEqual([['issued', null], ['cancelled', 'stolen']]);
  });

  it('ships, delivers and lets only the cardholder activate a physical card', async () => {
    const view = await issueCard(db, key, company.id, { userId: employee.id, kind: 'physical', shippingAddress: shipTo }, actorOfUser(admin), now);
    const id = view.card.id;
    expect({ status: view.status, shipping: view.card.shipping_status }).toEqual({ status: 'inactive', shipping: 'ordered' });
    expect(await refusal(activateCard(db, asUser(employee), id, now))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('not shipped') });
    expect(await refusal(freezeCard(db, asUser(employee), id, undefined, now))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('inactive') });
    expect((await updateShipping(db, asUser(admin), id, 'shipped', now)).card.shipping_status).toBe('shipped');
    expect((await updateShipping(db, asUser(admin), id, 'delivered', now)).card.shipping_status).toBe('delivered');
    expect(await refusal(updateShipping(db, asUser(admin), id, 'shipped', now))).toMatchObject({ code: 'card_state_invalid' });
    expect(await refusal(activateCard(db, asUser(admin), id, now))).toMatchObject({ code: 'forbidden' });
    expect((await activateCard(db, asUser(employee), id, now)).status).toBe('active');
    expect(await refusal(activateCard(db, asUser(employee), id, now))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('active') });
    expect((await cardEventsOf(db, id)).map((e) => e.action)).toEqual(['issued', 'shipped', 'delivered', 'activated']);
  });

  it('reads a card past its expiry month as expired, which can still be cancelled', async () => {
    const { card } = await issueVirtual(employee, {}, new Date('2020-01-15T00:00:00Z'));
    expect((await getCard(db, asUser(employee), card.id, now)).status).toBe('expired');
    expect(await refusal(freezeCard(db, asUser(employee), card.id, undefined, now))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('expired') });
    expect((await cancelCard(db, asUser(admin), card.id, 'no_longer_needed', now)).status).toBe('cancelled');
  });

  it('replaces a card: the old one is cancelled as replaced, the new one keeps kind, purpose and controls', async () => {
    const old = await issueVirtual(employee, { purpose: 'Ads', controls: { perPurchaseMax: '99.00' } });
    const { old: replaced, replacement } = await replaceCard(db, key, asUser(admin), old.card.id, 'stolen', now);
    expect({ status: replaced.status, reason: replaced.card.cancel_reason }).toEqual({ status: 'cancelled', reason: 'replaced' });
    expect({
      kind: replacement.card.kind,
      userId: replacement.card.user_id,
      purpose: replacement.card.purpose,
      perPurchaseMax: replacement.controls.perPurchaseMax,
      replaces: replacement.card.replaces_card_id,
      status: replacement.status,
    }).toEqual({ kind: 'virtual', userId: employee.id, purpose: 'Ads', perPurchaseMax: 9900n, replaces: old.card.id, status: 'active' });
    expect(replacement.card.pan_ciphertext).not.toBe(old.card.pan_ciphertext);
    expect((await cardEventsOf(db, old.card.id)).at(-1)).toEqual({ action: 'replaced', actorType: 'user', actorId: admin.id, reason: 'stolen' });
    expect((await cardEventsOf(db, replacement.card.id)).map((e) => e.action)).toEqual(['issued']);
  });

  it('replaces a physical card with a new one ordered to the same address', async () => {
    const old = await issueCard(db, key, company.id, { userId: employee.id, kind: 'physical', shippingAddress: shipTo }, actorOfUser(admin), now);
    const { replacement } = await replaceCard(db, key, asUser(admin), old.card.id, 'damaged', now);
    expect({ status: replacement.status, shipping: replacement.card.shipping_status }).toEqual({ status: 'inactive', shipping: 'ordered' });
    expect(replacement.card.shipping_address).toEqual(old.card.shipping_address);
  });

});
