// The company-wide expenses list in a real browser, on a phone and on a computer: the admin
// finds one expense among an employee's by searching its merchant, the filter is in the
// address and survives a reload, and the filtered list downloads as a CSV file holding that
// expense's row and no other. On a phone the filters fold into a "Filters" disclosure.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn, phone } from './browser.js';

/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 120_000;
const today = new Date().toISOString().slice(0, 10);
const viewports: [name: string, options: BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 900 } }],
  ['phone', phone],
];
const merchants = ['Zebra Taxi', 'Hotel Aurora', 'Bistro Lind'];

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'Lists Browser Co', adminEmail: 'admin@lists-browser.test', adminName: 'Alma Admin' });
  const emma = await addPerson(tenant.client, { email: 'emma@lists-browser.test', name: 'Emma Lister', roles: ['employee'] });
  for (const [index, merchant] of merchants.entries()) {
    const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', amount: `${index + 12}.50`, currency: 'EUR', spentOn: today, merchant });
    expect(filed.status, filed.text).toBe(201);
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The filters' form, unfolded first where the phone folds it. */
async function filtersForm(page: Page) {
  const form = page.getByRole('search', { name: 'Filter expenses' });
  if (!(await form.isVisible())) await page.locator('summary').getByText(/^Filters/).click();
  await form.waitFor();
  return form;
}

const rowsOf = (page: Page) => page.getByRole('region', { name: 'All expenses' }).locator('tbody tr');

describe('the company-wide expenses list', () => {
  it.each(viewports)('finds an expense by searching, keeps the search across a reload and downloads the list as CSV (%s)', async (_viewport, options) => {
    const context = await browser.newContext({ ...options, baseURL: server.url, locale: 'en-GB', acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, tenant.adminEmail, testPassword);
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.goto('/expenses');
    await page.getByRole('heading', { name: 'Expenses', level: 1 }).waitFor();
    await expect.poll(() => rowsOf(page).count()).toBe(merchants.length);
    // Names, not ids: each row says whose expense it is.
    expect(await rowsOf(page).first().innerText()).toContain('Emma Lister');

    const form = await filtersForm(page);
    await form.getByLabel('Search merchant, note or person').fill('zebra');
    await form.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/[?&]q=zebra/);
    await expect.poll(() => rowsOf(page).count()).toBe(1);
    await form.getByText('1 found', { exact: true }).waitFor();
    await rowsOf(page).getByRole('link', { name: 'Zebra Taxi' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.reload();
    await rowsOf(page).getByRole('link', { name: 'Zebra Taxi' }).waitFor();
    expect(await rowsOf(page).count()).toBe(1);
    const reloaded = await filtersForm(page);
    expect(await reloaded.getByLabel('Search merchant, note or person').inputValue()).toBe('zebra');

    const [download] = await Promise.all([page.waitForEvent('download'), reloaded.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('expenses.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Zebra Taxi');
    expect(lines[1]).toContain('12.50');
    expect(csv).not.toContain('Hotel Aurora');
    await context.close();
  }, testTimeoutMs);
});
