// Tenants never see each other's receipts. Company B has receipts (matched, waiting, a
// duplicate), a receipt declared lost, a reminder, a forwarding address and receipt rules;
// for every receipt and notification route, a person and an API key of company A try to read
// or change them by id: each attempt is 404 (never 403, which would confirm the id exists),
// lists show A's own, and every row of B stays exactly as it was. The general suite
// (tenancy.test.ts) covers the other routes.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyScopes } from '../../src/auth/permissions.js';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { sweepReceipts } from '../../src/receipts/receipt-sweep.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createApiKey, createTenant, type ApiClient, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { uploadReceipt } from '../../src/test-support/receipts.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { renderReceiptPicture } from '../../src/demo/receipt-pictures.js';
import { describeTenancy, expectEachNotFound, expectForbidden, expectNotFound, expectOnlyCompany, expectRowsIn, idsOf, type CompanyTable, type TenancyCases } from '../../src/test-support/tenancy.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };

interface ReceiptWorld {
  tenant: Tenant;
  companyId: string;
  employeeId: string;
  employee: SessionClient;
  apiKey: ApiClient;
  transactionIds: string[];
  /** Matched, unmatched and a duplicate of the unmatched one. */
  receiptIds: string[];
  photoReceiptId: string;
  notificationIds: string[];
}

let server: RunningServer;
let a: ReceiptWorld;
let b: ReceiptWorld;

const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);

async function populate(tenant: Tenant, label: string, currency: string): Promise<ReceiptWorld> {
  const admin = tenant.client;
  await fundWallet(server, tenant.company.id, { amount: '900.00', currency, bankReference: `${label}-funds`, receivedOn: new Date().toISOString().slice(0, 10) });
  const employee = await addPerson(admin, { email: `spender@${label}.test`, name: `${label} Spender`, roles: ['employee'] });
  const card = await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: employee.id, kind: 'virtual' }, system, new Date());
  const network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  const transactionIds: string[] = [];
  for (const amount of ['10.00', '20.00', '30.00']) {
    const response = await network.authorize({ id: networkId('auth'), cardId: card.id, amount, currency, merchant: { name: `${label} shop`, mcc: '5814', country: 'DK' }, channel: 'online' });
    expect(response.body.approved).toBe(true);
    transactionIds.push(response.body.transactionId as string);
  }
  const matched = await uploadReceipt(employee.client, pdf(`${label} matched`), { transactionId: transactionIds[0]! });
  const waiting = await uploadReceipt(employee.client, pdf(`${label} waiting`));
  const duplicate = await uploadReceipt(employee.client, pdf(`${label} waiting`));
  const photo = await uploadReceipt(employee.client, await renderReceiptPicture({ merchant: `${label} shop`, date: '2026-11-20', items: [], total: '1.00', currency }));
  for (const sent of [matched, waiting, duplicate, photo]) expect(sent.status, sent.text).toBe(201);
  expect(duplicate.body.duplicate).toMatchObject({ of: waiting.body.id });
  const lost = await employee.client.post(`/api/v1/card-transactions/${transactionIds[1]}/lost-receipt`, { note: `${label} lost it` });
  expect(lost.status).toBe(201);
  expect((await admin.patch('/api/v1/receipt-settings', { reminderAfterDays: 4 })).status).toBe(200);
  expect((await employee.client.get('/api/v1/receipts/forwarding-address')).status).toBe(200);
  const key = await createApiKey(admin, `${label} receipts`, apiKeyScopes);
  return {
    tenant,
    companyId: tenant.company.id,
    employeeId: employee.id,
    employee: employee.client,
    apiKey: key.client,
    transactionIds,
    receiptIds: [matched.body.id, waiting.body.id, duplicate.body.id, photo.body.id],
    photoReceiptId: photo.body.id,
    notificationIds: [],
  };
}

const eachBReceipt = (attempt: (id: string) => Promise<ApiResponse>) => expectEachNotFound(b.receiptIds, attempt);
const expectOnlyCompanyA = (table: CompanyTable, ids: string[]) => expectOnlyCompany(server.database.db, a.companyId, table, ids);

// One case per route: what a person or API key of company A tries against company B.
const cases: TenancyCases = {
  'POST /api/v1/receipts': async ({ client }) => {
    for (const transactionId of b.transactionIds) expectNotFound(await uploadReceipt(client, pdf('for B'), { transactionId }));
    expectNotFound(await uploadReceipt(client, pdf('for B'), { userId: b.employeeId }));
  },

  'GET /api/v1/receipts': async ({ client }) => {
    const response = await client.get('/api/v1/receipts?limit=200');
    await expectOnlyCompanyA('receipts', idsOf(response));
    for (const query of [`userId=${b.employeeId}`, `transactionId=${b.transactionIds[0]}`]) {
      const filtered = await client.get(`/api/v1/receipts?${query}`);
      expect({ status: filtered.status, items: filtered.body.items }).toEqual({ status: 200, items: [] });
    }
  },

  'GET /api/v1/receipts/:id': async ({ client }) => eachBReceipt((id) => client.get(`/api/v1/receipts/${id}`)),
  'GET /api/v1/receipts/:id/file': async ({ client }) => eachBReceipt((id) => client.get(`/api/v1/receipts/${id}/file`)),
  'GET /api/v1/receipts/:id/thumbnail': async ({ client }) => eachBReceipt((id) => client.get(`/api/v1/receipts/${id}/thumbnail`)),
  'POST /api/v1/receipts/:id/unmatch': async ({ client }) => eachBReceipt((id) => client.post(`/api/v1/receipts/${id}/unmatch`)),
  'DELETE /api/v1/receipts/:id': async ({ client }) => eachBReceipt((id) => client.delete(`/api/v1/receipts/${id}`)),

  'POST /api/v1/receipts/:id/match': async ({ client }) => {
    await eachBReceipt((id) => client.post(`/api/v1/receipts/${id}/match`, { transactionId: b.transactionIds[2] }));
    // A's own receipt cannot be pinned to B's transaction either.
    expectNotFound(await client.post(`/api/v1/receipts/${a.receiptIds[1]}/match`, { transactionId: b.transactionIds[2] }));
  },

  'POST /api/v1/card-transactions/:id/lost-receipt': async ({ client }) => {
    for (const id of b.transactionIds) expectNotFound(await client.post(`/api/v1/card-transactions/${id}/lost-receipt`, { note: 'taken over' }));
  },

  'GET /api/v1/receipts/missing': async ({ client }) => {
    const response = await client.get('/api/v1/receipts/missing');
    await expectOnlyCompanyA('card_transactions', idsOf(response));
    const filtered = await client.get(`/api/v1/receipts/missing?userId=${b.employeeId}`);
    expect({ status: filtered.status, items: filtered.body.items }).toEqual({ status: 200, items: [] });
  },

  'GET /api/v1/receipts/missing/by-person': async ({ client }) => {
    const response = await client.get('/api/v1/receipts/missing/by-person');
    expect(response.status).toBe(200);
    expect(response.body.items.map((row: { userId: string }) => row.userId)).toEqual([a.employeeId]);
  },

  'GET /api/v1/receipts/forwarding-address': async ({ client, kind }) => {
    const response = await client.get('/api/v1/receipts/forwarding-address');
    if (kind === 'apiKey') return expectForbidden(response);
    expect(response.status).toBe(200);
    const token = /^receipts\+([a-z0-9]+)@/.exec(response.body.address)?.[1];
    const owner = await server.database.db.selectFrom('receipt_addresses').select('company_id').where('token', '=', token ?? '').executeTakeFirstOrThrow();
    expect(owner.company_id).toBe(a.companyId);
  },

  'GET /api/v1/receipt-settings': async ({ client }) => {
    const response = await client.get('/api/v1/receipt-settings');
    expect({ status: response.status, currency: response.body.requiredAbove?.currency, days: response.body.reminderAfterDays }).toEqual({ status: 200, currency: 'EUR', days: 4 });
  },

  'PATCH /api/v1/receipt-settings': async ({ client }) => {
    const response = await client.patch('/api/v1/receipt-settings', { reminderAfterDays: 4 });
    expect({ status: response.status, currency: response.body.requiredAbove?.currency }).toEqual({ status: 200, currency: 'EUR' });
  },

  'GET /api/v1/notifications': async ({ client, kind }) => {
    const response = await client.get('/api/v1/notifications');
    if (kind === 'apiKey') return expectForbidden(response);
    expect(response.status).toBe(200);
    for (const id of idsOf(response)) expect(b.notificationIds).not.toContain(id);
  },

  'POST /api/v1/notifications/:id/read': async ({ client, kind }) => {
    for (const id of b.notificationIds) {
      const response = await client.post(`/api/v1/notifications/${id}/read`);
      if (kind === 'apiKey') expectForbidden(response);
      else expectNotFound(response);
    }
  },
};

beforeAll(async () => {
  // No OCR: what is read does not matter here, and reading would change B's rows meanwhile.
  server = await startTestServer({ config: { processorSecret, encryptionKey, receipts: { ...testConfig().receipts, readers: 0 } } });
  a = await populate(await createTenant(server, { name: 'Alder Receipts', currency: 'EUR', adminEmail: 'admin@alder-r.test' }), 'alder', 'EUR');
  b = await populate(await createTenant(server, { name: 'Birch Receipts', currency: 'DKK', adminEmail: 'admin@birch-r.test' }), 'birch', 'DKK');
  // Reminders for both companies' missing receipts, as if five days had passed.
  await sweepReceipts(server.database.db, new Date(Date.now() + 5 * 86_400_000));
  const notifications = async (world: ReceiptWorld) => idsOf(await world.employee.get('/api/v1/notifications'));
  a.notificationIds = await notifications(a);
  b.notificationIds = await notifications(b);
});

afterAll(async () => {
  await server?.close();
});

describe('receipt tenancy', () => {
  it('sets up company B with receipts, a lost receipt, reminders, an address and settings', async () => {
    await expectRowsIn(server.database.db, b.companyId, ['receipts', 'lost_receipts', 'notifications', 'receipt_addresses', 'receipt_settings']);
    expect(b.notificationIds.length).toBeGreaterThan(0);
  });

  describeTenancy({
    suite: 'receipts',
    server: () => server,
    actors: () => ({ user: a.tenant.client, apiKey: a.apiKey }),
    untouched: { 'company B': () => b.companyId },
    cases,
  });

  it('still serves company B its own receipts and files afterwards', async () => {
    const listed = await b.employee.get('/api/v1/receipts');
    expect(idsOf(listed).sort()).toEqual([...b.receiptIds].sort());
    expect((await b.employee.get(`/api/v1/receipts/${b.photoReceiptId}/thumbnail`)).status).toBe(200);
  });
});
