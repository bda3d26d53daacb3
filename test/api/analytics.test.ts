// The spend overview over the API: exact sums by month, team, person, category, tag, kind,
// merchant and currency from expenses filed and card purchases made through the API and the
// card network; the shared filters; three months compared; declines by reason; missing
// receipts by person; CSV downloads; who may read it; and problem+json for bad filters.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { syncCardExpenses } from '../../src/expenses/expense-sync.js';
import { loadRates } from '../../src/fx/fx.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createApiKey, createTenant, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);

let server: RunningServer;
let tenant: Tenant;
let bookkeeper: SessionClient;
let reviewer: SessionClient;
let emma: { id: string; client: SessionClient };
let olaf: { id: string; client: SessionClient };
let salesId: string;
let opsId: string;
let travelId: string;
let apolloId: string;
let cardId: string;
/** The company's amount of the conference paid in USD, as the expense converted it. */
let conferenceEur: string;

const cents = (amount: string) => BigInt(amount.replace('.', ''));
const euros = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
const items = (response: ApiResponse) => response.body.items as { key: string | null; label: string | null; amount: { amount: string; currency: string }; count: number; original: { amount: string; currency: string } | null }[];
const byKey = (response: ApiResponse) => Object.fromEntries(items(response).map((item) => [item.key, { amount: item.amount.amount, count: item.count }]));

async function fileExpense(person: { client: SessionClient }, body: Record<string, unknown>, submit: boolean): Promise<ApiResponse> {
  const filed = await person.client.post('/api/v1/expenses', { kind: 'out_of_pocket', ...body });
  expect(filed.status, filed.text).toBe(201);
  if (!submit) return filed;
  const submitted = await person.client.post(`/api/v1/expenses/${filed.body.id}/submit`);
  expect(submitted.status, submitted.text).toBe(200);
  return submitted;
}

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey } });
  tenant = await createTenant(server, { name: 'Overview ApS', adminEmail: 'ada@overview.test' });
  const admin = tenant.client;
  salesId = (await admin.post('/api/v1/teams', { name: 'Sales' })).body.id;
  opsId = (await admin.post('/api/v1/teams', { name: 'Ops' })).body.id;
  bookkeeper = (await addPerson(admin, { email: 'bo@overview.test', name: 'Bo Books', roles: ['bookkeeper'] })).client;
  reviewer = (await addPerson(admin, { email: 'rita@overview.test', name: 'Rita Review', roles: ['reviewer'] })).client;
  emma = await addPerson(admin, { email: 'emma@overview.test', name: 'Emma Sales', roles: ['employee'], teamId: salesId });
  olaf = await addPerson(admin, { email: 'olaf@overview.test', name: 'Olaf Ops', roles: ['employee'], teamId: opsId });
  travelId = (await bookkeeper.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id;
  const mealsId = (await bookkeeper.post('/api/v1/expense-categories', { accountCode: '6120', name: 'Meals' })).body.id;
  const project = await bookkeeper.post('/api/v1/tag-groups', { name: 'Project' });
  apolloId = (await bookkeeper.post(`/api/v1/tag-groups/${project.body.id}/tags`, { name: 'Apollo' })).body.id;
  await loadRates(server.database.db, [{ date: '2026-11-05', rates: [{ currency: 'USD', rate: '1.0546' }] }], 'test');

  await fileExpense(emma, { spentOn: '2026-11-02', merchant: 'Train', amount: '42.50', categoryId: travelId, tagIds: [apolloId] }, true);
  await fileExpense(emma, { spentOn: '2026-11-03', merchant: '=cmd()', amount: '1.00', categoryId: mealsId }, true);
  await fileExpense(emma, { spentOn: '2026-11-10', merchant: 'Lunch', amount: '20.00', categoryId: mealsId }, false);
  await fileExpense(olaf, { spentOn: '2026-10-15', merchant: 'Hotel', amount: '300.00', categoryId: travelId }, true);
  await fileExpense(olaf, { spentOn: '2025-11-20', merchant: 'Taxi', amount: '15.00', categoryId: mealsId }, true);
  const conference = await fileExpense(olaf, { spentOn: '2026-11-05', merchant: 'Conference', amount: '100.00', currency: 'USD', categoryId: travelId }, true);
  conferenceEur = conference.body.amount.amount;

  await fundWallet(server, tenant.company.id, { amount: '100.00', currency: 'EUR', bankReference: 'OV-1' });
  cardId = (await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: emma.id, kind: 'virtual' }, { actorType: 'system', actorId: null }, new Date())).id;
  const network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  const purchase = (amount: string, occurredAt: string) => network.authorize({
    id: networkId('auth'), cardId, amount, currency: 'EUR', channel: 'online', occurredAt,
    merchant: { id: 'm-paper', name: 'Paper Shop', mcc: '5943', country: 'DK' },
  });
  expect((await purchase('12.00', '2026-11-20T10:00:00Z')).body.approved).toBe(true);
  expect((await purchase('5000.00', '2026-11-21T10:00:00Z')).body).toMatchObject({ approved: false, declineReason: 'insufficient_funds' });
  await syncCardExpenses(server.database.db, new Date());
});

afterAll(async () => {
  await server?.close();
});

const november = cents('42.50') + cents('1.00') + cents('12.00');

describe('spend by month', () => {
  it('sums every month of the period exactly, zero where nothing was spent, drafts left out', async () => {
    const response = await bookkeeper.get('/api/v1/analytics/spend?by=month&from=2025-11-01&to=2026-11-30');
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ series: 'spend_by_month', currency: 'EUR', from: '2025-11-01', to: '2026-11-30' });
    expect(items(response).map((item) => item.key)).toHaveLength(13);
    const months = byKey(response);
    expect(months['2025-11']).toEqual({ amount: '15.00', count: 1 });
    expect(months['2026-01']).toEqual({ amount: '0.00', count: 0 });
    expect(months['2026-10']).toEqual({ amount: '300.00', count: 1 });
    expect(months['2026-11']).toEqual({ amount: euros(november + cents(conferenceEur)), count: 4 });
  });
});

describe('spend by dimension', () => {
  it('by team, person, kind and merchant, largest first', async () => {
    const period = 'from=2026-10-01&to=2026-11-30';
    expect(byKey(await bookkeeper.get(`/api/v1/analytics/spend?by=team&${period}`))).toEqual({
      [opsId]: { amount: euros(cents('300.00') + cents(conferenceEur)), count: 2 },
      [salesId]: { amount: euros(november), count: 3 },
    });
    const people = await bookkeeper.get(`/api/v1/analytics/spend?by=person&${period}&teamId=${salesId}`);
    expect(items(people).map((item) => [item.key, item.label])).toEqual([[emma.id, 'Emma Sales']]);
    expect(byKey(await bookkeeper.get(`/api/v1/analytics/spend?by=kind&${period}`))).toEqual({
      out_of_pocket: { amount: euros(cents('343.50') + cents(conferenceEur)), count: 4 },
      card: { amount: '12.00', count: 1 },
    });
    const top = await bookkeeper.get(`/api/v1/analytics/spend?by=merchant&${period}&limit=1`);
    expect(items(top).map((item) => [item.key, item.amount.amount])).toEqual([['Hotel', '300.00']]);
  });

  it('by category counts the lines of that category only when filtered by it, and by tag', async () => {
    const period = 'from=2026-11-01&to=2026-11-30';
    const travel = await bookkeeper.get(`/api/v1/analytics/spend?by=category&${period}&categoryId=${travelId}`);
    expect(items(travel).map((item) => [item.label, item.amount.amount, item.count])).toEqual([['Travel', euros(cents('42.50') + cents(conferenceEur)), 2]]);
    const tagged = await bookkeeper.get(`/api/v1/analytics/spend?by=tag&${period}`);
    expect(items(tagged).map((item) => [item.key, item.label, item.amount.amount])).toEqual([[apolloId, 'Project: Apollo', '42.50']]);
    expect(byKey(await bookkeeper.get(`/api/v1/analytics/spend?by=kind&${period}&tagId=${apolloId}`))).toEqual({ out_of_pocket: { amount: '42.50', count: 1 } });
  });

  it('by original currency, with the sum as paid', async () => {
    const response = await bookkeeper.get('/api/v1/analytics/spend?by=currency&from=2026-11-01&to=2026-11-30');
    const usd = items(response).find((item) => item.key === 'USD');
    expect(usd).toMatchObject({ amount: { amount: conferenceEur, currency: 'EUR' }, count: 1, original: { amount: '100.00', currency: 'USD' } });
    expect(items(response).find((item) => item.key === 'EUR')).toMatchObject({ amount: { amount: euros(november) }, count: 3, original: { amount: euros(november), currency: 'EUR' } });
  });

  it('filters by card and by person', async () => {
    expect(byKey(await bookkeeper.get(`/api/v1/analytics/spend?by=kind&from=2026-01-01&to=2026-12-31&cardId=${cardId}`))).toEqual({ card: { amount: '12.00', count: 1 } });
    expect(byKey(await bookkeeper.get(`/api/v1/analytics/spend?by=person&from=2026-01-01&to=2026-12-31&userId=${olaf.id}`))).toEqual({
      [olaf.id]: { amount: euros(cents('300.00') + cents(conferenceEur)), count: 2 },
    });
  });
});

describe('the other series', () => {
  it('compares a month with the one before and the same month last year', async () => {
    const response = await bookkeeper.get('/api/v1/analytics/comparison?month=2026-11');
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      currency: 'EUR',
      thisMonth: { month: '2026-11', amount: { amount: euros(november + cents(conferenceEur)), currency: 'EUR' }, count: 4 },
      lastMonth: { month: '2026-10', amount: { amount: '300.00', currency: 'EUR' }, count: 1 },
      sameMonthLastYear: { month: '2025-11', amount: { amount: '15.00', currency: 'EUR' }, count: 1 },
    });
    const sales = await bookkeeper.get(`/api/v1/analytics/comparison?month=2026-11&teamId=${salesId}`);
    expect(sales.body.lastMonth.amount.amount).toBe('0.00');
  });

  it('counts declines by reason, in the company\'s currency', async () => {
    const response = await bookkeeper.get('/api/v1/analytics/declines?from=2026-11-01&to=2026-11-30');
    expect(byKey(response)).toEqual({ insufficient_funds: { amount: '5000.00', count: 1 } });
    expect(items(await bookkeeper.get(`/api/v1/analytics/declines?from=2026-11-01&to=2026-11-30&teamId=${opsId}`))).toEqual([]);
  });

  it('counts expenses missing their receipt by person', async () => {
    const response = await bookkeeper.get('/api/v1/analytics/missing-receipts?from=2026-01-01&to=2026-12-31');
    expect(byKey(response)).toEqual({
      [emma.id]: { amount: euros(november), count: 3 },
      [olaf.id]: { amount: euros(cents('300.00') + cents(conferenceEur)), count: 2 },
    });
  });
});

describe('CSV downloads', () => {
  it('gives each series as text/csv with a header row, a formula-like merchant made harmless', async () => {
    const response = await bookkeeper.get('/api/v1/analytics/spend?by=merchant&from=2026-11-01&to=2026-11-30&format=csv');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^text\/csv/);
    expect(String(response.headers['content-disposition'])).toContain('spend-by-merchant.csv');
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('key,name,amount,currency,count');
    expect(lines).toContain('Paper Shop,Paper Shop,12.00,EUR,1');
    expect(lines).toContain('\'=cmd(),\'=cmd(),1.00,EUR,1');
  });

  it('downloads the comparison, the declines and the currencies', async () => {
    const comparison = await bookkeeper.get('/api/v1/analytics/comparison?month=2026-11&format=csv');
    expect(comparison.text.split('\r\n').slice(0, 2)).toEqual(['period,month,amount,currency,count', `thisMonth,2026-11,${euros(november + cents(conferenceEur))},EUR,4`]);
    const declines = await bookkeeper.get('/api/v1/analytics/declines?from=2026-11-01&to=2026-11-30&format=csv');
    expect(declines.text).toBe('key,name,amount,currency,count\r\ninsufficient_funds,,5000.00,EUR,1\r\n');
    const currencies = await bookkeeper.get('/api/v1/analytics/spend?by=currency&from=2026-11-01&to=2026-11-30&format=csv');
    expect(currencies.text.split('\r\n')[0]).toBe('key,name,amount,currency,count,original_amount,original_currency');
    expect(currencies.text).toContain(`USD,,${conferenceEur},EUR,1,100.00,USD`);
  });
});

describe('access and bad filters', () => {
  it('is for admins and bookkeepers, and for API keys with analytics:read', async () => {
    expect((await tenant.client.get('/api/v1/analytics/spend')).status).toBe(200);
    for (const client of [emma.client, reviewer]) {
      const refused = await client.get('/api/v1/analytics/spend');
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'forbidden' });
    }
    const withScope = await createApiKey(tenant.client, 'overview', ['analytics:read']);
    expect((await withScope.client.get('/api/v1/analytics/declines')).status).toBe(200);
    const without = await createApiKey(tenant.client, 'books only', ['expenses:read']);
    expect((await without.client.get('/api/v1/analytics/missing-receipts')).body.code).toBe('forbidden');
  });

  it.each([
    ['/api/v1/analytics/spend?from=2026-02-30', 'from'],
    ['/api/v1/analytics/spend?from=2026-12-01&to=2026-11-01', 'from'],
    ['/api/v1/analytics/spend?from=2019-01-01&to=2026-11-01', 'from'],
    ['/api/v1/analytics/spend?by=weekday', 'by'],
    ['/api/v1/analytics/spend?limit=0', 'limit'],
    ['/api/v1/analytics/missing-receipts?limit=1001', 'limit'],
    ['/api/v1/analytics/comparison?month=2026-13', 'month'],
    ['/api/v1/analytics/declines?categoryId=x', 'categoryId'],
    ['/api/v1/analytics/spend?to=soon&format=csv', 'to'],
  ])('answers %s with a problem naming %s', async (url, field) => {
    const response = await bookkeeper.get(url);
    expect(response.status, response.text).toBe(400);
    expect(response.contentType).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'validation_failed', field });
  });
});
