// A split suggested by the receipt: an employee's out-of-pocket expense carries a receipt that
// lists its items; the editor offers to split the expense by them, one line per item with the
// item as the note and what the items leave of the amount (a tip) as a line of its own, and
// the split is saved as the lines of the expense. A receipt whose items do not fit the
// expense (its amount is less than theirs) offers nothing.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptPdf } from '../../src/demo/receipt-pictures.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type SessionClient } from '../../src/test-support/api-client.js';
import { uploadReceipt, waitUntilRead } from '../../src/test-support/receipts.js';
import { startTestServer } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, phone } from './browser.js';

const locale = 'en-US';
const testTimeoutMs = 120_000;
const today = new Date().toISOString().slice(0, 10);
const employee = { name: 'Ida Items', email: 'ida@receipt-items.test' };

let server: RunningServer;
let browser: Browser;
let ida: SessionClient;
let travel = '';

/** An out-of-pocket expense of `amount` with a read PDF receipt listing `items`. */
async function expenseWithReceipt(merchant: string, amount: string, items: { name: string; amount: string }[], total: string, receiptNote: string): Promise<string> {
  const pdf = renderReceiptPdf({ merchant, date: today, items, total, currency: 'EUR' });
  const receipt = await uploadReceipt(ida, pdf);
  expect(receipt.status, receipt.text).toBe(201);
  const read = (await waitUntilRead(ida, receipt.body.id)).body;
  expect(read.reading.state, JSON.stringify(read.reading)).toBe('read');
  expect(read.lineItems.length, JSON.stringify(read)).toBe(items.length);
  const filed = await ida.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today, merchant, amount, receiptId: receipt.body.id, categoryId: travel, receiptNote });
  expect(filed.status, filed.text).toBe(201);
  return filed.body.id as string;
}

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer();
  const tenant = await createTenant(server, { name: 'Receipt Items Co', adminEmail: 'admin@receipt-items.test', adminName: 'Ada Admin' });
  ida = (await addPerson(tenant.client, { email: employee.email, name: employee.name, roles: ['employee'] })).client;
  const books = (await addPerson(tenant.client, { email: 'bo@receipt-items.test', name: 'Bo Books', roles: ['bookkeeper'] })).client;
  const category = await books.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' });
  expect(category.status, category.text).toBe(201);
  travel = category.body.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('splitting an expense by its receipt\'s items', () => {
  it('offers the items as lines, with a tip the items leave as a line of its own, and saves them', async () => {
    const expenseId = await expenseWithReceipt('Trattoria Sole', '60.00', [{ name: 'Pasta', amount: '18.00' }, { name: 'Pizza', amount: '16.50' }, { name: 'Wine', amount: '19.50' }], '54.00', 'Tip of 6.00 added at the table');
    const context = await browser.newContext({ ...phone, baseURL: server.url, locale });
    const page = await context.newPage();
    await logIn(page, employee.email, testPassword);
    await page.goto(`/expenses/${expenseId}`);
    const editor = page.getByRole('form', { name: 'Expense details' });
    await editor.getByRole('button', { name: 'Split by the receipt’s 3 items' }).click();

    const expected = [['18.00', 'Pasta'], ['16.50', 'Pizza'], ['19.50', 'Wine'], ['6.00', 'Rest of the receipt']];
    for (const [index, [amount, note]] of expected.entries()) {
      const line = editor.getByRole('group', { name: `Line ${index + 1}` });
      expect(await line.getByLabel('Amount (EUR)').inputValue()).toBe(amount);
      expect(await line.getByLabel('Line note').inputValue()).toBe(note);
    }
    await editor.getByText('The lines add up to the amount.').waitFor();
    await editor.getByRole('button', { name: 'Save draft' }).click();
    await editor.getByText('All changes saved.').waitFor();

    const saved = await ida.get(`/api/v1/expenses/${expenseId}`);
    expect(saved.body.lines.map((line: { amount: { amount: string }; note: string | null; categoryId: string | null }) => [line.amount.amount, line.note, line.categoryId])).toEqual(expected.map(([amount, note]) => [amount, note, travel]));
    await context.close();
  }, testTimeoutMs);

  it('offers nothing when the items come to more than the expense', async () => {
    const expenseId = await expenseWithReceipt('Kiosk Hjørnet', '10.00', [{ name: 'Avis', amount: '8.00' }, { name: 'Kaffe', amount: '7.00' }], '15.00', 'The coffee was my own');
    const context = await browser.newContext({ ...phone, baseURL: server.url, locale });
    const page = await context.newPage();
    await logIn(page, employee.email, testPassword);
    // The editor asks for the receipt with its items; the offer could only come after that.
    const receiptRead = page.waitForResponse((response) => /\/api\/v1\/receipts\/[^/]+$/.test(new URL(response.url()).pathname) && response.ok());
    await page.goto(`/expenses/${expenseId}`);
    const editor = page.getByRole('form', { name: 'Expense details' });
    await editor.getByRole('button', { name: 'Split into several lines' }).waitFor();
    await receiptRead;
    expect(await editor.getByRole('button', { name: /Split by the receipt/ }).count()).toBe(0);
    await context.close();
  }, testTimeoutMs);
});
