// Every page of the web app, as each demo role reaches it through the navigation, on a
// desktop and on a phone, passes axe-core's WCAG 2.1 A and AA rules. The pages are found by
// following the section links, so a page added later is checked without changing this test;
// the admin's list of sections says which pages that must at least be, and on a phone the
// navigation is checked with its menu open too.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOperator } from '../../src/demo/demo-banking.js';
import { demoLogins, demoPassword } from '../../src/demo/seed.js';
import type { RunningServer } from '../../src/server/server.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn, openSectionMenu, phone, type AccessibilityViolation } from './browser.js';

const viewports: [name: string, options: BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 900 } }],
  ['phone', phone],
];
const roles = ['admin', 'bookkeeper', 'employee', 'operator'] as const;
/** Pages load their data after the first paint; axe runs once the page has settled. */
const settleMs = 1_500;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  assertWebAppBuilt();
  // No receipt reading: the demo's receipts would keep pages changing under the check.
  server = await startTestServer({ demo: true, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every section of an admin: the pages the sections brought must all be checked. */
const adminSections = ['/', '/my-cards', '/people', '/cards', '/transactions', '/subscriptions', '/expenses', '/receipts', '/reviews', '/books', '/exports', '/reimbursements', '/wallet', '/settings', '/developers', '/simulator'];

/** The admin's pages under the sections that no section link names: their own expenses, the
 * audit trail, and a filtered list as a shared link opens it. */
const adminPagesBeyondSections = ['/expenses/mine', '/settings/audit', '/transactions?q=a&missingReceipt=true'];

/** The section links the navigation offers, by name and address (on a phone, behind its menu). */
async function sections(page: Page): Promise<{ name: string; href: string }[]> {
  await openSectionMenu(page);
  const links = page.getByRole('navigation', { name: 'Sections' }).getByRole('link');
  await links.first().waitFor();
  const found: { name: string; href: string }[] = [];
  for (const link of await links.all()) {
    const href = await link.getAttribute('href');
    if (href && !found.some((section) => section.href === href)) found.push({ name: (await link.innerText()).trim(), href });
  }
  return found;
}

const describeViolations = (where: string, violations: AccessibilityViolation[]) =>
  violations.map((violation) => `${where}: ${violation.id} (${violation.impact}): ${violation.help} at ${violation.targets.slice(0, 3).join(', ')}`);

describe('accessibility of every page', () => {
  for (const [viewportName, options] of viewports) {
    for (const role of roles) {
      it(`finds nothing on the ${role}'s pages on a ${viewportName}`, async () => {
        const login = role === 'operator' ? { email: demoOperator.email, password: demoPassword } : demoLogins.find((candidate) => candidate.role === role)!;
        const context = await browser.newContext({ ...options, baseURL: server.url, locale: 'en-US' });
        try {
          const page = await context.newPage();
          await logIn(page, login.email, login.password);
          const found: string[] = [];
          const pages = await sections(page);
          expect(pages.length).toBeGreaterThan(0);
          if (role === 'admin') expect(pages.map((section) => section.href)).toEqual(adminSections);
          // The navigation as it is open: on a phone, the menu unfolded over the page.
          found.push(...describeViolations(`${role} ${viewportName} navigation`, await accessibilityViolations(page)));
          const beyond = role === 'admin' ? adminPagesBeyondSections.map((href) => ({ name: href, href })) : [];
          for (const section of [...pages, ...beyond]) {
            await page.goto(section.href);
            await page.getByRole('navigation', { name: 'Sections' }).waitFor();
            await page.waitForTimeout(settleMs);
            found.push(...describeViolations(`${role} ${viewportName} ${section.href}`, await accessibilityViolations(page)));
          }
          expect(found).toEqual([]);
        } finally {
          await context.close();
        }
      }, 180_000);
    }
  }

  it('finds nothing on the login page', async () => {
    const context = await browser.newContext({ baseURL: server.url, locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto('/');
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(describeViolations('login', await accessibilityViolations(page))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
