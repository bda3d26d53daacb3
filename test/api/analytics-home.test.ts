// The admin's home figures over the API, at a set clock: the wallet's balance, the spend of the
// last 30 and 90 days (the company's calendar days, today included) with the daily average and
// the runway it leaves, this month's spend, the expenses in review and missing a receipt, and
// the low-balance state, which follows the available balance at once. Drafts and rejected
// expenses do not count. Who may read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, type ApiResponse, type SessionClient, type Tenant, createTenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const now = new Date('2026-11-25T12:00:00Z');
let server: RunningServer;
let tenant: Tenant;
let bookkeeper: SessionClient;
let emma: { id: string; client: SessionClient };
const submitted: ApiResponse[] = [];

async function spend(spentOn: string, amount: string, submit = true): Promise<void> {
  const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn, merchant: `Shop ${spentOn}`, amount, categoryId: travelId });
  expect(filed.status, filed.text).toBe(201);
  if (!submit) return;
  const done = await emma.client.post(`/api/v1/expenses/${filed.body.id}/submit`);
  expect(done.status, done.text).toBe(200);
  submitted.push(done);
}

let travelId: string;

beforeAll(async () => {
  server = await startTestServer({ clock: { now: () => now } });
  tenant = await createTenant(server, { name: 'Runway ApS', adminEmail: 'ada@runway.test' });
  bookkeeper = (await addPerson(tenant.client, { email: 'bo@runway.test', name: 'Bo Books', roles: ['bookkeeper'] })).client;
  emma = await addPerson(tenant.client, { email: 'emma@runway.test', name: 'Emma Spend', roles: ['employee'] });
  travelId = (await bookkeeper.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id;
  await fundWallet(server, tenant.company.id, { amount: '1000.00', bankReference: 'RW-1' });
  await spend('2026-11-25', '45.00'); // today: both windows, this month
  await spend('2026-11-01', '15.00'); // the month's first day
  await spend('2026-10-27', '30.00'); // the 30-day window's first day
  await spend('2026-10-26', '7.00'); // one day before it: 90 days only
  await spend('2026-08-28', '83.00'); // the 90-day window's first day
  await spend('2026-08-27', '500.00'); // outside both
  await spend('2026-11-20', '999.00', false); // a draft counts nowhere
});

afterAll(async () => {
  await server?.close();
});

describe('the admin\'s home figures', () => {
  it('sums the windows and this month exactly and gives the runway at each burn rate', async () => {
    const home = await bookkeeper.get('/api/v1/analytics/home');
    expect(home.status, home.text).toBe(200);
    expect(home.body).toMatchObject({ currency: 'EUR', today: '2026-11-25', balance: { amount: '1000.00', currency: 'EUR' }, available: { amount: '1000.00' } });
    // 90.00 in 30 days: 3.00 a day; 1000.00 / 3.00 = 333.3 days. 180.00 in 90 days: 2.00 a day, 500 days.
    expect(home.body.burn).toEqual([
      { windowDays: 30, spent: { amount: '90.00', currency: 'EUR' }, dailyAverage: { amount: '3.00', currency: 'EUR' }, runwayDays: 333 },
      { windowDays: 90, spent: { amount: '180.00', currency: 'EUR' }, dailyAverage: { amount: '2.00', currency: 'EUR' }, runwayDays: 500 },
    ]);
    expect(home.body.spentThisMonth).toEqual({ amount: { amount: '60.00', currency: 'EUR' }, count: 2 });
  });

  it('counts the expenses in review and those missing a receipt, and drops one once decided', async () => {
    const inReview = submitted.filter((expense) => expense.body.state === 'in_review');
    const missing = submitted.filter((expense) => (expense.body.flags as string[]).includes('missing_receipt'));
    expect(inReview.length).toBeGreaterThan(0);
    expect(missing.length).toBeGreaterThan(0);
    const before = (await tenant.client.get('/api/v1/analytics/home')).body;
    expect({ pendingReviews: before.pendingReviews, missingReceipts: before.missingReceipts }).toEqual({ pendingReviews: inReview.length, missingReceipts: missing.length });

    const rejected = await tenant.client.post(`/api/v1/expenses/${inReview[0]!.body.id}/reject`, { comment: 'not ours' });
    expect(rejected.status, rejected.text).toBe(200);
    const after = (await tenant.client.get('/api/v1/analytics/home')).body;
    expect(after.pendingReviews).toBe(inReview.length - 1);
    expect(after.missingReceipts).toBe(missing.length - (missing.includes(inReview[0]!) ? 1 : 0));
  });

  it('is low exactly when the available balance is under the alert', async () => {
    expect((await tenant.client.get('/api/v1/analytics/home')).body.lowBalance).toEqual({ below: null, alertedAt: null, isLow: false });
    expect((await tenant.client.request('PUT', '/api/v1/wallet/low-balance-alert', { lowBalanceBelow: '1000.00' })).status).toBe(200);
    expect((await tenant.client.get('/api/v1/analytics/home')).body.lowBalance).toMatchObject({ below: { amount: '1000.00' }, isLow: false });
    expect((await tenant.client.request('PUT', '/api/v1/wallet/low-balance-alert', { lowBalanceBelow: '1000.01' })).status).toBe(200);
    expect((await tenant.client.get('/api/v1/analytics/home')).body.lowBalance).toMatchObject({ below: { amount: '1000.01' }, isLow: true });
  });

  it('is for admins and bookkeepers only', async () => {
    const refused = await emma.client.get('/api/v1/analytics/home');
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'forbidden' });
  });
});
