// Two-step sign-in in a real browser: an admin turns on the company's rule, is then left with
// nothing but setting up an authenticator, types the key's code (computed by otplib, as the app
// on a phone would), sees the recovery codes once, and the next sign-in asks for a code, a
// wrong one refused.
import { authenticator } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { startTestServer } from '../../src/test-support/server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn, openSection } from './browser.js';

const testTimeoutMs = 120_000;
// The server's clock starts at the real time (cookies expire by the browser's clock) and is
// moved a step on between codes, so that each code is a new one.
const clock = new ManualClock(new Date());
let server: RunningServer;
let browser: Browser;
let tenant: Tenant;

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer({ clock });
  tenant = await createTenant(server, { name: 'Two Step Co', adminEmail: 'admin@two-step.test' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const codeNow = (secret: string) => authenticator.clone({ epoch: clock.now().getTime() }).generate(secret);

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, locale: 'en-GB', viewport: { width: 1280, height: 900 }, // axe-core is injected as a script the page's policy would refuse.
    bypassCSP: true });
  return context.newPage();
}

describe('two-step sign-in', () => {
  it('is required by the company, set up from the only page left, and asked for at the next sign-in', async () => {
    const page = await newPage();
    await logIn(page, tenant.adminEmail, testPassword);
    await openSection(page, 'Settings');
    const company = page.getByRole('form', { name: 'Company' });
    await company.getByLabel('Admins and bookkeepers must use two-step sign-in').check();
    await company.getByRole('button', { name: 'Save company' }).click();

    // Saving fetches the session again: the admin may now only set it up.
    const section = page.getByRole('region', { name: 'Two-step sign-in' });
    await section.getByText('Your company requires two-step sign-in for your role.').waitFor();
    expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
    await section.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    const secret = await section.getByLabel('Key', { exact: true }).inputValue();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await section.getByRole('link', { name: 'Open in authenticator app' }).getAttribute('href')).toContain(`secret=${secret}`);
    await section.getByLabel('Code from the app').fill(codeNow(secret));
    await section.getByRole('button', { name: 'Turn on' }).click();
    const codes = section.getByRole('list', { name: 'Your recovery codes' });
    await expect.poll(() => codes.getByRole('listitem').count()).toBe(10);
    expect(await accessibilityViolations(page)).toEqual([]);
    await section.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();

    clock.advance(30_000);
    const next = await newPage();
    await logIn(next, tenant.adminEmail, testPassword);
    const code = next.getByLabel('Code', { exact: true });
    await code.waitFor();
    await code.fill(codeNow(secret) === '000000' ? '111111' : '000000');
    await next.getByRole('button', { name: 'Verify' }).click();
    await next.getByText(/That code is wrong or was used already/).waitFor();
    expect(await accessibilityViolations(next)).toEqual([]);
    await code.fill(codeNow(secret));
    await next.getByRole('button', { name: 'Verify' }).click();
    await next.getByRole('navigation', { name: 'Sections' }).waitFor();
  }, testTimeoutMs);
});
