// A person's own account in a real browser, on a computer and a phone: the page lists where
// they are signed in, ends another session, and changes the password only with the current
// one, after which the other sessions have ended.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, signIn, testPassword, createTenant, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn, phone } from './browser.js';

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
  tenant = await createTenant(server, { name: 'Account Browser Co', adminEmail: 'admin@account-browser.test' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signedIn(email: string, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: server.url, locale: 'en-GB' });
  const page = await context.newPage();
  await logIn(page, email, testPassword);
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  return page;
}

describe('account page', () => {
  it.each(viewports)('lists the sessions, ends another one, and changes the password (%s)', async (viewport, options) => {
    const person = await addPerson(tenant.client, { email: `owner-${viewport}@account-browser.test`, name: `Owner ${viewport}`, roles: ['employee'] });
    const page = await signedIn(person.email, options);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    const sessions = page.getByRole('region', { name: 'Where you are signed in' });
    // The invitation's session and the browser's own.
    await expect.poll(() => sessions.getByRole('row').count()).toBe(3);
    await sessions.getByText('This browser').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await sessions.getByRole('button', { name: /^Sign out (?!everywhere)/ }).first().click();
    await sessions.getByRole('button', { name: 'Yes, sign out' }).click();
    await expect.poll(() => sessions.getByRole('row').count()).toBe(2);
    expect((await person.client.get('/api/v1/session')).status).toBe(401);

    const other = await signIn(server.app, person.email, testPassword);
    const form = page.getByRole('form', { name: 'Password' });
    await form.getByLabel('Current password').fill('not-my-password');
    await form.getByLabel('New password').fill('a-brand-new-passphrase');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText(/Log in again to confirm it is you/).waitFor();
    await form.getByLabel('Current password').fill(testPassword);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Your password is changed, and your other sessions have ended.').waitFor();
    expect((await other.get('/api/v1/session')).status).toBe(401);
    await signIn(server.app, person.email, 'a-brand-new-passphrase');
  }, testTimeoutMs);
});
