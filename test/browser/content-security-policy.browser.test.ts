// The web app and Swagger UI work under their Content-Security-Policy: Chromium reports
// every load or inline script or style the policy stops as a securitypolicyviolation event,
// and none may happen while the admin walks through every section and the API's docs load.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/seed.js';
import type { RunningServer } from '../../src/server/server.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection } from './browser.js';

const testTimeoutMs = 240_000;
const adminSections = ['Overview', 'My cards', 'People', 'Cards', 'Transactions', 'Subscriptions', 'Expenses', 'Receipts', 'Review', 'Books', 'Export', 'Reimbursements', 'Wallet', 'Settings', 'Developers', 'Simulator'];

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer({ demo: true, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page that keeps every violation of the policy it is shown under. */
async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Written as text: the page's own globals (window, document) are not in this project's types.
  await page.addInitScript({
    content: `window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI + ' ' + event.sourceFile + ':' + event.lineNumber));`,
  });
  return { page, violations: () => page.evaluate<string[]>('window.cspViolations') };
}

describe('the Content-Security-Policy in a browser', () => {
  it('stops nothing the web app does, section by section', async () => {
    const { page, violations } = await watchedPage();
    const response = await page.goto('/');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const admin = demoLogins.find((login) => login.role === 'admin')!;
    await logIn(page, admin.email, admin.password);
    for (const section of adminSections) {
      await openSection(page, section);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
    }
    expect(await violations()).toEqual([]);
    await page.context().close();
  }, testTimeoutMs);

  it('stops nothing Swagger UI does at /docs', async () => {
    const { page, violations } = await watchedPage();
    const response = await page.goto('/docs/');
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    // Swagger UI has read the OpenAPI document once it lists the operations.
    await page.getByText('Outlay API').first().waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(await violations()).toEqual([]);
    await page.context().close();
  }, testTimeoutMs);
});
