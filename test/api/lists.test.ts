// Company-wide lists: an admin or bookkeeper finds expenses and card transactions of the
// whole company by person, team, state, category, dates (the company's), amount, missing
// receipt and flags, searches them, sorts them, pages them with a total and downloads them as
// CSV; an employee keeps seeing their own only; another company sees none of them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { eventually } from '../../src/test-support/eventually.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };

let server: RunningServer;
let network: NetworkClient;
let tenant: Tenant;
let other: Tenant;
let books: SessionClient;
let emma: { id: string; client: SessionClient };
let frank: { id: string; client: SessionClient };
let salesId: string;
let travelId: string;
let emmaCard: { id: string; last4: string };

interface Item {
  id: string;
  spentOn: string;
  merchant: string | null;
  amount: { amount: string };
  person: { id: string; name: string };
  team: { id: string; name: string } | null;
  categories: { id: string; name: string }[];
}

async function file(client: SessionClient, spentOn: string, merchant: string, amount: string, extra: Record<string, unknown> = {}): Promise<string> {
  const filed = await client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn, merchant, amount, ...extra });
  expect(filed.status, filed.text).toBe(201);
  return filed.body.id as string;
}

async function buy(amount: string, merchant: string, occurredAt: string): Promise<string> {
  const response = await network.authorize({ id: networkId('auth'), cardId: emmaCard.id, amount, currency: 'EUR', merchant: { name: merchant, mcc: '5814', country: 'DK' }, channel: 'in_person', occurredAt });
  expect(response.body.approved, JSON.stringify(response.body)).toBe(true);
  return response.body.transactionId as string;
}

const merchantsOf = (items: Item[]) => items.map((item) => item.merchant);

/** Every page of the list, following nextCursor; the totals every page gave. */
async function allPages(client: SessionClient, query: string): Promise<{ items: Item[]; totals: number[] }> {
  const items: Item[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/expenses?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await client.get(url);
    expect(page.status, page.text).toBe(200);
    items.push(...(page.body.items as Item[]));
    totals.push(page.body.total as number);
    cursor = page.body.nextCursor as string | null;
  } while (cursor);
  return { items, totals };
}

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Lists Co', adminEmail: 'admin@lists.test' });
  other = await createTenant(server, { name: 'Other Co', adminEmail: 'admin@other-lists.test' });
  expect((await tenant.client.patch('/api/v1/company', { timeZone: 'Europe/Copenhagen' })).status).toBe(200);
  await fundWallet(server, tenant.company.id, { amount: '5000.00', currency: 'EUR', bankReference: 'L-1', receivedOn: '2026-01-02' });
  salesId = (await tenant.client.post('/api/v1/teams', { name: 'Sales' })).body.id;
  books = (await addPerson(tenant.client, { email: 'books@lists.test', name: 'Bo Books', roles: ['bookkeeper'] })).client;
  travelId = (await books.post('/api/v1/expense-categories', { accountCode: '7100', name: 'Travel' })).body.id;
  emma = await addPerson(tenant.client, { email: 'emma@lists.test', name: 'Emma Seller', roles: ['employee'], teamId: salesId });
  frank = await addPerson(tenant.client, { email: 'frank@lists.test', name: 'Frank Field', roles: ['employee'] });
  await file(emma.client, '2026-03-01', 'Taxa 4x35', '125.00', { categoryId: travelId });
  await file(emma.client, '2026-03-05', '=HYPERLINK("http://evil")', '9.90');
  await file(emma.client, '2026-02-10', 'Hotel Alpha', '480.00', { categoryId: travelId });
  await file(frank.client, '2026-03-03', 'Kiosk', '12.50');
  await file(frank.client, '2026-03-03', 'Bakery, "Nord"', '4.00');
  const card = await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: emma.id, kind: 'virtual' }, system, new Date());
  emmaCard = { id: card.id, last4: card.card.last4 };
  // Another company's person with the same merchant, which must never show.
  const stranger = await addPerson(other.client, { email: 'stranger@other-lists.test', name: 'Emma Stranger', roles: ['employee'] });
  await file(stranger.client, '2026-03-02', 'Taxa 4x35', '125.00');
});
afterAll(async () => {
  await server?.close();
});

describe('the expenses list', () => {
  it('gives an employee their own expenses only, newest spent first, even when asking for another person\'s', async () => {
    const own = await emma.client.get(`/api/v1/expenses?userId=${frank.id}`);
    expect(own.status, own.text).toBe(200);
    expect((own.body.items as Item[]).map((item) => [item.spentOn, item.person.name])).toEqual([
      ['2026-03-05', 'Emma Seller'],
      ['2026-03-01', 'Emma Seller'],
      ['2026-02-10', 'Emma Seller'],
    ]);
    expect(own.body.total).toBe(3);
  });

  it('gives a bookkeeper the whole company with names beside the ids, and never another company\'s', async () => {
    const all = await books.get('/api/v1/expenses');
    const items = all.body.items as Item[];
    expect(all.body.total).toBe(5);
    expect(items.map((item) => item.spentOn)).toEqual(['2026-03-05', '2026-03-03', '2026-03-03', '2026-03-01', '2026-02-10']);
    const taxi = items.find((item) => item.merchant === 'Taxa 4x35')!;
    expect({ person: taxi.person, team: taxi.team, categories: taxi.categories }).toEqual({ person: { id: emma.id, name: 'Emma Seller' }, team: { id: salesId, name: 'Sales' }, categories: [{ id: travelId, name: 'Travel' }] });
    const otherAdmin = await other.client.get(`/api/v1/expenses?userId=${emma.id}`);
    expect(otherAdmin.body).toMatchObject({ items: [], total: 0 });
  });

  it('filters by person, team, category, dates, amount, missing receipt, flags and text', async () => {
    const find = async (query: string) => merchantsOf((await books.get(`/api/v1/expenses?${query}`)).body.items as Item[]).sort();
    expect(await find(`userId=${frank.id}`)).toEqual(['Bakery, "Nord"', 'Kiosk']);
    expect(await find(`teamId=${salesId}&sort=merchant&order=asc`)).toEqual(['=HYPERLINK("http://evil")', 'Hotel Alpha', 'Taxa 4x35']);
    expect(await find(`categoryId=${travelId}`)).toEqual(['Hotel Alpha', 'Taxa 4x35']);
    expect(await find('from=2026-03-01&to=2026-03-03')).toEqual(['Bakery, "Nord"', 'Kiosk', 'Taxa 4x35']);
    expect(await find('amountMin=10.00&amountMax=125.00')).toEqual(['Kiosk', 'Taxa 4x35']);
    expect(await find('missingReceipt=true&amountMin=100')).toEqual(['Hotel Alpha', 'Taxa 4x35']);
    expect(await find('flagged=false')).toEqual([]);
    expect(await find('q=frank')).toEqual(['Bakery, "Nord"', 'Kiosk']);
    expect(await find('q=taxa')).toEqual(['Taxa 4x35']);
    expect(await find('q=%25')).toEqual([]);
  });

  it('sorts by amount or person with a stable tie breaker, and pages without a gap or a repeat', async () => {
    const byAmount = await allPages(books, 'sort=amount&order=asc');
    expect(byAmount.items.map((item) => item.amount.amount)).toEqual(['4.00', '9.90', '12.50', '125.00', '480.00']);
    expect(new Set(byAmount.totals)).toEqual(new Set([5]));
    const byPerson = await allPages(books, 'sort=person&order=desc');
    expect(byPerson.items.map((item) => item.person.name)).toEqual(['Frank Field', 'Frank Field', 'Emma Seller', 'Emma Seller', 'Emma Seller']);
    expect(new Set(byPerson.items.map((item) => item.id)).size).toBe(5);
  });

  it('refuses a cursor of another sort, a backwards range and an amount that is not a decimal', async () => {
    const first = await books.get('/api/v1/expenses?sort=amount&limit=1');
    const mixed = await books.get(`/api/v1/expenses?sort=merchant&limit=1&cursor=${first.body.nextCursor}`);
    expect({ status: mixed.status, field: mixed.body.field }).toEqual({ status: 400, field: 'cursor' });
    expect((await books.get('/api/v1/expenses?from=2026-03-05&to=2026-03-01')).body.field).toBe('from');
    expect((await books.get('/api/v1/expenses?amountMin=ten')).body.field).toBe('amountMin');
    expect((await books.get('/api/v1/expenses?sort=size')).status).toBe(400);
  });

  it('refuses a forged cursor, and dates outside the calendar the database keeps, as bad input', async () => {
    const forged = (key: string, value: string) => Buffer.from(JSON.stringify([key, 'desc', value, 'exp_01M94SQB0ZFQ4XKD8XY6XWMKPW'])).toString('base64url');
    const values: [string, string][] = [['amount', 'ten'], ['amount', '99999999999999999999'], ['spentOn', '2026-02-30'], ['spentOn', '0000-01-01']];
    for (const [sort, value] of values) {
      const answer = await books.get(`/api/v1/expenses?sort=${sort}&limit=1&cursor=${forged(sort, value)}`);
      expect({ value, status: answer.status, code: answer.body.code, field: answer.body.field }).toEqual({ value, status: 400, code: 'validation_failed', field: 'cursor' });
    }
    const transaction = (value: string) => Buffer.from(JSON.stringify(['occurredAt', 'desc', value, 'ctx_01M94SQB0ZFQ4XKD8XY6XWMKPW'])).toString('base64url');
    for (const value of ['yesterday', '2026-13-01 10:00:00+00', '2026-02-30 10:00:00.5+00']) {
      const answer = await books.get(`/api/v1/card-transactions?limit=1&cursor=${transaction(value)}`);
      expect({ value, status: answer.status, field: answer.body.field }).toEqual({ value, status: 400, field: 'cursor' });
    }
    for (const path of ['/api/v1/expenses?from=0000-01-01', '/api/v1/card-transactions?to=0000-12-31', '/api/v1/audit-events?from=0000-01-01']) {
      const answer = await tenant.client.get(path);
      expect({ path, status: answer.status, code: answer.body.code }).toEqual({ path, status: 400, code: 'validation_failed' });
    }
  });

  it('downloads the filtered list as CSV, amounts as decimals beside the currency, formulas made text', async () => {
    const csv = await books.get('/api/v1/expenses?format=csv&teamId=' + salesId);
    expect(csv.status, csv.text).toBe(200);
    expect(csv.contentType).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('expenses.csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('expense_id,spent_on,person,team,kind,state,merchant,note,categories,amount,currency,original_amount,original_currency,receipt,flags,submitted_on,decided_on');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`,2026-03-05,Emma Seller,Sales,out_of_pocket,draft,"'=HYPERLINK(""http://evil"")",,,9.90,EUR,`);
    expect(lines[2]).toContain(',Taxa 4x35,,Travel,125.00,EUR,');
    const own = await frank.client.get('/api/v1/expenses?format=csv');
    expect(own.text).toContain('"Bakery, ""Nord"""');
    expect(own.text.trimEnd().split('\r\n')).toHaveLength(3);
  });
});

describe('the card transactions list', () => {
  // Made after the expenses list's tests: each purchase becomes an expense as it is decided.
  beforeAll(async () => {
    // 23:30 UTC on 31 March is already 1 April in Copenhagen.
    await buy('23.50', 'CAFE NORD', '2026-03-31T22:30:00.000Z');
    await buy('61.00', 'Train DSB', '2026-03-30T10:00:00.000Z');
  });

  it('turns each purchase into the cardholder\'s expense as it is authorized, not at the next sweep', async () => {
    // The server's sweeps run once a minute; the expense follows the authorization itself.
    const items = await eventually('the purchases\' expenses', async () => {
      const listed = await books.get('/api/v1/expenses?kind=card');
      return listed.body.total === 2 ? (listed.body.items as Item[]) : undefined;
    });
    expect(items.map((item) => [item.spentOn, item.merchant, item.amount.amount, item.person.name])).toEqual([
      ['2026-04-01', 'CAFE NORD', '23.50', 'Emma Seller'],
      ['2026-03-30', 'Train DSB', '61.00', 'Emma Seller'],
    ]);
  });

  it('gives the admin every purchase with the cardholder, team and card, searched and dated in the company\'s time zone', async () => {
    const all = await tenant.client.get('/api/v1/card-transactions');
    expect(all.status, all.text).toBe(200);
    expect(all.body.total).toBe(2);
    expect(all.body.items[0]).toMatchObject({ merchant: { name: 'CAFE NORD' }, person: { id: emma.id, name: 'Emma Seller' }, team: { name: 'Sales' }, card: emmaCard });
    const april = await tenant.client.get('/api/v1/card-transactions?from=2026-04-01&to=2026-04-01');
    expect(april.body.items.map((item: { merchant: { name: string } }) => item.merchant.name)).toEqual(['CAFE NORD']);
    const searched = await tenant.client.get('/api/v1/card-transactions?q=train&amountMin=50');
    expect(searched.body).toMatchObject({ total: 1, items: [{ merchant: { name: 'Train DSB' } }] });
    const byAmount = await tenant.client.get('/api/v1/card-transactions?sort=amount&order=asc&limit=1');
    const next = await tenant.client.get(`/api/v1/card-transactions?sort=amount&order=asc&limit=1&cursor=${byAmount.body.nextCursor}`);
    expect([byAmount.body.items[0].walletAmount.amount, next.body.items[0].walletAmount.amount, next.body.nextCursor]).toEqual(['23.50', '61.00', null]);
    expect((await other.client.get(`/api/v1/card-transactions?userId=${emma.id}`)).body).toMatchObject({ items: [], total: 0 });
    expect((await frank.client.get(`/api/v1/card-transactions?userId=${emma.id}`)).body).toMatchObject({ items: [], total: 0 });
  });

  it('downloads them as CSV with the company\'s date and time', async () => {
    const csv = await tenant.client.get('/api/v1/card-transactions?format=csv&missingReceipt=true');
    expect(csv.contentType).toMatch(/^text\/csv/);
    const [header, ...rows] = csv.text.trimEnd().split('\r\n');
    expect(header).toBe('transaction_id,date,time,person,team,card_last4,kind,state,decline_reason,merchant,merchant_country,amount,currency,merchant_amount,merchant_currency,receipt');
    expect(rows.map((row) => row.split(',').slice(1, 3).concat(row.split(',').slice(9, 13)))).toEqual([
      ['2026-04-01', '00:30', 'CAFE NORD', 'DK', '23.50', 'EUR'],
      ['2026-03-30', '12:00', 'Train DSB', 'DK', '61.00', 'EUR'],
    ]);
  });
});

describe('the ledger in words', () => {
  it('gives each entry\'s kind and each posting\'s account a label beside its code', async () => {
    const entries = (await books.get('/api/v1/ledger/entries')).body.items as { kind: string; kindLabel: string; postings: { accountCode: string; accountName: string }[] }[];
    const topUp = entries.find((entry) => entry.kind === 'wallet_top_up')!;
    expect(topUp.kindLabel).toBe('Wallet top-up');
    expect(topUp.postings.map((posting) => [posting.accountCode, posting.accountName]).sort()).toEqual([['wallet', 'Wallet'], ['wallet_funding', 'Wallet funding (bank transfers in)']]);
  });
});
