// The web app by role and section, in a real browser on a computer (1280×800) and a phone
// (390×844): each role's navigation offers the sections it should, every section opens from
// its link and from its address, names itself in the tab, and nothing on it is wider than
// the screen. The admin's overview is short, the simulator has a page of its own and the
// real transactions list has no simulator buttons.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOperator } from '../../src/demo/demo-banking.js';
import { demoLogins, demoPassword } from '../../src/demo/seed.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, signIn, testPassword } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, openSectionMenu, phone } from './browser.js';

const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const viewports: [name: string, options: BrowserContextOptions][] = [
  ['desktop', desktop],
  ['phone', phone],
];
/** The admin's home was one page 5,441 px long on a computer before it had sections. */
const overviewHeightMaxPx = 2_000;
const testTimeoutMs = 240_000;

const expectedSections = {
  admin: ['Overview', 'My cards', 'People', 'Cards', 'Transactions', 'Subscriptions', 'Expenses', 'Receipts', 'Review', 'Books', 'Export', 'Reimbursements', 'Wallet', 'Settings', 'Developers', 'Simulator'],
  bookkeeper: ['Overview', 'My cards', 'Subscriptions', 'Expenses', 'Receipts', 'Books', 'Export', 'Wallet'],
  employee: ['Home', 'Expenses', 'Receipts'],
  reviewer: ['Home', 'Expenses', 'Receipts', 'Review'],
  operator: ['Statements', 'Suspense', 'Feature flags'],
} as const;
type Role = keyof typeof expectedSections;
/** The demo has no reviewer: one joins it, an employee who also reviews. */
const reviewer = { email: 'rex@demo.outlay.test', name: 'Rex Reviewer' };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  assertWebAppBuilt();
  // No receipt reading: pages stay as they are while they are measured.
  server = await startTestServer({ demo: true, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  const admin = demoLogins.find((login) => login.role === 'admin')!;
  await addPerson(await signIn(server.app, admin.email, admin.password), { ...reviewer, roles: ['employee', 'reviewer'] });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function loginOf(role: Role): { email: string; password: string } {
  if (role === 'operator') return { email: demoOperator.email, password: demoPassword };
  if (role === 'reviewer') return { email: reviewer.email, password: testPassword };
  const login = demoLogins.find((candidate) => candidate.role === role);
  if (!login) throw new Error(`the demo has no ${role}`);
  return login;
}

async function sectionLinks(page: Page): Promise<{ name: string; href: string }[]> {
  await openSectionMenu(page);
  const links = page.getByRole('navigation', { name: 'Sections' }).getByRole('link');
  await links.first().waitFor();
  const found: { name: string; href: string }[] = [];
  for (const link of await links.all()) found.push({ name: (await link.innerText()).trim(), href: (await link.getAttribute('href')) ?? '' });
  return found;
}

/** Runs `use` on a fresh page of a browser context of its own, the role logged in. */
async function asRole(role: Role, options: BrowserContextOptions, use: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ ...options, baseURL: server.url, locale: 'en-US' });
  try {
    const page = await context.newPage();
    const login = loginOf(role);
    await logIn(page, login.email, login.password);
    await use(page);
  } finally {
    await context.close();
  }
}

/** What sticks out of the screen sideways: the page's own width, and any control whose
 * right edge is beyond the viewport or beyond the card it is in. Runs in the page (the tests have no DOM types). */
const overflowScript = `(() => {
  const found = [];
  const { scrollWidth } = document.documentElement;
  if (scrollWidth > window.innerWidth) found.push('the page is ' + scrollWidth + ' px wide in a ' + window.innerWidth + ' px window');
  for (const element of document.querySelectorAll('button, input, select, textarea, a.button-link')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const name = (element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 40);
    if (box.right > window.innerWidth + 0.5) found.push(element.tagName.toLowerCase() + ' "' + name + '" ends at ' + Math.round(box.right) + ' px');
    const card = element.closest('.card');
    if (card && box.right > card.getBoundingClientRect().right + 0.5) found.push(element.tagName.toLowerCase() + ' "' + name + '" sticks out of its card');
  }
  return found;
})()`;

async function overflow(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(overflowScript);
}

/** Waits until the page has its heading and nothing says it is still loading. */
async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.getByText(/^Loading/).first().waitFor({ state: 'detached' });
}

describe('sections of each role', () => {
  for (const [viewportName, options] of viewports) {
    for (const role of Object.keys(expectedSections) as Role[]) {
      it(`opens every section of the ${role} by its link and by its address on a ${viewportName}, nothing wider than the screen`, async () => {
        await asRole(role, options, async (page) => {
          const sections = await sectionLinks(page);
          expect(sections.map((section) => section.name)).toEqual(expectedSections[role]);
          const problems: string[] = [];
          for (const section of sections) {
            await openSection(page, section.name);
            await page.waitForURL((url) => url.pathname === section.href);
            await settled(page);
            const byLink = await page.locator('h1').first().innerText();
            // Each page names itself in the tab: "Transactions · Nordlys Studio · Outlay".
            const title = await page.title();
            expect(title).toMatch(/ · Outlay$/);
            expect(title.toLowerCase()).toContain(section.name.toLowerCase());
            problems.push(...(await overflow(page)).map((problem) => `${section.href} (link): ${problem}`));

            await page.goto(section.href);
            await settled(page);
            expect(await page.locator('h1').first().innerText()).toBe(byLink);
            expect(await page.getByRole('heading', { name: 'Not part of your role' }).count()).toBe(0);
            problems.push(...(await overflow(page)).map((problem) => `${section.href} (address): ${problem}`));
          }
          expect(problems).toEqual([]);
        });
      }, testTimeoutMs);
    }
  }

  it('keeps the admin’s overview short on a computer, with the wallet, what needs attention and the way to each section', async () => {
    await asRole('admin', desktop, async (page) => {
      await page.getByRole('region', { name: 'Company wallet' }).getByText('Balance', { exact: true }).waitFor();
      await page.getByRole('region', { name: 'Needs your attention' }).getByText('Looking…').waitFor({ state: 'detached' });
      const height = await page.evaluate<number>('document.documentElement.scrollHeight');
      expect(height).toBeLessThan(overviewHeightMaxPx);
      // The demo's purchases without a receipt are there to chase, with a way to them.
      const attention = page.getByRole('region', { name: 'Needs your attention' });
      expect(await attention.innerText()).toMatch(/receipts? (is|are) missing/);
      await attention.getByRole('link', { name: 'See who owes which' }).click();
      await page.waitForURL((url) => url.pathname === '/receipts');
      await page.getByRole('region', { name: 'Who owes receipts' }).waitFor();
    });
  }, testTimeoutMs);

  it('shows the bookkeeper people’s names and accounts in words, never internal ids', async () => {
    await asRole('bookkeeper', phone, async (page) => {
      const accounts = page.getByRole('region', { name: 'Ledger accounts' });
      // The demo reimburses Emma and owes Felix: their accounts carry their names.
      await accounts.getByText('Owed to Emma Nørgaard').waitFor();
      await accounts.getByText('Owed to Felix Braun').waitFor();
      const entries = page.getByRole('region', { name: 'Recent journal entries' });
      await entries.getByText('Owed to Felix Braun').first().waitFor();
      const shown = await page.locator('main').innerText();
      expect(shown).not.toMatch(/\b(usr|exp|pay)_[0-9A-Za-z]{20,}/);
      expect(shown).not.toContain('payable:');
      expect(shown).not.toContain('expense_owed');
    });
  }, testTimeoutMs);

  it('says a section is not for the role when an employee opens an admin’s address', async () => {
    await asRole('employee', desktop, async (page) => {
      await page.getByRole('navigation', { name: 'Sections' }).waitFor();
      for (const path of ['/people', '/cards', '/settings', '/developers', '/simulator']) {
        await page.goto(path);
        await page.getByRole('heading', { name: 'Not part of your role' }).waitFor();
      }
    });
  }, testTimeoutMs);
});
