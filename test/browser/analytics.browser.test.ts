// The spend overview in a real browser: an admin opens it from the home page, reads spend by
// team and the top spenders, filters by one team and sees the top spenders change to that
// team's people, downloads that chart's CSV, which holds the filtered figures, and narrows it
// further by category; then opens the budgets from there, sets an enforced monthly budget for
// the Sales team, and a purchase of a Sales card beyond what is left is declined in the
// purchase simulator with the budget as its reason. On a phone
// the page fits the screen's width. Nothing breaks the Content-Security-Policy, and axe finds no
// WCAG 2.1 AA violation. Teams, people and their expenses are set up over the API.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn, phone } from './browser.js';

const locale = 'en-US';
const testTimeoutMs = 180_000;
const today = new Date().toISOString().slice(0, 10);
const adminEmail = 'admin@overview-browser.test';

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;
let salesCardId: string;
/** Of the expenses filed, those waiting for a review and those missing their receipt. */
let inReview = 0;
let missingReceipts = 0;

async function signedIn(options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: server.url, locale, acceptDownloads: true });
  const page = await context.newPage();
  // Every load, script or style the Content-Security-Policy stops (ECharts' HTML tooltips would).
  await page.addInitScript({
    content: `window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => window.cspViolations.push(event.violatedDirective + ' ' + event.sourceFile));`,
  });
  await logIn(page, adminEmail, 'correct-horse-battery-staple');
  // Signed in once the admin's home is shown, with its link to the overview.
  await page.getByRole('link', { name: 'Spend overview' }).waitFor();
  return page;
}

/** The names in the figures table of one chart (the table is there for every chart). */
async function namesIn(page: Page, chart: string): Promise<string[]> {
  const rows = page.locator(`[data-chart="${chart}"] tbody tr td:first-child`);
  return (await rows.allTextContents()).map((text) => text.trim());
}

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'Overview Browser Co', adminEmail, adminName: 'Ada Admin' });
  const admin = tenant.client;
  const travelId = (await admin.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id;
  const mealsId = (await admin.post('/api/v1/expense-categories', { accountCode: '6120', name: 'Meals' })).body.id;
  for (const [teamName, people] of [['Sales', ['Emma Sales', 'Sam Sales']], ['Ops', ['Olaf Ops']]] as const) {
    const teamId = (await admin.post('/api/v1/teams', { name: teamName })).body.id;
    for (const [index, name] of people.entries()) {
      const person = await addPerson(admin, { email: `${name.split(' ')[0]!.toLowerCase()}@overview-browser.test`, name, roles: ['employee'], teamId });
      if (name === 'Olaf Ops') expect((await admin.post('/api/v1/cards', { userId: person.id, kind: 'virtual', purpose: 'Olaf card' })).status).toBe(201);
      const filed = await person.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today, merchant: `${teamName} merchant`, amount: `${100 + index * 10}.00`, categoryId: index === 1 ? mealsId : travelId });
      const submitted = await person.client.post(`/api/v1/expenses/${filed.body.id}/submit`);
      expect(submitted.status).toBe(200);
      if (submitted.body.state === 'in_review') inReview += 1;
      if ((submitted.body.flags as string[]).includes('missing_receipt')) missingReceipts += 1;
      if (name === 'Emma Sales') {
        const card = await admin.post('/api/v1/cards', { userId: person.id, kind: 'virtual' });
        expect(card.status, card.text).toBe(201);
        salesCardId = card.body.id;
      }
    }
  }
  await fundWallet(server, tenant.company.id, { amount: '930.00', bankReference: 'HOME-1' });
  await tenant.client.request('PUT', '/api/v1/wallet/low-balance-alert', { lowBalanceBelow: '1000.00' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The text of one figure of the admin's home. */
const figure = (page: Page, key: string) => page.locator(`[data-figure="${key}"] dd`);

describe('the admin\'s home', () => {
  it('shows the runway at the burn rate, this month\'s spend, what waits and the low balance', { timeout: testTimeoutMs }, async () => {
    const page = await signedIn({ viewport: { width: 1280, height: 800 } });
    // 310.00 spent today: 10.33 a day over 30 days, 3.44 over 90; 930.00 lasts 90 and 270 days.
    await expect.poll(() => figure(page, 'runway').textContent()).toBe('90 days');
    expect(await figure(page, 'runway-90').textContent()).toBe('270 days');
    expect(await figure(page, 'burn').textContent()).toBe('€10.33');
    expect(await figure(page, 'this-month').textContent()).toBe('€310.00 · 3 expenses');
    expect(await figure(page, 'pending-reviews').textContent()).toBe(String(inReview));
    expect(await figure(page, 'missing-receipts').textContent()).toBe(String(missingReceipts));
    expect(await figure(page, 'balance-alert').textContent()).toBe('Low: under €1,000.00');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});

describe('the spend overview', () => {
  it('filters every chart by team, and downloads a chart\'s CSV with the filtered figures', { timeout: testTimeoutMs }, async () => {
    const page = await signedIn({ viewport: { width: 1280, height: 800 } });
    await page.getByRole('link', { name: 'Spend overview' }).click();
    await page.getByRole('heading', { name: 'Spend by team' }).waitFor();
    await page.locator('[data-chart="spend-team"] canvas').first().waitFor();
    expect((await namesIn(page, 'spend-team')).sort()).toEqual(['Ops', 'Sales']);
    expect((await namesIn(page, 'spend-person')).sort()).toEqual(['Emma Sales', 'Olaf Ops', 'Sam Sales']);

    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Sales' });
    await expect.poll(async () => (await namesIn(page, 'spend-person')).sort()).toEqual(['Emma Sales', 'Sam Sales']);
    expect(await namesIn(page, 'spend-team')).toEqual(['Sales']);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-chart="spend-person"]').getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('key,name,amount,currency,count');
    expect(lines.slice(1).map((line) => line.split(',').slice(1, 3))).toEqual([['Sam Sales', '110.00'], ['Emma Sales', '100.00']]);

    // The category narrows it further: of Sales, only Sam spent on meals.
    await page.getByLabel('Category', { exact: true }).selectOption({ label: 'Meals' });
    await expect.poll(async () => namesIn(page, 'spend-person')).toEqual(['Sam Sales']);
    expect(await namesIn(page, 'spend-category')).toEqual(['Meals']);

    // A pointer over a bar shows its tooltip, drawn without inline styles.
    await page.locator('[data-chart="spend-person"] canvas').first().hover();
    expect(await page.evaluate<string[]>('window.cspViolations')).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('sets an enforced team budget, and a purchase beyond it is declined for the budget', { timeout: testTimeoutMs }, async () => {
    const page = await signedIn({ viewport: { width: 1280, height: 800 } });
    await page.getByRole('link', { name: 'Spend overview' }).click();
    await page.getByRole('link', { name: 'Budgets' }).click();
    const form = page.getByRole('form', { name: 'New budget' });
    await form.getByLabel('Name').fill('Sales travel');
    await form.getByLabel('For', { exact: true }).selectOption({ label: 'Team' });
    await form.getByLabel('Team', { exact: true }).selectOption({ label: 'Sales' });
    await form.getByLabel('Per', { exact: true }).selectOption({ label: 'Month' });
    await form.getByLabel('Amount').fill('500.00');
    await form.getByLabel('Decline card purchases that would go beyond it').check();
    await form.getByRole('button', { name: 'Set budget' }).click();
    // Sales filed 210.00 this month: 290.00 is left, shown beside a bar 42% full.
    const budget = page.locator('[data-budget="Sales travel"]');
    await budget.getByText('290.00').waitFor();
    expect(await budget.getByRole('meter').getAttribute('aria-valuenow')).toBe('42');
    await budget.getByText('Enforced: purchases beyond it are declined').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.goto('/simulator');
    const panel = page.getByRole('region', { name: 'Simulate a purchase' });
    await panel.getByLabel('Card').selectOption(salesCardId);
    await panel.getByLabel('Amount').fill('290.01');
    await panel.getByLabel('Merchant name').fill('Hotel Budget');
    await panel.getByRole('button', { name: 'Simulate purchase' }).click();
    const decision = panel.getByRole('status');
    await decision.waitFor();
    expect(await decision.innerText()).toContain('Over the budget of the person or team');
    await page.context().close();
  });

  it('filters by person, and by one of that person\'s cards', { timeout: testTimeoutMs }, async () => {
    const page = await signedIn({ viewport: { width: 1280, height: 800 } });
    await page.goto('/analytics');
    await page.locator('[data-chart="spend-person"] canvas').first().waitFor();
    await page.getByLabel('Person', { exact: true }).selectOption({ label: 'Olaf Ops' });
    await expect.poll(async () => namesIn(page, 'spend-person')).toEqual(['Olaf Ops']);
    expect(await namesIn(page, 'spend-team')).toEqual(['Ops']);
    // The card list offers Olaf's cards only; his card bought nothing, so nothing is left.
    const cards = await page.getByLabel('Card', { exact: true }).locator('option').allTextContents();
    expect(cards.slice(1).map((text) => text.endsWith('· Olaf Ops · Olaf card'))).toEqual([true]);
    await page.getByLabel('Card', { exact: true }).selectOption({ index: 1 });
    await expect.poll(async () => namesIn(page, 'spend-person')).toEqual([]);
    await page.context().close();
  });

  it('fits a phone\'s screen', { timeout: testTimeoutMs }, async () => {
    const page = await signedIn(phone);
    await page.goto('/analytics');
    await page.locator('[data-chart="spend-month"] canvas').first().waitFor();
    // Written as text: the page's own globals (window, document) are not in this project's types.
    const widths = await page.evaluate<{ page: number; screen: number }>('({ page: document.documentElement.scrollWidth, screen: window.innerWidth })');
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    await page.context().close();
  });
});
