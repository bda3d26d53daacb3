// The cards service on a real database (PGlite, or PostgreSQL with DATABASE_URL): issuing,
// every lifecycle move with its event, controls, limits, reveal and what the authorization
// engine reads.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOfRoles, type Permission } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { createCompany, type CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { addActivePerson, invitePerson, type UserRow } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { decryptField, FieldDecryptionError } from '../shared/field-encryption.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { isLuhnValid, testBin } from './card-numbers.js';
import * as settings from './card-settings.service.js';
import * as cards from './cards.service.js';
import { spentByPeriod } from './cards.repository.js';

const key = randomBytes(32);
const password = 'a-long-enough-password';
let database: TestDatabase;
let db: Db;
let company: CompanyRow;
let admin: UserRow;
let employee: UserRow;
let colleague: UserRow;
let bookkeeper: UserRow;
let otherCompanyPerson: UserRow;

const asUser = (user: UserRow): Principal => ({
  kind: 'user',
  companyId: user.company_id,
  userId: user.id,
  sessionId: 'ses_test',
  roles: user.roles,
  permissions: permissionsOfRoles(user.roles),
});
const asApiKey = (companyId: string, permissions: Permission[]): Principal => ({ kind: 'api_key', companyId, apiKeyId: 'key_test', permissions: new Set(permissions) });
const actor = (user: UserRow) => ({ actorType: 'user' as const, actorId: user.id });

async function refusal(promise: Promise<unknown>): Promise<{ code: string; field?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

const issueVirtual = (holder: UserRow, extra: Partial<cards.IssueCardInput> = {}, now?: Date) =>
  cards.issueCard(db, key, company.id, { userId: holder.id, kind: 'virtual', purpose: 'Software', ...extra }, actor(admin), now);

const shipTo = { recipient: 'Emma Holder', line1: 'Vesterbrogade 1', postalCode: '1620', city: 'København V', country: 'DK' };

async function eventsOf(cardId: string) {
  const rows = await db.selectFrom('card_events').selectAll().where('card_id', '=', cardId).orderBy('id').execute();
  return rows.map((row) => ({ action: row.action, actorType: row.actor_type, actorId: row.actor_id, reason: row.reason }));
}

let transactionCounter = 0;
async function insertTransaction(card: cards.CardRow, row: { kind?: string; state?: string; walletAmount: bigint; settledAmount?: bigint | null; occurredAt: string }) {
  const id = `ctx_${String(++transactionCounter).padStart(26, '0')}`;
  await sql`
    insert into card_transactions (company_id, id, network_id, card_id, user_id, kind, state, merchant_name, mcc, merchant_country,
      channel, merchant_amount, merchant_currency, wallet_amount, settled_amount, wallet_currency, occurred_at)
    values (${card.company_id}, ${id}, ${`net-${id}`}, ${card.id}, ${card.user_id}, ${row.kind ?? 'purchase'}, ${row.state ?? 'pending'}, 'Shop', '5734', 'DK',
      'online', ${row.walletAmount}, 'EUR', ${row.walletAmount}, ${row.settledAmount ?? null}, 'EUR', ${row.occurredAt})`.execute(db);
}

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  company = await createCompany(db, { name: 'Card Co', currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  const person = (name: string, roles: UserRow['roles']) => addActivePerson(db, company.id, { email: `${name}@card.test`, name, roles, password });
  admin = await person('admin', ['admin']);
  employee = await person('emma', ['employee']);
  colleague = await person('felix', ['employee']);
  bookkeeper = await person('bo', ['bookkeeper']);
  const other = await createCompany(db, { name: 'Other Co', currency: 'DKK' });
  otherCompanyPerson = await addActivePerson(db, other.id, { email: 'someone@other.test', name: 'Someone', roles: ['admin'], password });
});

afterAll(async () => {
  await database?.close();
});

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
    expect(await eventsOf(card.id)).toEqual([{ action: 'issued', actorType: 'user', actorId: admin.id, reason: null }]);
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
    }, actor(admin));
    const { controls } = await issueVirtual(employee, { controls: { limits: { daily: '100.00' }, channels: ['online'] } });
    expect(controls.perPurchaseMax).toBe(50000n);
    expect(controls.categories.block).toEqual(['gambling']);
    // A field given at issue replaces the default one whole.
    expect(controls.limits).toEqual({ daily: 10000n });
    expect(controls.channels).toEqual(['online']);
    await settings.updateCardSettings(db, company.id, { defaultControls: {}, fxMarkupBasisPoints: 0, holdExpiryHours: 168, longHoldExpiryHours: 720 }, actor(admin));
  });

  it('refuses a person of another company as if they did not exist', async () => {
    expect(await refusal(issueVirtual(otherCompanyPerson))).toMatchObject({ code: 'not_found', field: 'userId' });
  });

  it('refuses a person who has not joined yet', async () => {
    const invited = await invitePerson(db, { sessionKey: key, publicUrl: 'http://x', inviteTtlHours: 1 }, company.id, { email: 'new@card.test', name: 'New', roles: ['employee'] }, actor(admin), new Date());
    expect(await refusal(issueVirtual(invited.person))).toMatchObject({ code: 'validation_failed', field: 'userId' });
  });

  it('refuses controls that do not parse, naming the field, and writes nothing', async () => {
    const before = await db.selectFrom('cards').select('id').execute();
    expect(await refusal(issueVirtual(employee, { controls: { limits: { monthly: '-1' } } }))).toMatchObject({ field: 'controls.limits.monthly' });
    expect(await db.selectFrom('cards').select('id').execute()).toHaveLength(before.length);
  });

  it('needs a shipping address for a physical card only, and a merchant for a vendor card only', async () => {
    const issue = (input: Partial<cards.IssueCardInput>) => cards.issueCard(db, key, company.id, { userId: employee.id, kind: 'virtual', ...input }, actor(admin));
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

describe('lifecycle', () => {
  it('lets the cardholder freeze and unfreeze their card, recording who and why', async () => {
    const { card } = await issueVirtual(employee);
    const holder = asUser(employee);
    expect((await cards.freezeCard(db, holder, card.id, 'left it in a taxi')).status).toBe('frozen');
    expect((await cards.unfreezeCard(db, holder, card.id, 'found it')).status).toBe('active');
    expect(await eventsOf(card.id)).toEqual([
      { action: 'issued', actorType: 'user', actorId: admin.id, reason: null },
      { action: 'frozen', actorType: 'user', actorId: employee.id, reason: 'left it in a taxi' },
      { action: 'unfrozen', actorType: 'user', actorId: employee.id, reason: 'found it' },
    ]);
  });

  it('keeps a freeze set by a card manager until a card manager lifts it', async () => {
    const { card } = await issueVirtual(employee);
    await cards.freezeCard(db, asUser(admin), card.id, 'suspicious spend');
    expect(await refusal(cards.unfreezeCard(db, asUser(employee), card.id))).toMatchObject({ code: 'forbidden' });
    expect((await cards.unfreezeCard(db, asUser(admin), card.id)).status).toBe('active');
  });

  it('refuses illegal moves with card_state_invalid, naming the current status', async () => {
    const { card } = await issueVirtual(employee);
    const holder = asUser(employee);
    expect(await refusal(cards.unfreezeCard(db, holder, card.id))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('active') });
    expect(await refusal(cards.activateCard(db, holder, card.id))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('virtual') });
    expect(await refusal(cards.updateShipping(db, asUser(admin), card.id, 'shipped'))).toMatchObject({ code: 'card_state_invalid' });
    await cards.freezeCard(db, holder, card.id);
    expect(await refusal(cards.freezeCard(db, holder, card.id))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('frozen') });
  });

  it('makes cancelling final: nothing changes a cancelled card again', async () => {
    const { card } = await issueVirtual(employee);
    const cancelled = await cards.cancelCard(db, asUser(admin), card.id, 'stolen');
    expect({ status: cancelled.status, reason: cancelled.card.cancel_reason }).toEqual({ status: 'cancelled', reason: 'stolen' });
    const attempts = [
      () => cards.freezeCard(db, asUser(employee), card.id),
      () => cards.unfreezeCard(db, asUser(admin), card.id),
      () => cards.cancelCard(db, asUser(admin), card.id, 'lost'),
      () => cards.replaceCard(db, key, asUser(admin), card.id, 'lost'),
      () => cards.updateControls(db, asUser(admin), card.id, { channels: null }),
    ];
    for (const attempt of attempts) expect(await refusal(attempt())).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('cancelled') });
    expect((await eventsOf(card.id)).map((e) => [e.action, e.reason])).toEqual([['issued', null], ['cancelled', 'stolen']]);
  });

  it('ships, delivers and lets only the cardholder activate a physical card', async () => {
    const view = await cards.issueCard(db, key, company.id, { userId: employee.id, kind: 'physical', shippingAddress: shipTo }, actor(admin));
    const id = view.card.id;
    expect({ status: view.status, shipping: view.card.shipping_status }).toEqual({ status: 'inactive', shipping: 'ordered' });
    expect(await refusal(cards.activateCard(db, asUser(employee), id))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('not shipped') });
    expect(await refusal(cards.freezeCard(db, asUser(employee), id))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('inactive') });
    expect((await cards.updateShipping(db, asUser(admin), id, 'shipped')).card.shipping_status).toBe('shipped');
    expect((await cards.updateShipping(db, asUser(admin), id, 'delivered')).card.shipping_status).toBe('delivered');
    expect(await refusal(cards.updateShipping(db, asUser(admin), id, 'shipped'))).toMatchObject({ code: 'card_state_invalid' });
    expect(await refusal(cards.activateCard(db, asUser(admin), id))).toMatchObject({ code: 'forbidden' });
    expect((await cards.activateCard(db, asUser(employee), id)).status).toBe('active');
    expect(await refusal(cards.activateCard(db, asUser(employee), id))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('active') });
    expect((await eventsOf(id)).map((e) => e.action)).toEqual(['issued', 'shipped', 'delivered', 'activated']);
  });

  it('reads a card past its expiry month as expired, which can still be cancelled', async () => {
    const { card } = await issueVirtual(employee, {}, new Date('2020-01-15T00:00:00Z'));
    expect((await cards.getCard(db, asUser(employee), card.id)).status).toBe('expired');
    expect(await refusal(cards.freezeCard(db, asUser(employee), card.id))).toMatchObject({ code: 'card_state_invalid', message: expect.stringContaining('expired') });
    expect((await cards.cancelCard(db, asUser(admin), card.id, 'no_longer_needed')).status).toBe('cancelled');
  });

  it('replaces a card: the old one is cancelled as replaced, the new one keeps kind, purpose and controls', async () => {
    const old = await issueVirtual(employee, { purpose: 'Ads', controls: { perPurchaseMax: '99.00' } });
    const { old: replaced, replacement } = await cards.replaceCard(db, key, asUser(admin), old.card.id, 'stolen');
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
    expect((await eventsOf(old.card.id)).at(-1)).toEqual({ action: 'replaced', actorType: 'user', actorId: admin.id, reason: 'stolen' });
    expect((await eventsOf(replacement.card.id)).map((e) => e.action)).toEqual(['issued']);
  });

  it('replaces a physical card with a new one ordered to the same address', async () => {
    const old = await cards.issueCard(db, key, company.id, { userId: employee.id, kind: 'physical', shippingAddress: shipTo }, actor(admin));
    const { replacement } = await cards.replaceCard(db, key, asUser(admin), old.card.id, 'damaged');
    expect({ status: replacement.status, shipping: replacement.card.shipping_status }).toEqual({ status: 'inactive', shipping: 'ordered' });
    expect(replacement.card.shipping_address).toEqual(old.card.shipping_address);
  });

  it('changes only the controls given, recording the change', async () => {
    const { card } = await issueVirtual(employee, { controls: { perPurchaseMax: '50.00', channels: ['online'] } });
    const updated = await cards.updateControls(db, asUser(admin), card.id, { limits: { weekly: '300.00' } });
    expect({ perPurchaseMax: updated.controls.perPurchaseMax, channels: updated.controls.channels, limits: updated.controls.limits }).toEqual({
      perPurchaseMax: 5000n,
      channels: ['online'],
      limits: { weekly: 30000n },
    });
    expect(await refusal(cards.updateControls(db, asUser(admin), card.id, { validFrom: '2026-05-02T00:00:00Z', validUntil: '2026-05-01T00:00:00Z' }))).toMatchObject({ field: 'validUntil' });
    expect(await refusal(cards.updateControls(db, asUser(employee), card.id, { channels: null }))).toMatchObject({ code: 'forbidden' });
    expect((await eventsOf(card.id)).at(-1)).toMatchObject({ action: 'controls_changed', actorId: admin.id });
  });
});

describe('who sees which card', () => {
  it('shows a person their own cards only, and others\' cards as not found', async () => {
    const mine = await issueVirtual(colleague);
    const theirs = await issueVirtual(employee);
    expect((await cards.getCard(db, asUser(colleague), mine.card.id)).card.id).toBe(mine.card.id);
    expect(await refusal(cards.getCard(db, asUser(colleague), theirs.card.id))).toMatchObject({ code: 'not_found' });
    expect(await refusal(cards.freezeCard(db, asUser(colleague), theirs.card.id))).toMatchObject({ code: 'not_found' });
    const listed = await cards.listCards(db, asUser(colleague), {}, undefined, 100);
    expect(new Set(listed.map((view) => view.card.user_id))).toEqual(new Set([colleague.id]));
    expect(await cards.listCards(db, asUser(colleague), { userId: employee.id }, undefined, 100)).toEqual([]);
  });

  it('shows everyone\'s cards with cards:read, but changing them needs cards:manage', async () => {
    const { card } = await issueVirtual(employee);
    expect((await cards.getCard(db, asUser(bookkeeper), card.id)).card.id).toBe(card.id);
    expect((await cards.listCards(db, asUser(bookkeeper), { userId: employee.id }, undefined, 100)).length).toBeGreaterThan(1);
    expect(await refusal(cards.freezeCard(db, asUser(bookkeeper), card.id))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(cards.cancelCard(db, asUser(bookkeeper), card.id, 'lost'))).toMatchObject({ code: 'forbidden' });
  });

  it('refuses listing to an API key without cards:read', async () => {
    expect(await refusal(cards.listCards(db, asApiKey(company.id, ['company:read']), {}, undefined, 10))).toMatchObject({ code: 'forbidden' });
  });

  it('never finds another company\'s card, whatever the permissions', async () => {
    const { card } = await issueVirtual(employee);
    const outsider = asUser(otherCompanyPerson);
    expect(await refusal(cards.getCard(db, outsider, card.id))).toMatchObject({ code: 'not_found' });
    expect(await refusal(cards.cancelCard(db, outsider, card.id, 'lost'))).toMatchObject({ code: 'not_found' });
    expect(await refusal(cards.revealCard(db, key, { ...outsider }, card.id, password))).toMatchObject({ code: 'not_found' });
  });
});

describe('revealing the number', () => {
  it('shows the cardholder the number after their password, and audits it', async () => {
    const { card } = await issueVirtual(employee);
    const revealed = await cards.revealCard(db, key, asUser(employee), card.id, password);
    expect(isLuhnValid(revealed.number) && revealed.number.endsWith(card.last4)).toBe(true);
    expect(revealed).toMatchObject({ cvv: expect.stringMatching(/^\d{3}$/), expiryMonth: card.expiry_month, expiryYear: card.expiry_year });
    const audit = await db.selectFrom('audit_events').selectAll().where('subject_id', '=', card.id).execute();
    expect(audit.map((row) => ({ action: row.action, actor: row.actor_id }))).toEqual([{ action: 'card.revealed', actor: employee.id }]);
    expect(JSON.stringify(audit)).not.toContain(revealed.number);
  });

  it('refuses a wrong password, an admin, an API key and a cancelled card, auditing nothing', async () => {
    const { card } = await issueVirtual(employee);
    expect(await refusal(cards.revealCard(db, key, asUser(employee), card.id, 'not-my-password'))).toMatchObject({ code: 'reauthentication_required' });
    expect(await refusal(cards.revealCard(db, key, asUser(admin), card.id, password))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(cards.revealCard(db, key, asApiKey(company.id, ['cards:read', 'cards:manage']), card.id, password))).toMatchObject({ code: 'forbidden' });
    await cards.cancelCard(db, asUser(admin), card.id, 'lost');
    expect(await refusal(cards.revealCard(db, key, asUser(employee), card.id, password))).toMatchObject({ code: 'card_state_invalid' });
    expect(await db.selectFrom('audit_events').select('id').where('subject_id', '=', card.id).execute()).toEqual([]);
  });

  it('cannot decrypt a number moved into another card\'s row', async () => {
    const first = await issueVirtual(employee);
    const second = await issueVirtual(employee);
    await db.updateTable('cards').set({ pan_ciphertext: first.card.pan_ciphertext }).where('id', '=', second.card.id).execute();
    await expect(cards.revealCard(db, key, asUser(employee), second.card.id, password)).rejects.toThrow(FieldDecryptionError);
  });
});

describe('spending per period', () => {
  const at = new Date('2026-03-18T10:00:00Z'); // a Wednesday; Copenhagen is UTC+1 until 29 March

  it('sums held and settled spend per calendar period in the company time zone', async () => {
    const { card } = await issueVirtual(employee);
    const { card: otherCard } = await issueVirtual(employee);
    const rows: [string, bigint, bigint | null, string, string][] = [
      // occurred (UTC), held, settled, kind, state
      ['2026-03-18T08:00:00Z', 1000n, null, 'purchase', 'pending'], // today
      ['2026-03-17T23:30:00Z', 500n, 450n, 'purchase', 'settled'], // 00:30 local today: counts as settled
      ['2026-03-17T22:30:00Z', 200n, null, 'purchase', 'pending'], // 23:30 local yesterday
      ['2026-03-15T23:30:00Z', 300n, null, 'atm_withdrawal', 'pending'], // Monday 00:30 local
      ['2026-03-15T22:30:00Z', 70n, 70n, 'force_post', 'settled'], // Sunday 23:30 local
      ['2026-02-28T23:30:00Z', 11n, null, 'purchase', 'pending'], // 1 March 00:30 local
      ['2026-02-28T22:30:00Z', 13n, null, 'purchase', 'pending'], // 28 February local
      ['2025-12-31T23:30:00Z', 17n, null, 'purchase', 'pending'], // 1 January 00:30 local
      ['2025-12-31T22:30:00Z', 19n, null, 'purchase', 'pending'], // last year
      // Never counted: declined, reversed, expired, refunds.
      ['2026-03-18T08:00:00Z', 10000n, null, 'purchase', 'declined'],
      ['2026-03-18T08:00:00Z', 10000n, null, 'purchase', 'reversed'],
      ['2026-03-18T08:00:00Z', 10000n, null, 'purchase', 'expired'],
      ['2026-03-18T08:00:00Z', 10000n, 10000n, 'refund', 'settled'],
      ['2026-03-18T08:00:00Z', 10000n, 10000n, 'refund', 'refund_reversed'],
    ];
    for (const [occurredAt, walletAmount, settledAmount, kind, state] of rows) await insertTransaction(card, { occurredAt, walletAmount, settledAmount, kind, state });
    await insertTransaction(otherCard, { occurredAt: '2026-03-18T08:00:00Z', walletAmount: 10000n });

    expect(await spentByPeriod(db, company.id, card.id, at, company.time_zone)).toEqual({
      daily: 1450n,
      weekly: 1950n,
      monthly: 2031n,
      yearly: 2061n,
      lifetime: 2080n,
    });
  });

  it('is zero for a card that spent nothing', async () => {
    const { card } = await issueVirtual(employee);
    expect(await spentByPeriod(db, company.id, card.id, at, 'UTC')).toEqual({ daily: 0n, weekly: 0n, monthly: 0n, yearly: 0n, lifetime: 0n });
  });

  it('reports what is left of each limit, never below zero', async () => {
    const { card } = await issueVirtual(employee, { controls: { perPurchaseMax: '40.00', limits: { daily: '50.00', monthly: '100.00' } } });
    const now = new Date();
    await insertTransaction(card, { occurredAt: now.toISOString(), walletAmount: 3000n });
    await insertTransaction(card, { occurredAt: now.toISOString(), walletAmount: 2500n, settledAmount: 2500n, state: 'settled' });
    const limits = await cards.getCardLimits(db, asUser(employee), card.id, now);
    expect(limits.currency).toBe('EUR');
    expect(limits.perPurchaseMax).toBe(4000n);
    expect(limits.periods.daily).toEqual({ limit: 5000n, spent: 5500n, remaining: 0n });
    expect(limits.periods.monthly).toEqual({ limit: 10000n, spent: 5500n, remaining: 4500n });
    expect(limits.periods.weekly).toEqual({ limit: null, spent: 5500n, remaining: null });
  });
});

describe('for the authorization engine', () => {
  it('loads a card by id alone with its company, time zone, currency and decision view', async () => {
    const { card } = await issueVirtual(employee, { controls: { perPurchaseMax: '10.00' } });
    const loaded = await db.transaction().execute((trx) => cards.loadCardForAuthorization(trx, card.id));
    expect(loaded).toMatchObject({ companyId: company.id, timeZone: 'Europe/Copenhagen', walletCurrency: 'EUR', card: { id: card.id } });
    expect(loaded?.decision).toMatchObject({ status: 'active', singleUse: false, singleUseSpent: false, vendorLock: null, controls: { perPurchaseMax: 1000n } });
    expect(loaded?.decision.expiresAt.toISOString()).toMatch(/T23:59:59\.999Z$/);
    expect(await db.transaction().execute((trx) => cards.loadCardForAuthorization(trx, 'card_00000000000000000000000000'))).toBeNull();
  });

  it.skipIf(!process.env.DATABASE_URL)('locks the card, so a second authorization of it waits', async () => {
    const { card } = await issueVirtual(employee);
    await expect(
      db.transaction().execute(async (first) => {
        await cards.loadCardForAuthorization(first, card.id);
        await db.transaction().execute(async (second) => {
          await sql`set local lock_timeout = '200ms'`.execute(second);
          await cards.loadCardForAuthorization(second, card.id);
        });
      }),
    ).rejects.toMatchObject({ code: '55P03' });
  });

  it('marks a single-use card spent once, with an event, and leaves other cards alone', async () => {
    const single = await cards.issueCard(db, key, company.id, { userId: employee.id, kind: 'single_use' }, actor(admin));
    const spend = (id: string) => db.transaction().execute((trx) => cards.consumeSingleUseCard(trx, company.id, id));
    expect(await spend(single.card.id)).toBe(true);
    expect(await spend(single.card.id)).toBe(false);
    const after = await cards.getCard(db, asUser(employee), single.card.id);
    expect({ spent: after.card.single_use_spent, status: after.status }).toEqual({ spent: true, status: 'active' });
    expect((await eventsOf(single.card.id)).at(-1)).toEqual({ action: 'single_use_spent', actorType: 'system', actorId: null, reason: null });
    const { card } = await issueVirtual(employee);
    expect(await spend(card.id)).toBe(false);
    expect((await cards.getCard(db, asUser(employee), card.id)).card.single_use_spent).toBe(false);
  });
});
