// A voided expense stops asking for its receipt, in a real browser, on a desktop and on a
// phone: a card purchase without a receipt makes an expense flagged "Missing receipt", which
// the employee sees on it and in her receipts; the merchant reverses the purchase, the expense
// is voided, and neither its page, her expenses nor her receipts ask for the receipt any
// more. The company, its wallet, Emma's card and the purchase are set up over the API; the
// sweep that brings expenses in step with their purchases is run by hand, as the server's
// timer would.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { syncCardExpenses } from '../../src/expenses/expense-sync.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, phone } from './browser.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

// The app formats money and dates in the browser's locale; the contexts pin it.
const locale = 'en-US';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 180_000;
const today = new Date().toISOString().slice(0, 10);
const encryptionKey = randomBytes(32);

const viewports: [string, BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['phone', phone],
];
const employee = { name: 'Emma Void', email: 'emma@voided-browser.test' };

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;
let emma: { id: string; client: SessionClient };
let cardId: string;

async function signedIn(options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: server.url, locale });
  const page = await context.newPage();
  await logIn(page, employee.email, testPassword);
  return page;
}

/** The expense the sweep made of a card purchase, as its owner reads it over the API. */
async function expenseOf(transactionId: string): Promise<{ id: string; state: string; flags: string[] }> {
  await syncCardExpenses(server.database.db, new Date());
  const items = (await emma.client.get('/api/v1/expenses?kind=card&limit=100')).body.items as { id: string; cardTransactionId: string | null }[];
  const found = items.find((item) => item.cardTransactionId === transactionId);
  expect(found, 'the purchase has an expense').toBeDefined();
  return (await emma.client.get(`/api/v1/expenses/${found!.id}`)).body as { id: string; state: string; flags: string[] };
}

beforeAll(async () => {
  assertWebAppBuilt();
  // No receipt reading: nothing changes the pages but the test's own steps.
  server = await startTestServer({ config: { encryptionKey, receipts: { ...testConfig().receipts, readers: 0 } } });
  tenant = await createTenant(server, { name: 'Voided Browser Co', adminEmail: 'admin@voided-browser.test', adminName: 'Ada Admin' });
  await fundWallet(server, tenant.company.id, { amount: '1000.00', currency: 'EUR', bankReference: 'R-voided-browser', receivedOn: today });
  emma = await addPerson(tenant.client, { email: employee.email, name: employee.name, roles: ['employee'] });
  const system = { actorType: 'system' as const, actorId: null };
  cardId = (await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: emma.id, kind: 'virtual' }, system, new Date())).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(viewports)('a voided expense on a %s', (viewportName, options) => {
  const merchant = `Hotel Reversed ${viewportName}`;
  let transactionId = '';

  beforeAll(async () => {
    const approved = await tenant.client.post('/api/v1/simulator/purchases', { cardId, amount: '120.00', currency: 'EUR', merchant: { name: merchant, mcc: '7011', country: 'DK' }, channel: 'online' });
    expect(approved.body.approved, approved.text).toBe(true);
    transactionId = approved.body.transactionId as string;
    expect(await expenseOf(transactionId)).toMatchObject({ state: 'draft', flags: ['missing_receipt'] });
  });

  it('no longer says the receipt is missing once the purchase is reversed and the expense voided', async () => {
    const page = await signedIn(options);
    // Before: the expense and her receipts ask for the receipt.
    await openSection(page, 'Receipts');
    const missing = page.getByRole('region', { name: /^Missing receipts/ });
    await missing.getByText(merchant, { exact: true }).waitFor();
    await openSection(page, 'Expenses');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: merchant }) });
    await row.getByRole('list', { name: 'Flags' }).getByText('Missing receipt').waitFor();
    await row.getByRole('link', { name: merchant }).click();
    await page.waitForURL(/\/expenses\/[^/]+$/);
    const expenseUrl = new URL(page.url()).pathname;
    await page.getByRole('list', { name: 'Flags' }).getByText('Missing receipt').waitFor();

    // The merchant reverses the purchase: its expense is voided and wants no receipt.
    const reversed = await tenant.client.post('/api/v1/simulator/events', { transactionId, type: 'reversal' });
    expect(reversed.status, reversed.text).toBe(200);
    expect(await expenseOf(transactionId)).toMatchObject({ state: 'voided', flags: [] });
    const stillMissing = (await emma.client.get('/api/v1/receipts/missing')).body.items as { id: string }[];
    expect(stillMissing.map((item) => item.id)).not.toContain(transactionId);

    await page.goto(expenseUrl);
    await page.getByRole('heading', { name: merchant }).waitFor();
    await page.getByText('Voided', { exact: true }).first().waitFor();
    expect(await page.getByText('Missing receipt', { exact: true }).count()).toBe(0);

    await openSection(page, 'Expenses');
    const voidedRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: merchant }) });
    await voidedRow.getByText('Voided', { exact: true }).waitFor();
    expect(await voidedRow.getByText('Missing receipt', { exact: true }).count()).toBe(0);

    await openSection(page, 'Receipts');
    await page.getByRole('heading', { name: 'Receipts' }).first().waitFor();
    await page.getByText(/^Loading/).first().waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: `Snap receipt for ${merchant}` }).count()).toBe(0);
    expect(await page.getByRole('region', { name: /^Missing receipts/ }).getByText(merchant, { exact: true }).count()).toBe(0);
    await page.context().close();
  }, testTimeoutMs);
});
