// The web app in a Danish company (its locale da-DK), in a real browser whose language is
// Danish. On a phone and on a computer, an employee files an out-of-pocket expense typing "15,00" in a form labelled in Danish; it
// is accepted, the API keeps "15.00", and the expense shows "15,00 kr.". An amount that is no
// amount, and one left empty, are refused in plain Danish words, never with the API's
// internal wording. A receipt of an out-of-pocket expense names that expense and links to
// it, with nothing to attach. A person may pick English instead, kept in the browser, while
// amounts stay in the company's locale. The pages pass axe-core's WCAG 2.1 A and AA rules.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReceiptForPerson } from '../../src/receipts/receipt-intake.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { waitUntilRead } from '../../src/test-support/receipts.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn, openSection, phone } from './browser.js';

const locale = 'da-DK';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 120_000;
const today = new Date().toISOString().slice(0, 10);

const employee = { name: 'Ida Jensen', email: 'ida@locale-browser.test' };
const bakery = 'Bageriet Valby';

const viewports: [name: string, options: BrowserContextOptions][] = [
  ['phone', phone],
  ['desktop', { viewport: { width: 1280, height: 900 } }],
];

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;
let ida: { id: string; client: SessionClient };
/** The out-of-pocket expense the bakery's receipt belongs to. */
let bakeryExpenseId = '';

function danishContext(options: BrowserContextOptions): Promise<BrowserContext> {
  return browser.newContext({ ...options, baseURL: server.url, locale, timezoneId: 'Europe/Copenhagen' });
}

/** Logs in and opens the form for an out-of-pocket expense by its address. */
async function openOutOfPocketForm(page: Page) {
  await logIn(page, employee.email, testPassword);
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  await page.goto('/expenses/new/out-of-pocket');
  await page.getByRole('heading', { name: 'Udlæg', level: 1 }).waitFor();
  return page.getByRole('form', { name: 'Udlæg' });
}

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'Lokal ApS', currency: 'DKK', adminEmail: 'admin@locale-browser.test', adminName: 'Anne Admin' });
  // The company writes amounts the Danish way because it says so (its locale), not because
  // of the browser's language.
  const danish = await tenant.client.patch('/api/v1/company', { locale });
  expect(danish.status, danish.text).toBe(200);
  ida = await addPerson(tenant.client, { email: employee.email, name: employee.name, roles: ['employee'] });
  const books = (await addPerson(tenant.client, { email: 'bo@locale-browser.test', name: 'Bo Bogholder', roles: ['bookkeeper'] })).client;
  expect((await books.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Rejser' })).status).toBe(201);

  // A receipt read from a shop's e-mailed text, attached to an out-of-pocket expense over the API.
  const deps = { db: server.database.db, blobs: server.blobs, jobs: server.jobs, fileBytesMax: testConfig().receipts.fileBytesMax };
  const text = `${bakery}\nDate: ${today}\nRugbrød              42.00\nTotal DKK            42.00\n`;
  const receipt = await addReceiptForPerson(deps, { companyId: tenant.company.id, userId: ida.id, transactionId: null, fileName: null, content: { kind: 'text', text } }, new Date());
  expect((await waitUntilRead(ida.client, receipt.id)).body.fields).toMatchObject({ merchant: bakery, total: '42.00' });
  const filed = await ida.client.post<{ id: string }>('/api/v1/expenses', { kind: 'out_of_pocket', amount: '42.00', currency: 'DKK', spentOn: today, merchant: bakery, receiptId: receipt.id });
  expect(filed.status, filed.text).toBe(201);
  bakeryExpenseId = filed.body.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the web app in a Danish company', () => {
  it.each(viewports)('accepts "15,00" for an out-of-pocket expense and shows it as 15,00 kr., in Danish (%s)', async (viewport, options) => {
    const context = await danishContext(options);
    const page = await context.newPage();
    const form = await openOutOfPocketForm(page);
    const merchant = `Café Norden (${viewport})`;
    // Danish labels, the company's currency in the amount's label.
    await form.getByLabel('Beløb (DKK)').fill('15,00');
    await form.getByLabel('Forretning').fill(merchant);
    await form.getByLabel('Kategori').selectOption({ label: 'Rejser (6110)' });
    expect(await form.getByLabel('Dato').inputValue()).toBe(today);
    expect(await accessibilityViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Tilføj udgift' }).click();

    await page.waitForURL(/\/expenses\/[^/]+$/);
    const expenseId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { name: merchant, level: 1 }).waitFor();
    // Intl writes "15,00 kr." with a no-break space; the API keeps its decimal string.
    await page.locator('.expense-amount').getByText(/^15,00\s+kr\.$/).waitFor();
    await page.getByText('Kladde', { exact: true }).first().waitFor();
    expect(await page.getByRole('form', { name: 'Udgiftens detaljer' }).getByLabel('Beløb (DKK)').inputValue()).toBe('15,00');
    expect((await ida.client.get(`/api/v1/expenses/${expenseId}`)).body).toMatchObject({ amount: { amount: '15.00', currency: 'DKK' }, merchant });
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  }, testTimeoutMs);

  it('refuses an amount it cannot read, and an empty one, in plain Danish words', async () => {
    const context = await danishContext(phone);
    const page = await context.newPage();
    const form = await openOutOfPocketForm(page);
    const amount = form.getByLabel('Beløb (DKK)');
    await amount.fill('15,0x');
    await form.getByLabel('Forretning').fill('Kiosken');
    await form.locator('.field-error').getByText('Det er ikke et beløb. Skriv det som 15,00.', { exact: true }).waitFor();
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Empty, the API refuses it ("" is not a decimal amount): the person reads what to type.
    await amount.fill('');
    await form.getByRole('button', { name: 'Tilføj udgift' }).click();
    await form.locator('.field-error').getByText('Skriv et beløb, for eksempel 15,00.', { exact: true }).waitFor();
    expect(await page.getByText('decimal amount', { exact: false }).count()).toBe(0);
    expect(page.url()).toMatch(/\/expenses\/new\/out-of-pocket$/);
    await context.close();
  }, testTimeoutMs);

  it('shows an out-of-pocket expense\'s receipt as that expense\'s, with a link to it and nothing to attach', async () => {
    const context = await danishContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await logIn(page, employee.email, testPassword);
    // The navigation is not translated yet: its sections keep their English names.
    await openSection(page, 'Receipts');
    const item = page.getByRole('article', { name: `Kvittering ${bakery}` });
    // It names the expense: its merchant and amount, written the Danish way.
    await item.getByText(new RegExp(`til et udlæg: ${bakery} · 42,00\\s+kr\\.`)).waitFor();
    expect(await item.getByText('Venter på sit køb', { exact: false }).count()).toBe(0);
    expect(await item.getByRole('button', { name: 'Vedhæft', exact: true }).count()).toBe(0);
    expect(await item.getByRole('combobox', { name: 'Vedhæft til et køb' }).count()).toBe(0);
    await item.getByRole('link', { name: 'Åbn udlægget' }).click();
    await page.waitForURL(new RegExp(`/expenses/${bakeryExpenseId}$`));
    await page.getByRole('heading', { name: bakery, level: 1 }).waitFor();
    await context.close();
  }, testTimeoutMs);

  it('lets a person read the app in English, kept across a reload, with amounts still written the Danish way', async () => {
    const context = await danishContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await openOutOfPocketForm(page);
    await page.getByLabel('Sprog').selectOption({ label: 'English' });
    await page.getByRole('heading', { name: 'Paid out of pocket', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Paid out of pocket' });
    await form.getByLabel('Amount (DKK)').fill('1.234,5');
    await form.getByLabel('Amount (DKK)').blur();
    expect(await form.locator('.field-error').count()).toBe(0);

    await page.reload();
    await page.getByRole('heading', { name: 'Paid out of pocket', level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.goto(`/expenses/${bakeryExpenseId}`);
    await page.locator('.expense-amount').getByText(/^42,00\s+kr\.$/).waitFor();
    await page.getByText('Draft', { exact: true }).first().waitFor();

    // Back to the company's language.
    await page.getByLabel('Language').selectOption({ label: 'The company’s (Dansk)' });
    await page.getByText('Kladde', { exact: true }).first().waitFor();
    await context.close();
  }, testTimeoutMs);
});
