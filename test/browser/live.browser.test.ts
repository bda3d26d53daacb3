// Live updates in a real browser: a card purchase made through the card network's API appears
// on the admin's open Transactions page without Refresh or a reload, and the cardholder, on
// their phone, is asked for its receipt at once (the receipt_wanted notification, brought by
// the live events) with one button to the camera; the bell's notification links to the page
// where the purchase waits for its receipt.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, testPassword, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
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
let network: NetworkClient;
let holder: { email: string; cardId: string; client: SessionClient };
const processorSecret = randomBytes(32);

async function buy(amount: string, merchant: string): Promise<string> {
  const response = await network.authorize({
    id: networkId('auth'),
    cardId: holder.cardId,
    amount,
    currency: 'EUR',
    merchant: { name: merchant, mcc: '5814', country: 'DK' },
    channel: 'in_person',
    occurredAt: new Date().toISOString(),
  });
  expect(response.body.approved, JSON.stringify(response.body)).toBe(true);
  return response.body.transactionId as string;
}

/** Waits until the page's live events stream is open, so that no event is sent before it. */
async function liveEventsOpen(page: Page): Promise<void> {
  await page.locator('html[data-live-events="open"]').waitFor({ state: 'attached' });
}

/** Counts the page's loads, so a test can say nothing was reloaded. */
function countLoads(page: Page): () => number {
  let loads = 0;
  page.on('load', () => (loads += 1));
  return () => loads;
}

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer({ config: { processorSecret } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Live Browser Co', adminEmail: 'admin@live-browser.test', adminName: 'Lea Admin' });
  await fundWallet(server, tenant.company.id, { amount: '5000.00', currency: 'EUR', bankReference: 'LB-1', receivedOn: new Date().toISOString().slice(0, 10) });
  const person = await addPerson(tenant.client, { email: 'carl@live-browser.test', name: 'Carl Holder', roles: ['employee'] });
  const card = await tenant.client.post<{ id: string }>('/api/v1/cards', { userId: person.id, kind: 'virtual', purpose: 'Travel' });
  expect(card.status, card.text).toBe(201);
  holder = { email: person.email, cardId: card.body.id, client: person.client };
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('live updates', () => {
  it.each(viewports)('shows a purchase made through the API on the open Transactions page without Refresh (%s)', async (viewport, options) => {
    const context = await browser.newContext({ ...options, baseURL: server.url, locale: 'en-GB' });
    const page = await context.newPage();
    await logIn(page, tenant.adminEmail, testPassword);
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.goto('/transactions');
    const list = page.getByRole('region', { name: 'All transactions' });
    await list.waitFor();
    await liveEventsOpen(page);
    const loads = countLoads(page);
    const merchant = `Kiosk Live ${viewport}`;
    expect(await list.getByText(merchant).count()).toBe(0);

    await buy('23.50', merchant);
    await list.getByRole('row').filter({ hasText: merchant }).filter({ hasText: 'Carl Holder' }).waitFor();
    expect(loads()).toBe(0);
    await context.close();
  }, testTimeoutMs);

  it.each(viewports)('asks the cardholder for the receipt right after the purchase, and the notification links to it (%s)', async (viewport, options) => {
    const context = await browser.newContext({ ...options, baseURL: server.url, locale: 'en-GB' });
    const page = await context.newPage();
    await logIn(page, holder.email, testPassword);
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await liveEventsOpen(page);
    const loads = countLoads(page);
    const merchant = `Café Prompt ${viewport}`;

    await buy('48.00', merchant);
    const asked = async () => ((await holder.client.get<{ items: { kind: string; title: string }[] }>('/api/v1/notifications')).body.items ?? []).filter((item) => item.kind === 'receipt_wanted').map((item) => item.title);
    await expect.poll(asked).toContainEqual(expect.stringContaining(merchant));
    const prompt = page.getByRole('region', { name: 'A purchase needs its receipt' });
    await prompt.getByText(merchant, { exact: false }).first().waitFor();
    await prompt.getByLabel(/^Add the receipt: /).waitFor({ state: 'attached' });
    expect(loads()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // From another page, the bell's notification leads back to the purchase waiting for it.
    await page.goto('/expenses');
    await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    await page.getByRole('link', { name: new RegExp(`^Add a receipt for ${merchant}`) }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('region', { name: 'My transactions' }).getByRole('row').filter({ hasText: merchant }).waitFor();
    await context.close();
  }, testTimeoutMs);
});
