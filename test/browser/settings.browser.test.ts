// Company settings in a real browser, on a computer and a phone: the admin switches the
// company's locale to Danish and the app then writes amounts with a decimal comma (the API
// keeps its decimal strings); the Developers page offers every API-key scope the server knows,
// by group, with what each allows; the audit trail shows the change, newest first.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn, phone } from './browser.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const testTimeoutMs = 120_000;
const viewports: [name: string, options: BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 900 } }],
  ['phone', phone],
];

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'Settings Browser Co', adminEmail: 'admin@settings-browser.test', adminName: 'Sia Admin' });
  await fundWallet(server, tenant.company.id, { amount: '1234.50', currency: 'EUR', bankReference: 'SB-1', receivedOn: new Date().toISOString().slice(0, 10) });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signedIn(options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: server.url, locale: 'en-GB' });
  const page = await context.newPage();
  await logIn(page, tenant.adminEmail, testPassword);
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  return page;
}

async function setLocale(page: Page, companyName: string, localeLabel: RegExp, saveLabel: string): Promise<void> {
  await page.goto('/settings');
  const form = page.getByRole('form', { name: /^(Company|Virksomhed)$/ });
  await form.getByLabel(/^(Company name|Virksomhedens navn)$/).fill(companyName);
  await form.getByLabel(/^(Amounts and dates written as|Beløb og datoer skrives som)$/).selectOption({ label: (await form.locator('option').allInnerTexts()).find((text) => localeLabel.test(text))! });
  await form.getByRole('button', { name: saveLabel }).click();
}

describe('company settings', () => {
  it.each(viewports)('changes the company’s locale, after which amounts have a decimal comma (%s)', async (viewport, options) => {
    const page = await signedIn(options);
    await page.goto('/wallet');
    await page.getByText(/1,234\.50/).first().waitFor();

    await setLocale(page, `Settings Browser Co ${viewport}`, /^Danish/, 'Save company');
    // The whole app follows the company: Danish texts, amounts written 1.234,50.
    await page.getByRole('heading', { name: 'Indstillinger', level: 1 }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.goto('/wallet');
    await page.getByText(/1\.234,50/).first().waitFor();
    const company = await tenant.client.get<{ locale: string; name: string }>('/api/v1/company');
    expect(company.body).toMatchObject({ locale: 'da-DK', name: `Settings Browser Co ${viewport}` });

    // The audit trail, its own page under Settings, shows the change first.
    await page.goto('/settings/audit');
    await page.getByRole('heading', { name: 'Revisionsspor', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'company.updated' }).first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await setLocale(page, 'Settings Browser Co', /^Engelsk \(Storbritannien\)/, 'Gem virksomhed');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.context().close();
  }, testTimeoutMs);

  it.each(viewports)('offers every API-key scope the server knows, with what it allows (%s)', async (_viewport, options) => {
    const groups = (await tenant.client.get<{ groups: { name: string; scopes: { scope: string; description: string }[] }[] }>('/api/v1/api-keys/scopes')).body.groups;
    const scopes = groups.flatMap((group) => group.scopes);
    expect(scopes.length).toBeGreaterThanOrEqual(18);
    const page = await signedIn(options);
    await page.goto('/developers');
    const form = page.getByRole('form', { name: 'Create an API key' });
    for (const group of groups) await form.getByRole('group', { name: group.name }).waitFor();
    expect(await form.getByRole('checkbox').count()).toBe(scopes.length);
    for (const { scope, description } of scopes) await form.getByLabel(`${scope}: ${description}`, { exact: true }).waitFor({ state: 'attached' });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  }, testTimeoutMs);
});
