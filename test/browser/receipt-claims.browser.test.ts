// A receipt that disagrees with its claim, in a real browser, walked once on a computer
// (1280×800) and once on a phone (390×844). The employee files a taxi ride out of pocket from
// a receipt she sent before: its reading fills in the form (amount, merchant, date, VAT); she
// types what she says it cost, 15.00, while the receipt says 1.00. Outlay asks her why the
// receipt belongs to it, keeps her note, flags the expense and, submitted, sends it to review
// instead of approving it at once. Her receipts list says the receipt belongs to that expense
// (no "Attach"), and the reviewer sees the flag, where the receipt disagrees and her note.
// The receipt is a shop's e-mailed text, read in a moment without OCR; the books are set up
// over the API. Then a card purchase: a receipt read as EUR 27.56 is sent for a 23.50 EUR
// purchase; the receipt (in her receipts) and the expense (on its page) both say they
// disagree, and the expense, submitted, goes to review.
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { syncCardExpenses } from '../../src/expenses/expense-sync.js';
import { addReceiptForPerson } from '../../src/receipts/receipt-intake.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { waitUntilRead } from '../../src/test-support/receipts.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, phone } from './browser.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

// The app formats money and dates in the browser's locale; the contexts pin it.
const locale = 'en-US';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 120_000;
const today = new Date().toISOString().slice(0, 10);
const encryptionKey = randomBytes(32);

const employee = { name: 'Emma Claim', email: 'emma@claims-browser.test' };
const reviewer = { name: 'Rita Review', email: 'rita@claims-browser.test' };
const reason = 'The receipt says EUR 1.00, the expense was EUR 15.00.';
const note = 'The driver wrote 1.00 by mistake; the ride cost 15.00';

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;
let emma: { id: string; client: SessionClient };

/** Each viewport has a taxi company of its own, so its receipt and expense are its own. */
const viewports: [name: string, options: BrowserContextOptions, merchant: string][] = [
  ['desktop', { viewport: { width: 1280, height: 800 } }, 'Taxa 4x35'],
  ['phone', phone, 'Dantaxi 4x48'],
];

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer({ config: { encryptionKey } });
  tenant = await createTenant(server, { name: 'Claims Browser Co', adminEmail: 'admin@claims-browser.test', adminName: 'Ada Admin' });
  emma = await addPerson(tenant.client, { email: employee.email, name: employee.name, roles: ['employee'] });
  await addPerson(tenant.client, { email: reviewer.email, name: reviewer.name, roles: ['reviewer'] });
  const books = (await addPerson(tenant.client, { email: 'bo@claims-browser.test', name: 'Bo Books', roles: ['bookkeeper'] })).client;
  expect((await books.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).status).toBe(201);
  expect((await books.post('/api/v1/tax-codes', { code: 'VAT25', name: 'VAT 25 %', rate: '25', vatAccountCode: '2640' })).status).toBe(201);

  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(viewports)('a receipt that disagrees with its expense, in the web app on a %s', (_viewportName, options, merchant) => {
  let receiptId = '';
  /** Set by the first test, followed by the others. */
  let expenseId = '';

  function newContext(): Promise<BrowserContext> {
    return browser.newContext({ ...options, baseURL: server.url, locale });
  }

  beforeAll(async () => {
    const deps = { db: server.database.db, blobs: server.blobs, jobs: server.jobs, fileBytesMax: testConfig().receipts.fileBytesMax };
    const text = `${merchant}\nDate: ${today}\nRide to airport     1.00\nVAT 25%             0.20\nTotal EUR           1.00\n`;
    const receipt = await addReceiptForPerson(deps, { companyId: tenant.company.id, userId: emma.id, transactionId: null, fileName: null, content: { kind: 'text', text } }, new Date());
    receiptId = receipt.id;
    const read = await waitUntilRead(emma.client, receiptId);
    expect(read.body.fields).toMatchObject({ merchant, total: '1.00', date: today });
  });

  it('fills the form from the receipt, asks why it belongs to an expense it disagrees with, flags it and sends it to review', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, employee.email, testPassword);
    await openSection(page, 'Expenses');
    await page.getByRole('navigation', { name: 'Add an expense' }).getByRole('link', { name: 'Out of pocket' }).click();

    const form = page.getByRole('form', { name: 'Paid out of pocket' });
    await form.getByLabel('Or pick one you sent before').selectOption(receiptId);
    await form.getByRole('status').getByText('Filled in from the receipt: amount, currency, merchant, date, tax code.', { exact: false }).waitFor();
    expect(await form.getByLabel('Amount (EUR)').inputValue()).toBe('1.00');
    expect(await form.getByLabel('Merchant').inputValue()).toBe(merchant);
    expect(await form.getByLabel('Date').inputValue()).toBe(today);
    expect(await form.getByLabel('Tax code').locator('option:checked').innerText()).toBe('VAT 25 % (VAT25)');

    await form.getByLabel('Amount (EUR)').fill('15.00');
    await form.getByLabel('Category').selectOption({ label: 'Travel (6110)' });
    await form.getByRole('button', { name: 'Add expense' }).click();
    // Refused until she says why: the reason is given beside the note it asks for.
    const noteField = form.getByLabel('Why this receipt belongs here');
    await form.getByText('the receipt says EUR 1.00, the expense was EUR 15.00', { exact: false }).waitFor();
    expect(page.url()).toMatch(/\/expenses\/new\/out-of-pocket$/);
    await noteField.fill(note);
    await form.getByRole('button', { name: 'Add expense' }).click();

    await page.waitForURL(/\/expenses\/[^/]+$/);
    expenseId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { name: merchant }).waitFor();
    await page.getByRole('list', { name: 'Flags' }).getByText('Receipt disagrees').waitFor();
    const disagreement = page.getByRole('region', { name: 'Receipt' }).getByRole('note', { name: 'Receipt disagrees' });
    await disagreement.getByText(reason).waitFor();
    await disagreement.getByText(`“${note}”`).waitFor();

    await page.getByRole('form', { name: 'Expense details' }).getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('status').getByText('Submitted: it waits for a reviewer (receipt disagrees).').waitFor();
    await page.getByRole('region', { name: merchant }).getByText('In review', { exact: true }).waitFor();
    expect((await emma.client.get(`/api/v1/expenses/${expenseId}`)).body).toMatchObject({ state: 'in_review', flags: ['receipt_mismatch'], reimbursement: { state: 'none' } });
    await context.close();
  }, testTimeoutMs);

  it('shows the receipt as the expense\'s in the employee\'s list, with nothing to attach', async () => {
    expect(expenseId, 'the first test filed the expense').not.toBe('');
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, employee.email, testPassword);
    await openSection(page, 'Receipts');
    const item = page.getByRole('article', { name: `Receipt ${merchant}` });
    await item.getByText('to an out-of-pocket expense', { exact: false }).waitFor();
    await item.getByRole('note', { name: 'Receipt disagrees' }).getByText(reason).waitFor();
    expect(await item.getByText('Waiting for its purchase', { exact: false }).count()).toBe(0);
    expect(await item.getByRole('button', { name: 'Attach', exact: true }).count()).toBe(0);
    expect(await item.getByRole('combobox', { name: 'Attach to a purchase' }).count()).toBe(0);
    await item.getByRole('link', { name: 'Open the expense' }).click();
    await page.waitForURL(new RegExp(`/expenses/${expenseId}$`));
    await context.close();
  }, testTimeoutMs);

  it('shows the reviewer the flag, where the receipt disagrees and the employee\'s note', async () => {
    expect(expenseId, 'the first test filed the expense').not.toBe('');
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, reviewer.email, testPassword);
    await openSection(page, 'Review');
    const item = page.getByRole('article', { name: `${merchant} of ${employee.name}` });
    await item.getByText('Receipt disagrees', { exact: true }).first().waitFor();
    const disagreement = item.getByRole('note', { name: 'Receipt disagrees' });
    await disagreement.getByText(reason).waitFor();
    await disagreement.getByText(`“${note}”`).waitFor();
    await context.close();
  }, testTimeoutMs);
});

describe.each(viewports)('a receipt that disagrees with its card purchase, in the web app on a %s', (viewportName, options) => {
  const shop = viewportName === 'phone' ? 'Restoran Selera' : 'Kedai Sentral';
  let expenseId = '';

  beforeAll(async () => {
    const system = { actorType: 'system' as const, actorId: null };
    await fundWallet(server, tenant.company.id, { amount: '500.00', currency: 'EUR', bankReference: `R-claims-${viewportName}`, receivedOn: today });
    const cardId = (await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: emma.id, kind: 'virtual' }, system, new Date())).id;
    const approved = await tenant.client.post('/api/v1/simulator/purchases', { cardId, amount: '23.50', currency: 'EUR', merchant: { name: shop, mcc: '5812', country: 'DK' }, channel: 'in_person' });
    expect(approved.body.approved, approved.text).toBe(true);
    const transactionId = approved.body.transactionId as string;
    expect((await tenant.client.post('/api/v1/simulator/events', { transactionId, type: 'clearing', amount: '23.50' })).body.state).toBe('settled');

    const deps = { db: server.database.db, blobs: server.blobs, jobs: server.jobs, fileBytesMax: testConfig().receipts.fileBytesMax };
    const text = `${shop}\nDate: ${today}\nNasi lemak          27.56\nTotal EUR           27.56\n`;
    const receipt = await addReceiptForPerson(deps, { companyId: tenant.company.id, userId: emma.id, transactionId, fileName: null, content: { kind: 'text', text } }, new Date());
    expect((await waitUntilRead(emma.client, receipt.id)).body.fields).toMatchObject({ total: '27.56', currency: 'EUR' });
    await syncCardExpenses(server.database.db, new Date());
    const expenses = (await emma.client.get('/api/v1/expenses?kind=card&limit=100')).body.items as { id: string; cardTransactionId: string | null }[];
    expenseId = expenses.find((item) => item.cardTransactionId === transactionId)?.id ?? '';
    expect(expenseId, 'the purchase has an expense').not.toBe('');
  });

  it('says on the receipt and on the expense that they disagree, and sends the expense to review', async () => {
    const context = await browser.newContext({ ...options, baseURL: server.url, locale });
    const page = await context.newPage();
    await logIn(page, employee.email, testPassword);
    await openSection(page, 'Receipts');
    const item = page.getByRole('article', { name: `Receipt ${shop}` });
    await item.getByRole('note', { name: 'Receipt disagrees' }).getByText('27.56', { exact: false }).waitFor();

    await openSection(page, 'Expenses');
    await page.getByRole('link', { name: shop }).click();
    await page.waitForURL(new RegExp(`/expenses/${expenseId}$`));
    await page.getByRole('list', { name: 'Flags' }).getByText('Receipt disagrees').waitFor();
    await page.getByRole('region', { name: 'Receipt' }).getByRole('note', { name: 'Receipt disagrees' }).getByText('27.56', { exact: false }).waitFor();
    await page.getByRole('form', { name: 'Expense details' }).getByLabel('Category').selectOption({ label: 'Travel (6110)' });
    await page.getByRole('form', { name: 'Expense details' }).getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('status').getByText('Submitted: it waits for a reviewer (receipt disagrees).').waitFor();
    const submitted = (await emma.client.get(`/api/v1/expenses/${expenseId}`)).body as { state: string; flags: string[] };
    expect(submitted.state).toBe('in_review');
    expect(submitted.flags).toContain('receipt_mismatch');
    await context.close();
  }, testTimeoutMs);
});
