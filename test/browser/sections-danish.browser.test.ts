// The app's sections in a Danish company, in a real browser whose own language is English:
// once the admin has logged in, the company's locale (da-DK, set through the API) decides the
// language. On a computer and a phone the navigation names every section in Danish, the
// overview reads in Danish (what needs attention, the way to each section, the tab's title),
// no English section name is left, and the pages pass axe-core's WCAG 2.1 A and AA rules.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn, phone } from './browser.js';

/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 120_000;
const companyName = 'Fjord Regnskab ApS';

const viewports: [name: string, options: BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['phone', phone],
];

/** An admin's sections (the test server has the simulator on), by address, in Danish. */
const danishSections: { href: string; name: string }[] = [
  { href: '/', name: 'Overblik' },
  { href: '/people', name: 'Personer' },
  { href: '/cards', name: 'Kort' },
  { href: '/transactions', name: 'Transaktioner' },
  { href: '/subscriptions', name: 'Abonnementer' },
  { href: '/expenses', name: 'Udlæg' },
  { href: '/receipts', name: 'Kvitteringer' },
  { href: '/reviews', name: 'Godkendelse' },
  { href: '/books', name: 'Bogføring' },
  { href: '/exports', name: 'Eksport' },
  { href: '/reimbursements', name: 'Refusioner' },
  { href: '/wallet', name: 'Tegnebog' },
  { href: '/settings', name: 'Indstillinger' },
  { href: '/developers', name: 'Udviklere' },
  { href: '/simulator', name: 'Simulator' },
];
/** The English names the same navigation has in an English company. */
const englishNames = ['Overview', 'People', 'Cards', 'Transactions', 'Subscriptions', 'Expenses', 'Receipts', 'Review', 'Books', 'Export', 'Reimbursements', 'Wallet', 'Settings', 'Developers'];

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer();
  tenant = await createTenant(server, { name: companyName, currency: 'DKK', adminEmail: 'admin@sections-danish.test', adminName: 'Astrid Admin' });
  const changed = await tenant.client.patch('/api/v1/company', { locale: 'da-DK' });
  expect(changed.status, changed.text).toBe(200);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The links of the navigation (unfolded first on a phone), as a person reads them. */
async function danishNavigation(page: Page): Promise<{ name: string; href: string }[]> {
  const nav = page.getByRole('navigation', { name: 'Sektioner' });
  await nav.waitFor();
  const menu = nav.getByRole('button', { name: /^Menu/ });
  if (await menu.isVisible()) {
    // Folded on a phone: the button says where the person is, in Danish too.
    expect((await menu.innerText()).replace(/\s+/g, ' ')).toBe('☰ Menu: Overblik');
    await menu.click();
  }
  const links = nav.getByRole('link');
  await links.first().waitFor();
  const found: { name: string; href: string }[] = [];
  for (const link of await links.all()) found.push({ name: (await link.innerText()).trim(), href: (await link.getAttribute('href')) ?? '' });
  return found;
}

describe('the sections in a Danish company', () => {
  it.each(viewports)('name themselves and the admin’s overview in Danish on a %s, with no accessibility violation', async (_viewport, options) => {
    const context = await browser.newContext({ ...options, baseURL: server.url, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
    const page = await context.newPage();
    // The browser is English, so the login page is too; the session brings the company's language.
    await logIn(page, tenant.adminEmail, testPassword);
    await page.getByRole('heading', { name: companyName, level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('da');

    const sections = await danishNavigation(page);
    expect(sections).toEqual(danishSections);
    expect(sections.map((section) => section.name).filter((name) => englishNames.includes(name))).toEqual([]);
    expect(await page.getByRole('button', { name: 'Log ud' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Outlay forside' }).count()).toBe(1);

    // The overview: its title in the tab, what needs attention and the way to each section.
    expect(await page.title()).toBe(`Overblik · ${companyName} · Outlay`);
    const attention = page.getByRole('region', { name: 'Kræver din opmærksomhed' });
    await attention.getByText('Kigger efter…').waitFor({ state: 'detached' });
    await attention.getByText('Intet venter på dig', { exact: false }).waitFor();
    const company = page.getByRole('region', { name: 'Din virksomhed' });
    await company.getByRole('link', { name: 'Personer', exact: true }).waitFor();
    await company.getByText('Udsted, spær og begræns kort').waitFor();
    expect(await page.getByText(/Needs your attention|Your company|Log out/).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // A section from the navigation: the people page, its heading and table in Danish.
    await page.getByRole('navigation', { name: 'Sektioner' }).getByRole('link', { name: 'Personer', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/people');
    await page.getByRole('heading', { name: 'Personer', level: 1 }).waitFor();
    await page.getByRole('form', { name: 'Invitér en person' }).waitFor();
    expect(await page.title()).toBe(`Personer · ${companyName} · Outlay`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  }, testTimeoutMs);
});
