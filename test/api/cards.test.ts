// Cards over HTTP: issuing, who sees and changes which card, the lifecycle, controls,
// limits, card settings, and revealing the number, which is the only response that ever
// holds it (never any other body, the logs, or the idempotency store).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyScopes } from '../../src/auth/permissions.js';
import { isLuhnValid } from '../../src/test-support/cards.js';
import type { RunningServer } from '../../src/server/server.js';
import { decryptField } from '../../src/shared/field-encryption.js';
import {
  addPerson,
  createApiKey,
  createTenant,
  testPassword,
  type ApiClient,
  type ApiResponse,
  type SessionClient,
  type Tenant,
} from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';

const encryptionKey = randomBytes(32);
let server: RunningServer;
let tenant: Tenant;
let admin: SessionClient;
let employee: { id: string; client: SessionClient };
let colleague: { id: string; client: SessionClient };
let bookkeeper: { id: string; client: SessionClient };
let apiKey: ApiClient;
/** Everything the application logged while the tests ran. */
const logLines: string[] = [];
/** Every response body of an ordinary endpoint (not reveal) the tests received. */
const ordinaryBodies: string[] = [];

const db = () => server.database.db;
const shipTo = { recipient: 'Emma Holder', line1: 'Vesterbrogade 1', postalCode: '1620', city: 'København V', country: 'DK' };

function expectProblem(response: ApiResponse, status: number, code: string, field?: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status, code, field });
}

/** Keeps the body for the "never the number" check, and hands the response back. */
function kept<T extends ApiResponse>(response: T): T {
  ordinaryBodies.push(response.text);
  return response;
}

async function issue(body: Record<string, unknown>): Promise<ApiResponse> {
  const response = kept(await admin.post('/api/v1/cards', body));
  expect(response.status, response.text).toBe(201);
  return response;
}

const issueVirtual = (userId: string, extra: Record<string, unknown> = {}) => issue({ userId, kind: 'virtual', ...extra }).then((r) => r.body);

/** The number stored for a card, decrypted with the server's key. */
async function panOf(cardId: string): Promise<string> {
  const row = await db().selectFrom('cards').select(['company_id', 'pan_ciphertext']).where('id', '=', cardId).executeTakeFirstOrThrow();
  return decryptField(encryptionKey, row.pan_ciphertext, `card:${row.company_id}:${cardId}:pan`);
}

beforeAll(async () => {
  server = await startTestServer({ config: { encryptionKey, logLevel: 'trace' } });
  // Pino writes to one destination stream shared by every request's child logger.
  const destination = (server.app.log as unknown as Record<symbol, { write(chunk: string): boolean }>)[pino.symbols.streamSym]!;
  destination.write = (chunk: string) => {
    logLines.push(String(chunk));
    return true;
  };
  tenant = await createTenant(server, { name: 'Kort & Co', currency: 'EUR', adminEmail: 'admin@kort.test' });
  admin = tenant.client;
  employee = await addPerson(admin, { email: 'emma@kort.test', name: 'Emma', roles: ['employee'] });
  colleague = await addPerson(admin, { email: 'felix@kort.test', name: 'Felix', roles: ['employee'] });
  bookkeeper = await addPerson(admin, { email: 'bo@kort.test', name: 'Bo', roles: ['bookkeeper'] });
  apiKey = (await createApiKey(admin, 'integration', apiKeyScopes)).client;
});

afterAll(async () => {
  await server?.close();
});

describe('issuing', () => {
  it('issues a virtual card, active, showing the last four digits and never the number', async () => {
    const card = await issueVirtual(employee.id, { purpose: 'Design tools', controls: { perPurchaseMax: '250.00', limits: { monthly: '1000.00' } } });
    expect(Object.keys(card).sort()).toEqual(
      ['cancelReason', 'controls', 'createdAt', 'expiryMonth', 'expiryYear', 'id', 'kind', 'last4', 'purpose', 'replacesCardId', 'shippingStatus', 'singleUseSpent', 'status', 'userId', 'vendor'].sort(),
    );
    expect(card).toMatchObject({ userId: employee.id, kind: 'virtual', status: 'active', purpose: 'Design tools', shippingStatus: null, vendor: null, singleUseSpent: false });
    expect(card.id).toMatch(/^card_[0-9A-Z]{26}$/);
    expect(card.controls).toMatchObject({ perPurchaseMax: '250.00', limits: { monthly: '1000.00' }, channels: null });
    const pan = await panOf(card.id);
    expect(card.last4).toBe(pan.slice(-4));
    expect(JSON.stringify(card)).not.toContain(pan);
  });

  it('issues a physical card inactive and ordered, and a vendor card locked to its merchant', async () => {
    const physical = (await issue({ userId: employee.id, kind: 'physical', shippingAddress: shipTo })).body;
    expect({ status: physical.status, shippingStatus: physical.shippingStatus }).toEqual({ status: 'inactive', shippingStatus: 'ordered' });
    const vendor = (await issue({ userId: employee.id, kind: 'vendor', vendor: { merchantName: 'Figma', mcc: '5734' } })).body;
    expect(vendor.vendor).toEqual({ merchantId: null, merchantName: 'Figma', mcc: '5734' });
  });

  it('names the field at fault', async () => {
    expectProblem(await admin.post('/api/v1/cards', { userId: employee.id, kind: 'virtual', controls: { limits: { monthly: '-5' } } }), 400, 'invalid_money', 'controls.limits.monthly');
    expectProblem(await admin.post('/api/v1/cards', { userId: employee.id, kind: 'virtual', controls: { limits: { monthly: 5 } } }), 400, 'validation_failed', 'controls.limits.monthly');
    expectProblem(await admin.post('/api/v1/cards', { userId: employee.id, kind: 'virtual', controls: { categories: { allow: ['yachts'] } } }), 400, 'validation_failed', 'controls.categories.allow.0');
    expectProblem(await admin.post('/api/v1/cards', { userId: employee.id, kind: 'physical' }), 400, 'validation_failed', 'shippingAddress');
    expectProblem(await admin.post('/api/v1/cards', { userId: employee.id, kind: 'gold' }), 400, 'validation_failed', 'kind');
    expectProblem(await admin.post('/api/v1/cards', { userId: 'usr_00000000000000000000000000', kind: 'virtual' }), 404, 'not_found', 'userId');
  });

  it('is for cards:manage only', async () => {
    expectProblem(await employee.client.post('/api/v1/cards', { userId: employee.id, kind: 'virtual' }), 403, 'forbidden');
    expectProblem(await bookkeeper.client.post('/api/v1/cards', { userId: employee.id, kind: 'virtual' }), 403, 'forbidden');
    expect(kept(await apiKey.post('/api/v1/cards', { userId: colleague.id, kind: 'single_use' })).status).toBe(201);
  });
});

describe('reading cards', () => {
  it('lists a person\'s own cards only, and everyone\'s with cards:read', async () => {
    const colleagueCard = await issueVirtual(colleague.id);
    const own = kept(await colleague.client.get('/api/v1/cards'));
    expect(own.status).toBe(200);
    expect(new Set(own.body.items.map((c: { userId: string }) => c.userId))).toEqual(new Set([colleague.id]));
    expect(own.body.items.map((c: { id: string }) => c.id)).toContain(colleagueCard.id);
    expect(kept(await colleague.client.get(`/api/v1/cards?userId=${employee.id}`)).body.items).toEqual([]);
    const all = kept(await bookkeeper.client.get('/api/v1/cards?limit=200'));
    expect(new Set(all.body.items.map((c: { userId: string }) => c.userId))).toEqual(new Set([employee.id, colleague.id]));
    const filtered = kept(await bookkeeper.client.get(`/api/v1/cards?userId=${employee.id}&limit=200`));
    expect(filtered.body.items.length).toBeGreaterThan(0);
    expect(filtered.body.items.every((c: { userId: string }) => c.userId === employee.id)).toBe(true);
  });

  it('walks the list page by page, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse = kept(await bookkeeper.client.get(`/api/v1/cards?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const stored = await db().selectFrom('cards').select('id').where('company_id', '=', tenant.company.id).execute();
    expect(seen).toEqual(stored.map((row) => row.id).sort().reverse());
  });

  it('answers someone else\'s card as not found to a person without cards:read', async () => {
    const card = await issueVirtual(employee.id);
    expectProblem(await colleague.client.get(`/api/v1/cards/${card.id}`), 404, 'not_found');
    expectProblem(await colleague.client.get(`/api/v1/cards/${card.id}/events`), 404, 'not_found');
    expectProblem(await colleague.client.get(`/api/v1/cards/${card.id}/limits`), 404, 'not_found');
    expectProblem(await colleague.client.post(`/api/v1/cards/${card.id}/freeze`), 404, 'not_found');
    expect(kept(await employee.client.get(`/api/v1/cards/${card.id}`)).body.id).toBe(card.id);
  });
});

describe('lifecycle over HTTP', () => {
  it('freezes and unfreezes, with or without a reason, and refuses moves the status does not allow', async () => {
    const card = await issueVirtual(employee.id);
    const frozen = kept(await employee.client.post(`/api/v1/cards/${card.id}/freeze`, { reason: 'misplaced' }));
    expect({ status: frozen.status, card: frozen.body.status }).toEqual({ status: 200, card: 'frozen' });
    const again = await employee.client.post(`/api/v1/cards/${card.id}/freeze`);
    expectProblem(again, 409, 'card_state_invalid');
    expect(again.body.detail).toContain('frozen');
    expect(kept(await employee.client.post(`/api/v1/cards/${card.id}/unfreeze`)).body.status).toBe('active');
    const activate = await employee.client.post(`/api/v1/cards/${card.id}/activate`);
    expectProblem(activate, 409, 'card_state_invalid');
    expect(activate.body.detail).toContain('the card is active');
  });

  it('records every change as an event with actor and reason', async () => {
    const card = await issueVirtual(employee.id);
    await employee.client.post(`/api/v1/cards/${card.id}/freeze`, { reason: 'travelling' });
    await admin.post(`/api/v1/cards/${card.id}/cancel`, { reason: 'no_longer_needed' });
    const events = kept(await employee.client.get(`/api/v1/cards/${card.id}/events`));
    expect(events.status).toBe(200);
    expect(events.body.items.map((e: Record<string, unknown>) => [e.action, e.actorId, e.reason])).toEqual([
      ['cancelled', tenant.admin.id, 'no_longer_needed'],
      ['frozen', employee.id, 'travelling'],
      ['issued', tenant.admin.id, null],
    ]);
    expect(events.body.items[0].details).toEqual({ status: { from: 'frozen', to: 'cancelled' } });
  });

  it('ships, delivers and activates a physical card; only the cardholder activates', async () => {
    const card = (await issue({ userId: employee.id, kind: 'physical', shippingAddress: shipTo })).body;
    expectProblem(await employee.client.post(`/api/v1/cards/${card.id}/shipping`, { status: 'shipped' }), 403, 'forbidden');
    expect(kept(await admin.post(`/api/v1/cards/${card.id}/shipping`, { status: 'shipped' })).body.shippingStatus).toBe('shipped');
    expectProblem(await admin.post(`/api/v1/cards/${card.id}/shipping`, { status: 'lost' }), 400, 'validation_failed', 'status');
    expectProblem(await admin.post(`/api/v1/cards/${card.id}/activate`), 403, 'forbidden');
    const active = kept(await employee.client.post(`/api/v1/cards/${card.id}/activate`));
    expect({ status: active.body.status, shipping: active.body.shippingStatus }).toEqual({ status: 'active', shipping: 'delivered' });
  });

  it('cancels with a reason from the list, for cards:manage only, and for good', async () => {
    const card = await issueVirtual(employee.id);
    expectProblem(await employee.client.post(`/api/v1/cards/${card.id}/cancel`, { reason: 'lost' }), 403, 'forbidden');
    expectProblem(await admin.post(`/api/v1/cards/${card.id}/cancel`, { reason: 'bored' }), 400, 'validation_failed', 'reason');
    expectProblem(await admin.post(`/api/v1/cards/${card.id}/cancel`, {}), 400, 'validation_failed', 'reason');
    const cancelled = kept(await admin.post(`/api/v1/cards/${card.id}/cancel`, { reason: 'lost' }));
    expect({ status: cancelled.body.status, reason: cancelled.body.cancelReason }).toEqual({ status: 'cancelled', reason: 'lost' });
    const unfreeze = await admin.post(`/api/v1/cards/${card.id}/unfreeze`);
    expectProblem(unfreeze, 409, 'card_state_invalid');
    expect(unfreeze.body.detail).toContain('cancelled');
  });

  it('replaces a card with a new one of the same kind and controls', async () => {
    const card = await issueVirtual(employee.id, { purpose: 'Ads', controls: { channels: ['online'] } });
    const response = kept(await admin.post(`/api/v1/cards/${card.id}/replace`, { reason: 'stolen' }));
    expect(response.status).toBe(201);
    expect(response.body.replaced).toMatchObject({ id: card.id, status: 'cancelled', cancelReason: 'replaced' });
    expect(response.body.replacement).toMatchObject({ kind: 'virtual', status: 'active', purpose: 'Ads', replacesCardId: card.id, controls: { channels: ['online'] } });
    expect(response.body.replacement.last4 === card.last4 && (await panOf(response.body.replacement.id)) === (await panOf(card.id))).toBe(false);
  });

  it('changes controls field by field, naming the field at fault', async () => {
    const card = await issueVirtual(employee.id, { controls: { perPurchaseMax: '50.00' } });
    const changed = kept(await admin.patch(`/api/v1/cards/${card.id}/controls`, { limits: { daily: '75.50' }, countries: { allow: ['DK', 'SE'] } }));
    expect(changed.status).toBe(200);
    expect(changed.body.controls).toMatchObject({ perPurchaseMax: '50.00', limits: { daily: '75.50' }, countries: { allow: ['DK', 'SE'], block: [] } });
    expectProblem(await admin.patch(`/api/v1/cards/${card.id}/controls`, { limits: { daily: '-1.00' } }), 400, 'invalid_money', 'limits.daily');
    expectProblem(await admin.patch(`/api/v1/cards/${card.id}/controls`, { hours: { from: 20, to: 8 } }), 400, 'validation_failed', 'hours');
    expectProblem(await admin.patch(`/api/v1/cards/${card.id}/controls`, { colour: 'red' }), 400, 'validation_failed', 'colour');
    expectProblem(await employee.client.patch(`/api/v1/cards/${card.id}/controls`, { channels: null }), 403, 'forbidden');
  });
});

describe('limits', () => {
  let counter = 0;
  async function spend(card: { id: string; userId: string }, walletAmount: bigint, settledAmount: bigint | null = null, state = 'pending') {
    const id = `ctx_${String(++counter).padStart(26, '0')}`;
    await sql`
      insert into card_transactions (company_id, id, network_id, card_id, user_id, kind, state, merchant_name, mcc, merchant_country,
        channel, merchant_amount, merchant_currency, wallet_amount, settled_amount, wallet_currency, occurred_at)
      values (${tenant.company.id}, ${id}, ${`api-${id}`}, ${card.id}, ${card.userId}, 'purchase', ${state}, 'Shop', '5734', 'DK',
        'online', ${walletAmount}, 'EUR', ${walletAmount}, ${settledAmount}, 'EUR', now())`.execute(db());
  }

  it('shows each period\'s limit, what was spent and what remains, as money', async () => {
    const card = await issueVirtual(employee.id, { controls: { perPurchaseMax: '100.00', limits: { daily: '200.00', monthly: '1000.00' } } });
    await spend(card, 12_345n);
    await spend(card, 5_000n, 4_000n, 'settled');
    await spend(card, 99_999n, null, 'declined');
    const response = kept(await employee.client.get(`/api/v1/cards/${card.id}/limits`));
    expect(response.status).toBe(200);
    expect(response.body.perPurchaseMax).toEqual({ amount: '100.00', currency: 'EUR' });
    expect(response.body.periods.daily).toEqual({ limit: { amount: '200.00', currency: 'EUR' }, spent: { amount: '163.45', currency: 'EUR' }, remaining: { amount: '36.55', currency: 'EUR' } });
    expect(response.body.periods.monthly.remaining).toEqual({ amount: '836.55', currency: 'EUR' });
    expect(response.body.periods.weekly).toEqual({ limit: null, spent: { amount: '163.45', currency: 'EUR' }, remaining: null });
    expect(Object.keys(response.body.periods).sort()).toEqual(['daily', 'lifetime', 'monthly', 'weekly', 'yearly']);
  });
});

describe('revealing the number', () => {
  it('shows the cardholder the number and CVV after their password, uncached and audited', async () => {
    const card = await issueVirtual(employee.id);
    const response = await employee.client.post(`/api/v1/cards/${card.id}/reveal`, { password: testPassword });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body.number).toBe(await panOf(card.id));
    expect(isLuhnValid(response.body.number)).toBe(true);
    expect(response.body).toMatchObject({ cvv: expect.stringMatching(/^\d{3}$/), expiryMonth: card.expiryMonth, expiryYear: card.expiryYear });
    const audit = await db().selectFrom('audit_events').select(['action', 'actor_id']).where('subject_id', '=', card.id).where('action', '=', 'card.revealed').execute();
    expect(audit).toEqual([{ action: 'card.revealed', actor_id: employee.id }]);
  });

  it('never keeps the revealed number for an idempotent replay', async () => {
    const card = await issueVirtual(employee.id);
    const first = await employee.client.post(`/api/v1/cards/${card.id}/reveal`, { password: testPassword }, { idempotencyKey: 'reveal-1' });
    const second = await employee.client.post(`/api/v1/cards/${card.id}/reveal`, { password: testPassword }, { idempotencyKey: 'reveal-1' });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    const stored = await db().selectFrom('idempotency_keys').select(['key', 'response_body']).execute();
    expect(stored.map((row) => row.key)).not.toContain('reveal-1');
    expect(stored.map((row) => row.response_body ?? '').join('\n')).not.toContain(first.body.number);
  });

  it('refuses a wrong password, an admin on someone else\'s card, and API keys', async () => {
    const card = await issueVirtual(employee.id);
    expectProblem(await employee.client.post(`/api/v1/cards/${card.id}/reveal`, { password: 'wrong-password-here' }), 401, 'reauthentication_required', 'password');
    expectProblem(await admin.post(`/api/v1/cards/${card.id}/reveal`, { password: testPassword }), 403, 'forbidden');
    expectProblem(await apiKey.post(`/api/v1/cards/${card.id}/reveal`, { password: testPassword }), 403, 'forbidden');
    expectProblem(await colleague.client.post(`/api/v1/cards/${card.id}/reveal`, { password: testPassword }), 404, 'not_found');
    expect(await db().selectFrom('audit_events').select('id').where('subject_id', '=', card.id).where('action', '=', 'card.revealed').execute()).toEqual([]);
  });
});

describe('card settings', () => {
  const settings = { defaultControls: { perPurchaseMax: '300.00', categories: { allow: null, block: ['gambling', 'cash'] } }, fxMarkupBasisPoints: 150, holdExpiryHours: 96, longHoldExpiryHours: 500 };

  it('are read with cards:read and changed with cards:manage', async () => {
    expect(kept(await bookkeeper.client.get('/api/v1/card-settings')).body).toMatchObject({ fxMarkupBasisPoints: 0, holdExpiryHours: 168, longHoldExpiryHours: 720 });
    expectProblem(await employee.client.get('/api/v1/card-settings'), 403, 'forbidden');
    expectProblem(await bookkeeper.client.request('PUT', '/api/v1/card-settings', settings), 403, 'forbidden');
    const saved = kept(await admin.request('PUT', '/api/v1/card-settings', settings));
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ fxMarkupBasisPoints: 150, holdExpiryHours: 96, longHoldExpiryHours: 500, defaultControls: { perPurchaseMax: '300.00', categories: { allow: null, block: ['gambling', 'cash'] } } });
  });

  it('give new cards their default controls', async () => {
    const card = await issueVirtual(colleague.id, { controls: { channels: ['online'] } });
    expect(card.controls).toMatchObject({ perPurchaseMax: '300.00', categories: { block: ['gambling', 'cash'] }, channels: ['online'] });
  });

  it('refuse values out of bounds, naming the field', async () => {
    expectProblem(await admin.request('PUT', '/api/v1/card-settings', { ...settings, fxMarkupBasisPoints: 5000 }), 400, 'validation_failed', 'fxMarkupBasisPoints');
    expectProblem(await admin.request('PUT', '/api/v1/card-settings', { ...settings, defaultControls: { weekdays: [0] } }), 400, 'validation_failed', 'defaultControls.weekdays.0');
  });
});

describe('the card number stays secret', () => {
  it('never appears in an ordinary response body', async () => {
    const rows = await db().selectFrom('cards').select('id').where('company_id', '=', tenant.company.id).execute();
    const pans = await Promise.all(rows.map((row) => panOf(row.id)));
    expect(pans.length).toBeGreaterThan(10);
    expect(ordinaryBodies.length).toBeGreaterThan(20);
    const bodies = ordinaryBodies.join('\n');
    for (const pan of pans) expect(bodies).not.toContain(pan);
  });

  it('never appears in the logs, not even from reveal requests', async () => {
    const card = await issueVirtual(employee.id);
    const revealed = await employee.client.post(`/api/v1/cards/${card.id}/reveal`, { password: testPassword });
    expect(revealed.status).toBe(200);
    const logs = logLines.join('');
    // The capture works: the reveal request itself was logged.
    expect(logs).toContain(`/api/v1/cards/${card.id}/reveal`);
    const rows = await db().selectFrom('cards').select('id').where('company_id', '=', tenant.company.id).execute();
    for (const row of rows) expect(logs).not.toContain(await panOf(row.id));
    expect(logs).not.toContain(testPassword);
  });

  it('is documented: the card schemas are in the OpenAPI document', async () => {
    const openapi = (await admin.get('/openapi.json')).body;
    // Shared schemas are components named by their $id.
    expect(Object.keys(openapi.components.schemas)).toEqual(expect.arrayContaining(['Card', 'CardControls', 'CardControlsInput', 'CardEvent', 'CardLimits', 'CardSettings', 'RevealedCard']));
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/v1/cards', '/api/v1/cards/{id}/reveal', '/api/v1/card-settings']));
  });
});
