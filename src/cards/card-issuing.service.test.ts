// Issuing cards on a real database (PGlite, or PostgreSQL with DATABASE_URL): the number, its
// route and expiry, the company's default controls, and who may hold a card of which kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { invitePerson, type UserRow } from '../people/people.service.js';
import { decryptField } from '../shared/field-encryption.js';
import { actorOfUser, cardEventsOf, isLuhnValid, openCardWorld, refusal, type CardWorld } from '../test-support/cards.js';
import { issueCard, type IssueCardInput } from './card-issuing.service.js';
import { testBin } from './card-numbers.js';
import * as settings from './card-settings.service.js';

/** The instant the services are told it is, where a test does not name one. */
const now = new Date();
let world: CardWorld;
let db: Db;
let key: Buffer;
let company: CompanyRow;
let admin: UserRow;
let employee: UserRow;
let otherCompanyPerson: UserRow;

beforeAll(async () => {
  world = await openCardWorld();
  ({ db, key, company, admin, employee, otherCompanyPerson } = world);
});
afterAll(async () => {
  await world?.database.close();
});

const issueVirtual = (holder: UserRow, extra: Partial<IssueCardInput> = {}, now?: Date) => world.issueVirtual(holder, extra, now);

const shipTo = { recipient: 'Emma Holder', line1: 'Vesterbrogade 1', postalCode: '1620', city: 'København V', country: 'DK' };

describe('issuing', () => {
  it('issues a virtual card active at once, with an encrypted Luhn-valid number and its route', async () => {
    const view = await issueVirtual(employee);
    const { card } = view;
    expect({ status: view.status, kind: card.kind, userId: card.user_id, purpose: card.purpose }).toEqual({ status: 'active', kind: 'virtual', userId: employee.id, purpose: 'Software' });
    const pan = decryptField(key, card.pan_ciphertext, `card:${company.id}:${card.id}:pan`);
    expect(isLuhnValid(pan) && pan.startsWith(testBin)).toBe(true);
    expect(card.last4).toBe(pan.slice(-4));
    expect(card.pan_ciphertext).not.toContain(pan);
    expect(decryptField(key, card.cvv_ciphertext, `card:${company.id}:${card.id}:cvv`)).toMatch(/^\d{3}$/);
    const route = await db.selectFrom('card_routes').selectAll().where('card_id', '=', card.id).executeTakeFirst();
    expect(route?.company_id).toBe(company.id);
    expect(await cardEventsOf(db, card.id)).toEqual([{ action: 'issued', actorType: 'user', actorId: admin.id, reason: null }]);
  });

  it('expires three years ahead, at the end of the month of issue', async () => {
    const { card } = await issueVirtual(employee, {}, new Date('2026-02-10T12:00:00Z'));
    expect({ month: card.expiry_month, year: card.expiry_year }).toEqual({ month: 2, year: 2029 });
  });

  it('merges the company default controls with the controls given at issue', async () => {
    await settings.updateCardSettings(db, company.id, {
      defaultControls: { perPurchaseMax: '500.00', categories: { allow: null, block: ['gambling'] }, limits: { monthly: '2000.00' } },
      fxMarkupBasisPoints: 0,
      holdExpiryHours: 168,
      longHoldExpiryHours: 720,
    }, actorOfUser(admin));
    const { controls } = await issueVirtual(employee, { controls: { limits: { daily: '100.00' }, channels: ['online'] } });
    expect(controls.perPurchaseMax).toBe(50000n);
    expect(controls.categories.block).toEqual(['gambling']);
    // A field given at issue replaces the default one whole.
    expect(controls.limits).toEqual({ daily: 10000n });
    expect(controls.channels).toEqual(['online']);
    await settings.updateCardSettings(db, company.id, { defaultControls: {}, fxMarkupBasisPoints: 0, holdExpiryHours: 168, longHoldExpiryHours: 720 }, actorOfUser(admin));
  });

  it('refuses a person of another company as if they did not exist', async () => {
    expect(await refusal(issueVirtual(otherCompanyPerson))).toMatchObject({ code: 'not_found', field: 'userId' });
  });

  it('refuses a person who has not joined yet', async () => {
    const invited = await invitePerson(db, { sessionKey: key, publicUrl: 'http://x', inviteTtlHours: 1 }, company.id, { email: 'new@card.test', name: 'New', roles: ['employee'] }, actorOfUser(admin), new Date(), 'system');
    expect(await refusal(issueVirtual(invited.person))).toMatchObject({ code: 'validation_failed', field: 'userId' });
  });

  it('refuses controls that do not parse, naming the field, and writes nothing', async () => {
    const before = await db.selectFrom('cards').select('id').execute();
    expect(await refusal(issueVirtual(employee, { controls: { limits: { monthly: '-1' } } }))).toMatchObject({ field: 'controls.limits.monthly' });
    expect(await db.selectFrom('cards').select('id').execute()).toHaveLength(before.length);
  });

  it('needs a shipping address for a physical card only, and a merchant for a vendor card only', async () => {
    const issue = (input: Partial<IssueCardInput>) => issueCard(db, key, company.id, { userId: employee.id, kind: 'virtual', ...input }, actorOfUser(admin), now);
    expect(await refusal(issue({ kind: 'physical' }))).toMatchObject({ field: 'shippingAddress' });
    expect(await refusal(issue({ kind: 'physical', shippingAddress: { ...shipTo, country: 'dk' } }))).toMatchObject({ field: 'shippingAddress.country' });
    expect(await refusal(issue({ kind: 'virtual', shippingAddress: shipTo }))).toMatchObject({ field: 'shippingAddress' });
    expect(await refusal(issue({ kind: 'vendor' }))).toMatchObject({ field: 'vendor' });
    expect(await refusal(issue({ kind: 'vendor', vendor: { mcc: '5734' } }))).toMatchObject({ field: 'vendor' });
    expect(await refusal(issue({ kind: 'vendor', vendor: { merchantName: 'Figma', mcc: '57' } }))).toMatchObject({ field: 'vendor.mcc' });
    expect(await refusal(issue({ kind: 'single_use', vendor: { merchantName: 'Figma' } }))).toMatchObject({ field: 'vendor' });
    const vendor = await issue({ kind: 'vendor', vendor: { merchantName: 'Figma', mcc: '5734' } });
    expect({ status: vendor.status, name: vendor.card.vendor_merchant_name, mcc: vendor.card.vendor_mcc }).toEqual({ status: 'active', name: 'Figma', mcc: '5734' });
  });
});
