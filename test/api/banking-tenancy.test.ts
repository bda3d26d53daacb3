// Tenants never see each other's banking, and no company sees the platform's. Company B has
// a payment reference, a low-balance alert, a top-up booked from the top-up account's
// statement, a paid payout batch and statements of its own account (one booked, one held).
// For every bank route, a person and an API key of company A try B's rows by id: the
// company's own statement routes answer 404 for B's ids and list A's only; the operator
// routes answer 403 to anyone outside the platform, whatever the id; and every row of B,
// and of the platform, stays exactly as it was. The platform's operator, in turn, sees no
// company's own statements through the operator routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addActivePerson } from '../../src/people/people.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createApiKey, createTenant, signIn, testPassword, type ApiClient, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { apiKeyScopes } from '../../src/auth/permissions.js';
import { camt053 } from '../../src/test-support/camt053.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { describeTenancy, expectForbidden, expectNotFound, expectRowsIn, type TenancyCases } from '../../src/test-support/tenancy.js';

const topUpIban = 'DK3852950001234567';

interface BankWorld {
  tenant: Tenant;
  companyId: string;
  apiKey: ApiClient;
  reference: string;
  debtorIban: string;
  batchId: string;
  messageId: string;
  statementIds: string[];
  heldStatementId: string;
}

let server: RunningServer;
let operator: SessionClient;
let platformId: string;
let a: BankWorld;
let b: BankWorld;
let platformStatementId: string;
let suspenseEntryId: string;
/** A correction of B's wallet the platform's operator proposed, waiting for a second operator. */
let correctionOfB: string;

const upload = (client: ApiClient, path: string, xml: string): Promise<ApiResponse> =>
  client.request('POST', path, undefined, { rawBody: Buffer.from(xml), headers: { 'content-type': 'application/xml' } });

async function populate(tenant: Tenant, label: string, debtorIban: string, alert: string): Promise<BankWorld> {
  const admin = tenant.client;
  const reference = (await admin.get('/api/v1/wallet/top-up-instructions')).body.reference as string;
  expect((await admin.request('PUT', '/api/v1/wallet/low-balance-alert', { lowBalanceBelow: alert })).status).toBe(200);
  const employee = await addPerson(admin, { email: `payee@${label}.test`, name: `${label} Payee`, roles: ['employee'] });
  const category = (await admin.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id;
  await admin.patch('/api/v1/expense-settings', { debtor: { name: `${label} ApS`, iban: debtorIban }, mileageRate: '0.50' });
  await employee.client.request('PUT', '/api/v1/payee-account', { holderName: 'Payee', iban: 'DK3030000987654321' });
  const drive = await employee.client.post('/api/v1/expenses', { kind: 'mileage', spentOn: '2026-11-30', distanceKm: '10', categoryId: category });
  await employee.client.post(`/api/v1/expenses/${drive.body.id}/submit`);
  const batch = (await admin.post('/api/v1/payout-batches', {})).body.batch;
  expect((await admin.post(`/api/v1/payout-batches/${batch.id}/paid`)).status).toBe(200);
  // A statement of the company's own account that does not show the payout yet, and one of another account (held).
  const booked = await upload(admin, '/api/v1/wallet/bank-statements', camt053([{ id: `${label}-OWN-1`, iban: debtorIban, currency: 'EUR', opening: '100.00', date: '2026-11-30', entries: [{ amount: '-1.00', bookingDate: '2026-11-30', remittance: 'Bank fee', bankReference: `${label}-FEE` }] }]));
  const held = await upload(admin, '/api/v1/wallet/bank-statements', camt053([{ id: `${label}-OTHER-1`, iban: 'DE89370400440532013000', currency: 'EUR', opening: '0.00', date: '2026-11-30', entries: [{ amount: '-5.00', bookingDate: '2026-11-30', remittance: batch.messageId }] }]));
  expect(booked.body.statements[0].state).toBe('booked');
  expect(held.body.statements[0].state).toBe('held');
  const key = await createApiKey(admin, `${label} banking`, apiKeyScopes);
  return {
    tenant,
    companyId: tenant.company.id,
    apiKey: key.client,
    reference,
    debtorIban,
    batchId: batch.id,
    messageId: batch.messageId,
    statementIds: [booked.body.statements[0].id, held.body.statements[0].id],
    heldStatementId: held.body.statements[0].id,
  };
}

/** The operator routes answer 403 to anyone outside the platform, whatever the id. */
const operatorOnly = async (attempt: () => Promise<ApiResponse>) => expectForbidden(await attempt());

// One case per route: what a person or API key of company A tries against company B or the platform.
const cases: TenancyCases = {
  'POST /api/v1/bank/statements': async ({ client }) => operatorOnly(() => upload(client, '/api/v1/bank/statements', camt053([{ id: 'X', iban: topUpIban, currency: 'EUR', opening: '0.00', date: '2026-11-30', entries: [] }]))),
  'GET /api/v1/bank/statements': async ({ client }) => operatorOnly(() => client.get('/api/v1/bank/statements')),
  'GET /api/v1/bank/statements/:id': async ({ client }) => {
    for (const id of [platformStatementId, ...b.statementIds]) await operatorOnly(() => client.get(`/api/v1/bank/statements/${id}`));
  },
  'POST /api/v1/bank/statements/:id/accept': async ({ client }) => operatorOnly(() => client.post(`/api/v1/bank/statements/${b.heldStatementId}/accept`)),
  'POST /api/v1/bank/statements/:id/discard': async ({ client }) => operatorOnly(() => client.post(`/api/v1/bank/statements/${b.heldStatementId}/discard`)),
  'GET /api/v1/bank/suspense': async ({ client }) => operatorOnly(() => client.get('/api/v1/bank/suspense')),
  'POST /api/v1/bank/entries/:id/assign': async ({ client }) => operatorOnly(() => client.post(`/api/v1/bank/entries/${suspenseEntryId}/assign`, { companyId: a.companyId })),
  'POST /api/v1/bank/entries/:id/return': async ({ client }) => operatorOnly(() => client.post(`/api/v1/bank/entries/${suspenseEntryId}/return`, { note: 'mine now' })),
  'GET /api/v1/bank/companies': async ({ client }) => operatorOnly(() => client.get('/api/v1/bank/companies')),
  'GET /api/v1/bank/wallet-corrections': async ({ client }) => operatorOnly(() => client.get('/api/v1/bank/wallet-corrections')),
  'POST /api/v1/bank/wallet-corrections': async ({ client }) => operatorOnly(() => client.post('/api/v1/bank/wallet-corrections', { companyId: a.companyId, amount: '1000000.00', reason: 'money of our own' })),
  'POST /api/v1/bank/wallet-corrections/:id/approve': async ({ client }) => operatorOnly(() => client.post(`/api/v1/bank/wallet-corrections/${correctionOfB}/approve`)),

  'GET /api/v1/wallet/top-up-instructions': async ({ client }) => {
    const response = await client.get('/api/v1/wallet/top-up-instructions');
    expect(response.body.reference).toBe(a.reference);
    expect(response.body.reference).not.toBe(b.reference);
  },
  'GET /api/v1/wallet/low-balance-alert': async ({ client }) => {
    expect((await client.get('/api/v1/wallet/low-balance-alert')).body.lowBalanceBelow).toEqual({ amount: '111.00', currency: 'EUR' });
  },
  'PUT /api/v1/wallet/low-balance-alert': async ({ client }) => {
    expect((await client.request('PUT', '/api/v1/wallet/low-balance-alert', { lowBalanceBelow: '111.00' })).body.lowBalanceBelow.amount).toBe('111.00');
  },

  'POST /api/v1/wallet/bank-statements': async ({ client }) => {
    // B's own statement, showing B's payout, uploaded by A: held in A (not A's account), B's batch untouched.
    const response = await upload(client, '/api/v1/wallet/bank-statements', camt053([{ id: `B-SHOWN-TO-A-${Math.random()}`, iban: b.debtorIban, currency: 'EUR', opening: '100.00', date: '2026-12-01', entries: [{ amount: '-5.00', bookingDate: '2026-12-01', remittance: b.messageId }] }]));
    expect(response.status).toBe(201);
    expect(response.body.statements[0]).toMatchObject({ state: 'held' });
  },
  'GET /api/v1/wallet/bank-statements': async ({ client }) => {
    const ids = (await client.get('/api/v1/wallet/bank-statements?limit=200')).body.items.map((s: { id: string }) => s.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of [...b.statementIds, platformStatementId]) expect(ids).not.toContain(id);
  },
  'GET /api/v1/wallet/bank-statements/:id': async ({ client }) => {
    for (const id of [...b.statementIds, platformStatementId]) expectNotFound(await client.get(`/api/v1/wallet/bank-statements/${id}`));
  },
  'POST /api/v1/wallet/bank-statements/:id/accept': async ({ client }) => expectNotFound(await client.post(`/api/v1/wallet/bank-statements/${b.heldStatementId}/accept`)),
  'POST /api/v1/wallet/bank-statements/:id/discard': async ({ client }) => expectNotFound(await client.post(`/api/v1/wallet/bank-statements/${b.heldStatementId}/discard`)),
};

beforeAll(async () => {
  server = await startTestServer({ config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  platformId = (await server.database.db.selectFrom('companies').select('id').where('is_platform', '=', true).executeTakeFirstOrThrow()).id;
  await addActivePerson(server.database.db, platformId, { email: 'ops@platform.test', name: 'Ops', roles: ['operator'], password: testPassword });
  operator = await signIn(server.app, 'ops@platform.test', testPassword);
  a = await populate(await createTenant(server, { name: 'Aspen Bank', adminEmail: 'admin@aspen-bank.test' }), 'aspen', 'DK5000400440116243', '111.00');
  b = await populate(await createTenant(server, { name: 'Beech Bank', adminEmail: 'admin@beech-bank.test' }), 'beech', 'DK9520000123456789', '222.00');
  const platformStatement = await upload(operator, '/api/v1/bank/statements', camt053([{ id: 'PLATFORM-1', iban: topUpIban, currency: 'EUR', opening: '0.00', date: '2026-11-30', entries: [
    { amount: '300.00', bookingDate: '2026-11-30', remittance: b.reference, bankReference: 'P-1' },
    { amount: '40.00', bookingDate: '2026-11-30', remittance: 'who am I', bankReference: 'P-2' },
  ] }]));
  platformStatementId = platformStatement.body.statements[0].id;
  suspenseEntryId = (await operator.get('/api/v1/bank/suspense')).body.items[0].id;
  const proposed = await operator.post('/api/v1/bank/wallet-corrections', { companyId: b.companyId, amount: '-10.00', reason: 'P-1 booked ten too much' });
  expect(proposed.status, proposed.text).toBe(201);
  correctionOfB = proposed.body.id;
});

afterAll(async () => {
  await server?.close();
});

describe('banking tenancy', () => {
  it('sets up company B with a reference, an alert, a top-up, a paid batch and its own statements', async () => {
    await expectRowsIn(server.database.db, b.companyId, ['payment_references', 'wallet_alerts', 'wallet_top_ups', 'payout_batches', 'bank_statements', 'bank_entries']);
  });

  describeTenancy({
    suite: 'banking',
    server: () => server,
    actors: () => ({ user: a.tenant.client, apiKey: a.apiKey }),
    untouched: { 'company B': () => b.companyId, 'the platform': () => platformId },
    cases,
    moreAttempts: {
      'shows the platform\'s operator none of the companies\' own statements': async () => {
        const ids = (await operator.get('/api/v1/bank/statements?limit=200')).body.items.map((s: { id: string }) => s.id);
        expect(ids).toEqual([platformStatementId]);
        for (const id of b.statementIds) expectNotFound(await operator.get(`/api/v1/bank/statements/${id}`));
        expectNotFound(await operator.post(`/api/v1/bank/statements/${b.heldStatementId}/accept`));
      },
    },
  });

  it('still shows company B its paid batch afterwards', async () => {
    expect((await b.tenant.client.get(`/api/v1/payout-batches/${b.batchId}`)).body.state).toBe('paid');
  });
});
