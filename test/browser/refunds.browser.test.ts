// A refund tied to its purchase, in a real browser, on a desktop and on a phone: on the
// simulator's page the admin refunds a cleared purchase in full; pressing Refund again is
// refused in plain words, and the purchase keeps one refund only (checked over the API too);
// the purchase's expense, on its own page, says it was refunded in full. The company, its
// wallet, Emma's card and the cleared purchase are set up over the API; the sweep that brings
// expenses in step with their purchases is run by hand, as the server's timer would.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { syncCardExpenses } from '../../src/expenses/expense-sync.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, phone } from './browser.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

// The app formats money and dates in the browser's locale; the contexts pin it.
const locale = 'en-US';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 180_000;
const today = new Date().toISOString().slice(0, 10);
const encryptionKey = randomBytes(32);
const purchaseAmount = '74.90';

const viewports: [string, BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['phone', phone],
];
const employee = { name: 'Emma Refund', email: 'emma@refunds-browser.test' };
const adminEmail = 'admin@refunds-browser.test';

interface RefundJson {
  transactionId: string;
  amount: { amount: string };
}
interface TransactionJson {
  id: string;
  kind: string;
  merchant: { name: string };
  refundOf?: string | null;
  refunds: RefundJson[];
}

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;
let emma: { id: string; client: SessionClient };
let cardId: string;

async function signedIn(options: BrowserContextOptions, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: server.url, locale });
  const page = await context.newPage();
  await logIn(page, email, password);
  return page;
}

/** A purchase on Emma's card, authorized and cleared at its amount through the simulator's API. */
async function clearedPurchase(merchantName: string): Promise<string> {
  const approved = await tenant.client.post('/api/v1/simulator/purchases', {
    cardId,
    amount: purchaseAmount,
    currency: 'EUR',
    merchant: { name: merchantName, mcc: '5941', country: 'DK' },
    channel: 'in_person',
  });
  expect(approved.body.approved, approved.text).toBe(true);
  const transactionId = approved.body.transactionId as string;
  const cleared = await tenant.client.post('/api/v1/simulator/events', { transactionId, type: 'clearing', amount: purchaseAmount });
  expect(cleared.body.state, cleared.text).toBe('settled');
  return transactionId;
}

/** The company's card transactions of one merchant, as the API lists them. */
async function transactionsOf(merchantName: string): Promise<TransactionJson[]> {
  const response = await tenant.client.get('/api/v1/card-transactions?limit=100');
  expect(response.status, response.text).toBe(200);
  return (response.body.items as TransactionJson[]).filter((item) => item.merchant.name === merchantName);
}

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer({ config: { encryptionKey } });
  tenant = await createTenant(server, { name: 'Refunds Browser Co', adminEmail, adminName: 'Ada Admin' });
  await fundWallet(server, tenant.company.id, { amount: '1000.00', currency: 'EUR', bankReference: 'R-refunds-browser', receivedOn: today });
  emma = await addPerson(tenant.client, { email: employee.email, name: employee.name, roles: ['employee'] });
  const system = { actorType: 'system' as const, actorId: null };
  cardId = (await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: emma.id, kind: 'virtual' }, system, new Date())).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(viewports)('a refund on a %s', (viewportName, options) => {
  const merchantName = `Sportshop ${viewportName}`;
  let purchaseId = '';

  beforeAll(async () => {
    purchaseId = await clearedPurchase(merchantName);
  });

  it('refunds a purchase in full once, refuses a second refund in plain words, and the expense shows the refund', async () => {
    const page = await signedIn(options, adminEmail, testPassword);
    await openSection(page, 'Simulator');
    const events = page.getByRole('region', { name: 'Network events' });
    const purchaseRow = events.getByRole('row').filter({ hasText: merchantName }).filter({ has: page.getByRole('button', { name: 'Refund', exact: true }) });
    await purchaseRow.getByRole('button', { name: 'Refund', exact: true }).click();
    // The refund comes back as money in (+) on a row of its own.
    await events.getByRole('row').filter({ hasText: merchantName }).filter({ hasText: `+€${purchaseAmount}` }).waitFor();

    // Nothing is left to refund: the server refuses, and the page says so as a sentence.
    await purchaseRow.getByRole('button', { name: 'Refund', exact: true }).click();
    const refusal = purchaseRow.getByRole('alert');
    await refusal.waitFor();
    const text = await refusal.innerText();
    expect(text).toMatch(/^Not done: /);
    expect(text).toContain('more than the purchase has left to refund');
    expect(text).not.toMatch(/[{}]|refund_exceeds_purchase|problem\+json|HTTP \d/);
    expect(await events.getByRole('row').filter({ hasText: merchantName }).filter({ hasText: `+€${purchaseAmount}` }).count()).toBe(1);

    // The API agrees: one refund of the whole purchase, tied to it, and nothing else refunded.
    const transactions = await transactionsOf(merchantName);
    const refunds = transactions.filter((item) => item.kind === 'refund');
    expect(refunds).toHaveLength(1);
    const purchase = (await tenant.client.get(`/api/v1/card-transactions/${purchaseId}`)).body as TransactionJson;
    expect(purchase.refunds.map((refund) => [refund.transactionId, refund.amount.amount])).toEqual([[refunds[0]!.id, purchaseAmount]]);
    expect((await verifyLedger(server.database.db, tenant.company.id)).violations).toEqual([]);

    // The purchase's expense follows its refund: nothing left to claim, and the refund listed.
    await syncCardExpenses(server.database.db, new Date());
    const expenses = (await emma.client.get('/api/v1/expenses?kind=card&limit=100')).body.items as { id: string; cardTransactionId: string | null }[];
    const expenseId = expenses.find((item) => item.cardTransactionId === purchaseId)?.id;
    expect(expenseId, 'the purchase has an expense').toBeDefined();
    expect((await emma.client.get(`/api/v1/expenses/${expenseId}`)).body).toMatchObject({ amount: { amount: '0.00', currency: 'EUR' }, refunds: [{ amount: { amount: purchaseAmount } }], merchantCredits: [] });
    await page.context().close();

    const emmaPage = await signedIn(options, employee.email, testPassword);
    await openSection(emmaPage, 'Expenses');
    await emmaPage.getByRole('link', { name: merchantName }).click();
    await emmaPage.waitForURL(new RegExp(`/expenses/${expenseId}$`));
    await emmaPage.getByRole('heading', { name: 'Refunded in full' }).waitFor();
    const refundRows = emmaPage.getByRole('table', { name: 'Refunds' }).getByRole('row').filter({ hasText: `−€${purchaseAmount}` });
    await refundRows.first().waitFor();
    expect(await refundRows.count()).toBe(1);
    expect(await emmaPage.getByRole('note', { name: 'Merchant credits' }).count()).toBe(0);
    await emmaPage.context().close();
  }, testTimeoutMs);
});
