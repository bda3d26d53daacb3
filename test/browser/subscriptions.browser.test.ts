// The demo company's subscriptions in a real browser, on a desktop and on a phone: the admin
// opens Subscriptions, finds Figma's monthly seat with its yearly cost, gives it a card of its
// own, and the row says so (and the card is there over the API, locked to the merchant).
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/seed.js';
import type { RunningServer } from '../../src/server/server.js';
import { signIn } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, phone } from './browser.js';

const testTimeoutMs = 180_000;
const viewports: [string, BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['phone', phone],
];

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  assertWebAppBuilt();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe('subscriptions in the browser', () => {
  it.each(viewports)('the admin finds the demo\'s subscription and gives it its own card (%s)', async (_name, options) => {
    server = await startTestServer({ demo: true, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
    try {
      const admin = demoLogins.find((login) => login.role === 'admin')!;
      const context = await browser.newContext({ ...options, baseURL: server.url, locale: 'en-US' });
      const page = await context.newPage();
      await logIn(page, admin.email, admin.password);
      await openSection(page, 'Subscriptions');
      const row = page.getByRole('row').filter({ hasText: 'FIGMA.COM' });
      await row.waitFor();
      await expect(row.innerText()).resolves.toMatch(/3 charges/);
      await expect(page.getByText(/A year of them costs/).innerText()).resolves.toMatch(/€/);
      await row.getByRole('button', { name: 'Give it its own card' }).click();
      await row.getByText('Has its own card').waitFor();
      await row.getByRole('status').waitFor();

      const api = await signIn(server.app, admin.email, admin.password);
      const listed = (await api.get('/api/v1/subscriptions')).body.items as { merchantName: string; ownCardId: string | null }[];
      const ownCardId = listed.find((item) => item.merchantName === 'FIGMA.COM')!.ownCardId;
      expect(ownCardId).not.toBeNull();
      const card = (await api.get(`/api/v1/cards/${ownCardId}`)).body as { kind: string; vendor: { merchantName: string } };
      expect(card).toMatchObject({ kind: 'vendor', vendor: { merchantName: 'FIGMA.COM' } });
      await context.close();
    } finally {
      await server.close();
    }
  }, testTimeoutMs);
});
