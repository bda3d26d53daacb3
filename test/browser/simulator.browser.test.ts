// The purchase simulator end to end in a real browser, on its own page, a test tool: the
// admin buys at a café on Emma's demo card, clears the hold at a higher amount (a tip) from
// the simulator's list of network events, lowers the card's monthly limit on the Cards page,
// and sees the next purchase declined with that limit as the reason. The real transactions
// list has no simulator buttons, a refused network event says why in words, and where the
// server has the simulator off the app offers no such page.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { demoLogins } from '../../src/demo/seed.js';
import type { RunningServer } from '../../src/server/server.js';
import { startTestServer } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, openSectionMenu, phone } from './browser.js';

// The app formats money and dates in the browser's locale; the context pins it.
const locale = 'en-US';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 90_000;
const cardholderName = 'Emma Nørgaard';
/** A merchant no demo purchase uses, so its rows are the test's own. */
const merchantName = 'Café Simulator';

interface CardJson {
  id: string;
  last4: string;
  controls: { limits: { monthly?: string } };
}

/** Fills in the simulate panel for a café purchase on the chosen card and sends it. */
async function simulateCafePurchase(page: Page, cardId: string, amount: string): Promise<string> {
  const panel = page.getByRole('region', { name: 'Simulate a purchase' });
  await panel.getByLabel('Card').selectOption(cardId);
  await panel.getByLabel('Amount').fill(amount);
  await panel.getByLabel('Merchant name').fill(merchantName);
  await panel.getByLabel('Kind of merchant').selectOption({ label: 'Café (5814)' });
  expect(await panel.getByLabel('Currency').inputValue()).toBe('EUR');
  expect(await panel.getByLabel('Country').inputValue()).toBe('DK');
  await panel.getByRole('button', { name: 'Simulate purchase' }).click();
  const decision = panel.getByRole('status');
  await decision.waitFor();
  return decision.innerText();
}

/** A demo company's server and a browser for the tests of one describe, and the demo admin
 * logged in on a fresh page. */
function demoCompany(config: Partial<Config> = {}) {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    assertWebAppBuilt();
    server = await startTestServer({ demo: true, config });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  return async function adminPage(options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
    if (!server || !browser) throw new Error('the server and browser are needed');
    const admin = demoLogins.find((login) => login.role === 'admin');
    if (!admin) throw new Error('the demo has no admin login');
    const context = await browser.newContext({ ...options, baseURL: server.url, locale });
    const page = await context.newPage();
    await logIn(page, admin.email, admin.password);
    return { context, page };
  };
}

describe('the purchase simulator in the web app', () => {
  const adminPage = demoCompany();

  it('approves a café purchase, settles it at the cleared amount, and declines the next one over a lowered monthly limit', async () => {
    const { context, page } = await adminPage();
    await openSection(page, 'Simulator');
    expect(await page.title()).toMatch(/^Simulator · /);
    expect(await page.getByRole('note', { name: 'Test tool' }).innerText()).toContain('simulated');

    // Emma's one demo card, as the panel lists it.
    const panel = page.getByRole('region', { name: 'Simulate a purchase' });
    const emmaOption = panel.getByRole('option').filter({ hasText: cardholderName }).filter({ hasText: 'Everyday expenses' });
    await emmaOption.waitFor({ state: 'attached' });
    const cardId = await emmaOption.getAttribute('value');
    if (!cardId) throw new Error('the card option has no value');

    const approved = await simulateCafePurchase(page, cardId, '30.00');
    expect(approved).toContain('Approved');
    expect(approved).toContain('€30.00 held');

    const transactions = page.getByRole('region', { name: 'Network events' });
    const pendingRow = transactions.getByRole('row').filter({ hasText: merchantName }).filter({ hasText: 'Pending' });
    await pendingRow.waitFor();
    expect(await pendingRow.innerText()).toContain('€30.00');
    await pendingRow.getByLabel('Amount to clear (EUR)').fill('33.00');
    await pendingRow.getByRole('button', { name: 'Clear' }).click();
    const settledRow = transactions.getByRole('row').filter({ hasText: merchantName }).filter({ hasText: 'Settled' });
    await settledRow.waitFor();
    expect(await settledRow.innerText()).toContain('€33.00');
    // Once settled, the hold's actions give way to a refund.
    expect(await settledRow.getByRole('button', { name: 'Clear' }).count()).toBe(0);
    expect(await settledRow.getByRole('button', { name: 'Refund' }).count()).toBe(1);

    // This month Emma has spent at least the 33.00 just cleared: 60.00 leaves less than 30.00.
    const cards = (await (await context.request.get('/api/v1/cards')).json()) as { items: CardJson[] };
    const card = cards.items.find((candidate) => candidate.id === cardId);
    if (!card) throw new Error('the API does not list the chosen card');
    await openSection(page, 'Cards');
    const cardRow = page.getByRole('region', { name: 'Cards', exact: true }).getByRole('row').filter({ hasText: `•••• ${card.last4}` });
    await cardRow.getByRole('button', { name: 'Controls' }).click();
    const editor = page.getByRole('form', { name: `Controls of Virtual card ending in ${card.last4} of ${cardholderName}` });
    expect(await editor.getByLabel('Monthly limit').inputValue()).toBe('3000.00');
    // A limit the wallet's currency cannot hold is refused beside its own input.
    await editor.getByLabel('Monthly limit').fill('60.001');
    await editor.getByRole('button', { name: 'Save controls' }).click();
    await editor.locator('input[aria-invalid="true"]').waitFor();
    expect(await editor.getByLabel('Monthly limit').getAttribute('aria-invalid')).toBe('true');
    expect(await editor.getByLabel('Daily limit').getAttribute('aria-invalid')).toBeNull();
    await editor.getByLabel('Monthly limit').fill('60.00');
    await editor.getByRole('button', { name: 'Save controls' }).click();
    await editor.waitFor({ state: 'detached' });
    const saved = (await (await context.request.get(`/api/v1/cards/${cardId}`)).json()) as CardJson;
    expect(saved.controls.limits.monthly).toBe('60.00');

    await openSection(page, 'Simulator');
    const declined = await simulateCafePurchase(page, cardId, '30.00');
    expect(declined).toContain('Declined');
    expect(declined).toContain('Over the monthly limit');

    // The network's events are the simulator's: the real list of transactions has none.
    await openSection(page, 'Transactions');
    const realRow = page.getByRole('region', { name: 'All transactions' }).getByRole('row').filter({ hasText: merchantName }).filter({ hasText: 'Settled' });
    await realRow.waitFor();
    for (const name of ['Clear', 'Reverse', 'Expire', 'Refund']) expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
    expect(await page.getByRole('group', { name: /^Network events for / }).count()).toBe(0);

    await context.close();
  }, testTimeoutMs);

  it('says in words why the server refused a network event, on a phone', async () => {
    const { context, page } = await adminPage(phone);
    await openSection(page, 'Simulator');
    const settled = page.getByRole('region', { name: 'Network events' }).getByRole('row').filter({ has: page.getByRole('button', { name: 'Refund', exact: true }) }).first();
    await settled.waitFor();
    // Not an amount: the server answers with a problem, shown as a sentence, never as JSON.
    await settled.getByLabel(/^Amount to refund/).fill('twelve');
    await settled.getByRole('button', { name: 'Refund', exact: true }).click();
    const refusal = settled.getByRole('alert');
    await refusal.waitFor();
    const text = await refusal.innerText();
    expect(text).toMatch(/^Not done: \S/);
    expect(text).not.toMatch(/[{}]|problem\+json|HTTP \d/);
    await context.close();
  }, testTimeoutMs);
});

describe('the simulator where the server has it off', () => {
  const adminPage = demoCompany({ simulatorEnabled: false });

  it('offers the admin no simulator in the navigation, and its address says it is off', async () => {
    const { context, page } = await adminPage(phone);
    await openSectionMenu(page);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await nav.getByRole('link', { name: 'Transactions', exact: true }).waitFor();
    expect(await nav.getByRole('link', { name: 'Simulator' }).count()).toBe(0);
    await page.goto('/simulator');
    await page.getByText('The card network simulator is off on this server.').waitFor();
    expect(await page.getByRole('region', { name: 'Simulate a purchase' }).count()).toBe(0);
    await context.close();
  }, testTimeoutMs);
});
