// Expenses end to end in a real browser, from the employee's phone to the bank and the books:
// the employee files an out-of-pocket hotel bill with its PDF receipt, splits it between two
// accounts (the page shows what is left to split and the VAT the server works out per line)
// and submits it; above the review threshold, it waits in the reviewer's queue, where a
// request for changes without a comment is refused beside the box and an approval takes it
// out. The admin sees what is owed, creates the payout batch, downloads its pain.001 file
// (valid against the ISO 20022 schema, with the amount and the employee's IBAN) and marks it
// paid. The bookkeeper exports the day as an hledger journal and downloads it; a CSV of the
// same day then finds nothing new.
// The books (accounts, tax code, threshold, bank accounts) are set up over the API.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptPdf } from '../../src/demo/receipt-pictures.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, phone } from './browser.js';
import { fixturePath } from '../../src/test-support/fixtures.js';
import { testToolOutput } from '../../src/test-support/test-tools.js';

// The app formats money and dates in the browser's locale; the contexts pin it.
const locale = 'en-US';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 120_000;
const schema = fixturePath('banking', 'xsd', 'pain.001.001.03.xsd');
const scratch = mkdtempSync(path.join(tmpdir(), 'outlay-expenses-browser-'));
const today = new Date().toISOString().slice(0, 10);

const employee = { name: 'Emma Expense', email: 'emma@expenses-browser.test', iban: 'DE89 3704 0044 0532 0130 00', ibanElectronic: 'DE89370400440532013000' };
const reviewer = { name: 'Rita Review', email: 'rita@expenses-browser.test' };
const bookkeeper = { name: 'Bo Books', email: 'bo@expenses-browser.test' };
const merchant = 'Hotel Nordlys';

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;
let books: SessionClient;
let emmaClient: SessionClient;
/** Set by the first test, followed by the others. */
let expenseId = '';

function phoneContext(): Promise<BrowserContext> {
  return browser.newContext({ ...phone, baseURL: server.url, locale });
}

function desktopContext(): Promise<BrowserContext> {
  return browser.newContext({ baseURL: server.url, locale, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
}

/** Clicks a download link and keeps the file it gives. */
async function download(page: Page, link: Locator, name: string): Promise<{ download: Download; text: string; file: string }> {
  const [started] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = path.join(scratch, name);
  await started.saveAs(file);
  return { download: started, text: readFileSync(file, 'utf8'), file };
}

beforeAll(async () => {
  assertWebAppBuilt();
  // Receipts are not read here: this test is about the expense, not the OCR.
  server = await startTestServer({ config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  tenant = await createTenant(server, { name: 'Expense Browser Co', adminEmail: 'admin@expenses-browser.test', adminName: 'Ada Admin' });
  const admin = tenant.client;
  const emma = await addPerson(admin, { email: employee.email, name: employee.name, roles: ['employee'] });
  emmaClient = emma.client;
  await addPerson(admin, { email: reviewer.email, name: reviewer.name, roles: ['reviewer'] });
  books = (await addPerson(admin, { email: bookkeeper.email, name: bookkeeper.name, roles: ['bookkeeper'] })).client;

  for (const [accountCode, name] of [['6110', 'Travel'], ['6540', 'Meals']] as const) {
    const category = await books.post('/api/v1/expense-categories', { accountCode, name });
    expect(category.status, category.text).toBe(201);
  }
  const vat = await books.post('/api/v1/tax-codes', { code: 'VAT25', name: 'VAT 25 %', rate: '25', vatAccountCode: '2640' });
  expect(vat.status, vat.text).toBe(201);
  const settings = await books.patch('/api/v1/expense-settings', { reviewThreshold: '100.00' });
  expect(settings.status, settings.text).toBe(200);
  const debtor = await admin.patch('/api/v1/expense-settings', { debtor: { name: 'Expense Browser Co ApS', iban: 'DK50 0040 0440 1162 43', bic: 'NDEADKKK' } });
  expect(debtor.status, debtor.text).toBe(200);
  const payee = await emma.client.request('PUT', '/api/v1/payee-account', { holderName: employee.name, iban: employee.iban });
  expect(payee.status, payee.text).toBe(200);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('expenses in the web app', () => {
  it('lets an employee file an out-of-pocket expense with its receipt, split it and submit it to review', async () => {
    const context = await phoneContext();
    const page = await context.newPage();
    await logIn(page, employee.email, testPassword);
    await openSection(page, 'Expenses');
    await page.getByRole('heading', { name: 'My expenses' }).waitFor();
    await page.getByRole('navigation', { name: 'Add an expense' }).getByRole('link', { name: 'Out of pocket' }).click();

    const form = page.getByRole('form', { name: 'Paid out of pocket' });
    await form.getByLabel('Amount (EUR)').fill('250.00');
    await form.getByLabel('Merchant').fill(merchant);
    await form.getByLabel('Date').fill(today);
    const pdf = renderReceiptPdf({ merchant, date: today, items: [{ name: 'Room, one night', amount: '200.00' }, { name: 'Dinner', amount: '50.00' }], total: '250.00', currency: 'EUR', vat: { rate: '25', amount: '50.00' } });
    await form.getByLabel('Snap or upload receipt').setInputFiles({ name: 'hotel-nordlys.pdf', mimeType: 'application/pdf', buffer: pdf });
    await form.getByText('Attached: hotel-nordlys.pdf').waitFor();
    await form.getByLabel('Category').selectOption({ label: 'Travel (6110)' });
    await form.getByLabel('Tax code').selectOption({ label: 'VAT 25 % (VAT25)' });
    await form.getByRole('button', { name: 'Add expense' }).click();

    // The editor: the receipt is attached and the server worked out the VAT of the one line.
    await page.waitForURL(/\/expenses\/[^/]+$/);
    expenseId = new URL(page.url()).pathname.split('/').pop()!;
    const editor = page.getByRole('form', { name: 'Expense details' });
    await page.getByRole('heading', { name: merchant }).waitFor();
    await page.getByRole('region', { name: 'Receipt' }).getByText('Attached', { exact: true }).waitFor();
    await editor.getByText('VAT €50.00').waitFor();

    // Split: the dinner goes to Meals; the page says what is left as the amounts are typed.
    await editor.getByRole('button', { name: 'Split into several lines' }).click();
    const line1 = editor.getByRole('group', { name: 'Line 1' });
    const line2 = editor.getByRole('group', { name: 'Line 2' });
    await line1.getByLabel('Amount (EUR)').fill('200.00');
    await editor.getByText('Left to split: €50.00').waitFor();
    await line2.getByLabel('Amount (EUR)').fill('60.00');
    await editor.getByText('The lines are €10.00 over the amount.').waitFor();
    await line2.getByLabel('Amount (EUR)').fill('50.00');
    await line2.getByLabel('Category').selectOption({ label: 'Meals (6540)' });
    await line2.getByLabel('Line note').fill('Dinner with a customer');
    await editor.getByText('The lines add up to the amount.').waitFor();
    await editor.getByLabel('Attendees').fill('Emma Expense\nKim Customer');
    await editor.getByRole('button', { name: 'Submit' }).click();

    // Above the threshold, it waits for a reviewer; the facts show each line's VAT.
    await page.getByRole('status').getByText('Submitted: it waits for a reviewer (above review threshold).').waitFor();
    await page.getByRole('region', { name: merchant }).getByText('In review', { exact: true }).waitFor();
    const lines = page.getByRole('table', { name: 'Lines' }).getByRole('row');
    await expect.poll(() => lines.count()).toBe(3);
    expect(await lines.nth(1).innerText()).toMatch(/Travel[\s\S]*€200\.00[\s\S]*€40\.00/);
    expect(await lines.nth(2).innerText()).toMatch(/Meals[\s\S]*Dinner with a customer[\s\S]*€50\.00[\s\S]*€10\.00/);
    await page.getByRole('list', { name: 'History' }).getByText('Submitted for review').waitFor();

    // The list shows it in review, with its receipt in.
    await openSection(page, 'Expenses');
    const row = page.getByRole('row').filter({ hasText: merchant });
    await row.getByText('In review', { exact: true }).waitFor();
    expect(await row.getByText('Missing receipt').count()).toBe(0);
    await context.close();
  }, testTimeoutMs);

  it('lets a reviewer approve it from the review queue, and refuses sending it back without a word', async () => {
    expect(expenseId, 'the first test filed the expense').not.toBe('');
    const context = await desktopContext();
    const page = await context.newPage();
    await logIn(page, reviewer.email, testPassword);
    await openSection(page, 'Review');
    const item = page.getByRole('article', { name: `${merchant} of ${employee.name}` });
    await item.getByText('€250.00', { exact: true }).waitFor();
    await item.getByText('Above review threshold').waitFor();

    await item.getByRole('button', { name: `Request changes to ${merchant}` }).click();
    const sendBack = item.getByRole('form', { name: `Request changes: ${merchant}` });
    await sendBack.getByRole('button', { name: 'Send back' }).click();
    await sendBack.getByText('Say why, so the person knows what to do.').waitFor();
    await sendBack.getByRole('button', { name: 'Cancel' }).click();

    await item.getByRole('button', { name: `Approve ${merchant}` }).click();
    await page.getByRole('list', { name: 'Decided just now' }).getByText(`${merchant} of ${employee.name}: approved.`).waitFor();
    await item.waitFor({ state: 'detached' });
    const approved = await emmaClient.get(`/api/v1/expenses/${expenseId}`);
    expect(approved.body).toMatchObject({ state: 'approved', booked: true, reimbursement: { state: 'owed' } });
    await context.close();
  }, testTimeoutMs);

  it('lets an admin pay it back by a pain.001 file that validates, and mark the batch paid', async () => {
    const context = await desktopContext();
    const page = await context.newPage();
    await logIn(page, tenant.adminEmail, testPassword);
    await openSection(page, 'Reimbursements');
    const owed = page.getByRole('region', { name: 'Owed to people' });
    const emmaRow = owed.getByRole('row').filter({ hasText: employee.name });
    await emmaRow.getByText('€250.00').waitFor();
    await emmaRow.getByText('On file').waitFor();

    await owed.getByRole('button', { name: 'Create payout batch' }).click();
    await owed.getByRole('status').getByText('Payout batch of €250.00 to 1 person created').waitFor();
    await owed.getByText('Nothing is owed').waitFor();

    const batch = page.getByRole('region', { name: 'Payout batches' }).getByRole('article').first();
    await batch.getByText('To pay', { exact: true }).waitFor();
    const pain001 = await download(page, batch.getByRole('link', { name: 'Download pain.001' }), 'payout.xml');
    expect(pain001.download.suggestedFilename()).toMatch(/\.pain001\.xml$/);
    expect(pain001.text).toContain('<CtrlSum>250.00</CtrlSum>');
    expect(pain001.text).toContain('<InstdAmt Ccy="EUR">250.00</InstdAmt>');
    expect(pain001.text).toContain(`<IBAN>${employee.ibanElectronic}</IBAN>`);
    expect(pain001.text).toContain('<IBAN>DK5000400440116243</IBAN>');
    testToolOutput('xmllint', ['--noout', '--schema', schema, pain001.file]);

    await batch.getByRole('button', { name: /^Mark paid/ }).click();
    await batch.getByRole('button', { name: 'Yes, mark paid' }).click();
    await batch.getByText('Paid', { exact: true }).waitFor();
    expect(await batch.getByRole('button', { name: /^Mark paid/ }).count()).toBe(0);
    const paid = await emmaClient.get(`/api/v1/expenses/${expenseId}`);
    expect(paid.body.reimbursement.state).toBe('paid');
    await context.close();
  }, testTimeoutMs);

  it('lets a bookkeeper export the day as an hledger journal and download it, once', async () => {
    const context = await desktopContext();
    const page = await context.newPage();
    await logIn(page, bookkeeper.email, testPassword);
    await openSection(page, 'Export');
    const form = page.getByRole('form', { name: 'New export' });
    const batches = page.getByRole('region', { name: 'Exports', exact: true });
    const waiting = page.getByRole('region', { name: 'Not exported yet' });
    await waiting.getByRole('row').filter({ hasText: merchant }).getByText(employee.name).waitFor();

    async function exportAs(format: string, formatLabel: string, shortLabel: string): Promise<string> {
      await form.getByLabel('Format').selectOption({ label: formatLabel });
      await form.getByLabel('From').fill(today);
      await form.getByLabel('To (included)').fill(today);
      await form.getByRole('button', { name: 'Export' }).click();
      // Written in the background: the row says "Exporting…" until its file is ready.
      const row = batches.getByRole('row').filter({ hasText: shortLabel }).first();
      await row.getByText('Exported', { exact: true }).waitFor();
      const link = row.getByRole('link', { name: /^Download / });
      const file = await download(page, link, `export.${format}`);
      expect(file.download.suggestedFilename()).toContain(today);
      return file.text;
    }

    // An expense goes to the books once: the day's journal takes it, and a CSV of the same day
    // then finds nothing new.
    const journal = await exportAs('journal', 'hledger journal', 'hledger');
    expect(journal).toContain(expenseId);
    expect(journal).toContain(merchant);
    expect(journal).toContain('6110');
    expect(journal).toContain('6540');
    testToolOutput('hledger', ['-f', path.join(scratch, 'export.journal'), 'check']);
    await waiting.getByText('Every approved expense is exported.').waitFor();

    await form.getByLabel('Format').selectOption({ label: 'CSV (any spreadsheet or accounting program)' });
    await form.getByRole('button', { name: 'Export' }).click();
    await form.getByRole('alert').getByText('There is nothing to export for this period.').waitFor();
    await context.close();
  }, testTimeoutMs);
});
