// Tenants never see each other's cards. Company B has cards of every kind and state, card
// settings and card events; for every card route, a person and an API key of company A try
// to read or change them by id: each attempt is 404 (never 403, which would confirm the id
// exists), lists and settings show A's own, and every row of B stays exactly as it was.
// The general suite (tenancy.test.ts) covers the other routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyScopes } from '../../src/auth/permissions.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createApiKey, createTenant, testPassword, type ApiClient, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { describeTenancy, expectEachNotFound, expectForbidden, expectNotFound, expectOnlyCompany, expectRowsIn, idsOf, type TenancyCases } from '../../src/test-support/tenancy.js';

interface CardWorld {
  tenant: Tenant;
  companyId: string;
  employeeId: string;
  apiKey: ApiClient;
  /** Active virtual, ordered physical, frozen, and cancelled. */
  cardIds: string[];
  physicalCardId: string;
}

let server: RunningServer;
let a: CardWorld;
let b: CardWorld;
const shipTo = { recipient: 'Someone', line1: 'Street 1', postalCode: '1000', city: 'Town', country: 'DK' };

async function populate(tenant: Tenant, label: string, fxMarkupBasisPoints: number): Promise<CardWorld> {
  const admin: SessionClient = tenant.client;
  const employee = await addPerson(admin, { email: `cardholder@${label}.test`, name: `${label} Cardholder`, roles: ['employee'] });
  const issue = async (body: Record<string, unknown>) => {
    const response = await admin.post('/api/v1/cards', { userId: employee.id, ...body });
    expect(response.status, response.text).toBe(201);
    return response.body.id as string;
  };
  const virtual = await issue({ kind: 'virtual', controls: { limits: { monthly: '500.00' } } });
  const physical = await issue({ kind: 'physical', shippingAddress: shipTo });
  const frozen = await issue({ kind: 'single_use' });
  expect((await admin.post(`/api/v1/cards/${frozen}/freeze`, { reason: 'setup' })).status).toBe(200);
  const cancelled = await issue({ kind: 'vendor', vendor: { merchantName: 'Figma' } });
  expect((await admin.post(`/api/v1/cards/${cancelled}/cancel`, { reason: 'no_longer_needed' })).status).toBe(200);
  const settings = { defaultControls: { perPurchaseMax: '99.00' }, fxMarkupBasisPoints, holdExpiryHours: 100, longHoldExpiryHours: 200 };
  expect((await admin.request('PUT', '/api/v1/card-settings', settings)).status).toBe(200);
  const key = await createApiKey(admin, `${label} cards`, apiKeyScopes);
  return { tenant, companyId: tenant.company.id, employeeId: employee.id, apiKey: key.client, cardIds: [virtual, physical, frozen, cancelled], physicalCardId: physical };
}

const expectOnlyCompanyA = (ids: string[]) => expectOnlyCompany(server.database.db, a.companyId, 'cards', ids);
const eachBCard = (attempt: (id: string) => Promise<ApiResponse>) => expectEachNotFound(b.cardIds, attempt);

// One case per card route: what a person or API key of company A tries against company B.
const cases: TenancyCases = {
  'GET /api/v1/cards': async ({ client }) => {
    const response = await client.get('/api/v1/cards?limit=200');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA(idsOf(response));
    const filtered = await client.get(`/api/v1/cards?userId=${b.employeeId}`);
    expect({ status: filtered.status, items: filtered.body.items }).toEqual({ status: 200, items: [] });
  },

  'POST /api/v1/cards': async ({ client }) => {
    const response = await client.post('/api/v1/cards', { userId: b.employeeId, kind: 'virtual' });
    expectNotFound(response);
    expect(response.body.field).toBe('userId');
  },

  'GET /api/v1/cards/:id': async ({ client }) => eachBCard((id) => client.get(`/api/v1/cards/${id}`)),
  'GET /api/v1/cards/:id/events': async ({ client }) => eachBCard((id) => client.get(`/api/v1/cards/${id}/events`)),
  'GET /api/v1/cards/:id/limits': async ({ client }) => eachBCard((id) => client.get(`/api/v1/cards/${id}/limits`)),
  'POST /api/v1/cards/:id/freeze': async ({ client }) => eachBCard((id) => client.post(`/api/v1/cards/${id}/freeze`, { reason: 'taken over' })),
  'POST /api/v1/cards/:id/unfreeze': async ({ client }) => eachBCard((id) => client.post(`/api/v1/cards/${id}/unfreeze`)),
  'POST /api/v1/cards/:id/activate': async ({ client }) => eachBCard((id) => client.post(`/api/v1/cards/${id}/activate`)),
  'POST /api/v1/cards/:id/cancel': async ({ client }) => eachBCard((id) => client.post(`/api/v1/cards/${id}/cancel`, { reason: 'stolen' })),
  'POST /api/v1/cards/:id/replace': async ({ client }) => eachBCard((id) => client.post(`/api/v1/cards/${id}/replace`, { reason: 'lost' })),
  'POST /api/v1/cards/:id/shipping': async ({ client }) => eachBCard((id) => client.post(`/api/v1/cards/${id}/shipping`, { status: 'delivered' })),
  'PATCH /api/v1/cards/:id/controls': async ({ client }) => eachBCard((id) => client.patch(`/api/v1/cards/${id}/controls`, { perPurchaseMax: null, limits: {} })),

  'POST /api/v1/cards/:id/reveal': async ({ client, kind }) => {
    if (kind === 'apiKey') {
      // API keys never reveal, whatever the id: the same answer for A's cards and B's.
      for (const id of [...b.cardIds, a.cardIds[0]!]) expectForbidden(await client.post(`/api/v1/cards/${id}/reveal`, { password: testPassword }));
      return;
    }
    await eachBCard((id) => client.post(`/api/v1/cards/${id}/reveal`, { password: testPassword }));
  },

  'GET /api/v1/card-settings': async ({ client }) => {
    const response = await client.get('/api/v1/card-settings');
    expect({ status: response.status, fx: response.body.fxMarkupBasisPoints }).toEqual({ status: 200, fx: 111 });
  },

  'PUT /api/v1/card-settings': async ({ client }) => {
    const response = await client.request('PUT', '/api/v1/card-settings', { defaultControls: {}, fxMarkupBasisPoints: 111, holdExpiryHours: 50, longHoldExpiryHours: 60 });
    expect({ status: response.status, hold: response.body.holdExpiryHours }).toEqual({ status: 200, hold: 50 });
  },
};

beforeAll(async () => {
  server = await startTestServer();
  a = await populate(await createTenant(server, { name: 'Aspen Cards', currency: 'EUR', adminEmail: 'admin@aspen.test' }), 'aspen', 111);
  b = await populate(await createTenant(server, { name: 'Beech Cards', currency: 'DKK', adminEmail: 'admin@beech.test' }), 'beech', 222);
  // B's physical card is on its way, so shipping and activation are moves it could make.
  expect((await b.tenant.client.post(`/api/v1/cards/${b.physicalCardId}/shipping`, { status: 'shipped' })).status).toBe(200);
});

afterAll(async () => {
  await server?.close();
});

describe('card tenancy', () => {
  it('sets up company B with cards in several states, card events and settings', async () => {
    await expectRowsIn(server.database.db, b.companyId, ['cards', 'card_events', 'card_settings']);
    // card_routes is global (the processor names cards by id alone): B's cards route to B.
    const routes = await server.database.db.selectFrom('card_routes').select('company_id').where('card_id', 'in', b.cardIds).execute();
    expect(routes.map((route) => route.company_id)).toEqual(b.cardIds.map(() => b.companyId));
  });

  describeTenancy({
    suite: 'cards',
    server: () => server,
    actors: () => ({ user: a.tenant.client, apiKey: a.apiKey }),
    untouched: { 'company B': () => b.companyId },
    cases,
  });

  it('still serves company B its own cards and settings afterwards', async () => {
    const listed = await b.tenant.client.get('/api/v1/cards');
    expect(idsOf(listed).sort()).toEqual([...b.cardIds].sort());
    expect((await b.tenant.client.get('/api/v1/card-settings')).body.fxMarkupBasisPoints).toBe(222);
  });
});
