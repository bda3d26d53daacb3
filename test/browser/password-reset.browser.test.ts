// Forgetting the password in a real browser: the login page's link asks for a reset, the link
// is read from the e-mail a real SMTP server received, and the page it opens sets a new
// password, with which the person logs in. And a refused single sign-on comes back to the
// login page with a message a person can read.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { eventually } from '../../src/test-support/eventually.js';
import { startTestServer } from '../../src/test-support/server.js';
import { startTestSmtpServer, type TestSmtpServer } from '../../src/test-support/smtp-server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn } from './browser.js';

let smtp: TestSmtpServer;
let server: RunningServer;
let browser: Browser;
let tenant: Tenant;

beforeAll(async () => {
  assertWebAppBuilt();
  smtp = await startTestSmtpServer();
  server = await startTestServer({ config: { mail: { smtpUrl: smtp.url, from: 'Outlay <outlay@reset-browser.test>' } } });
  tenant = await createTenant(server, { name: 'Reset Browser Co', adminEmail: 'admin@reset-browser.test' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, locale: 'en-GB', viewport: { width: 1280, height: 900 }, // axe-core is injected as an inline script, which the app's Content-Security-Policy refuses.
    bypassCSP: true });
  return context.newPage();
}

describe('forgot password', () => {
  it('asks for a link on the login page, sets a new password through the e-mailed link, and logs in with it', async () => {
    const person = await addPerson(tenant.client, { email: 'forgetful@reset-browser.test', name: 'Forgetful', roles: ['employee'] });
    const page = await newPage();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password', level: 1 }).waitFor();
    await page.getByLabel('E-mail').fill(person.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText(`If ${person.email} has an account, a link is on its way.`).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    const message = await eventually('the reset e-mail', async () => smtp.received.find((entry) => entry.envelopeTo.includes(person.email) && entry.mail.subject === 'Reset your Outlay password'));
    const link = /Open in Outlay: (\S+)/.exec(message.mail.text ?? '')?.[1];
    expect(link).toMatch(/\/reset-password\//);
    await page.goto(link!);
    await page.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
    await page.getByText('For your account at Reset Browser Co.').waitFor();
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByText('This password is too short.').waitFor();
    await page.getByLabel('New password').fill('my-brand-new-password');
    await page.getByLabel('Repeat the password').fill('my-brand-new-password');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByRole('heading', { name: 'Your password is set', level: 1 }).waitFor();
    expect((await person.client.get('/api/v1/session')).status).toBe(401);

    // The link works once.
    await page.goto(link!);
    await page.getByRole('heading', { name: 'This link cannot be used', level: 1 }).waitFor();
    await page.getByText('This password reset link was used already.').waitFor();

    await page.goto('/login');
    await logIn(page, person.email, 'my-brand-new-password');
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    expect(testPassword).not.toBe('my-brand-new-password');
  }, 120_000);
});

describe('single sign-on on the login page', () => {
  it('says why a refused single sign-on came back, and starts one with the e-mail address', async () => {
    const page = await newPage();
    // The callback ends on /?ssoError=<code>; without a session the app goes to the login page with it.
    await page.goto('/?ssoError=sso_refused');
    await page.getByRole('heading', { name: 'Log in', level: 1 }).waitFor();
    await page.getByRole('alert').getByText('Your company\'s sign-in service did not let you in to Outlay. Ask your admin.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
    await page.getByLabel('Your work e-mail').fill('someone@nowhere-sso.test');
    await page.getByRole('button', { name: 'Continue to your company\'s sign-in' }).click();
    // No company has this domain: the API sends the browser back with sso_not_configured.
    await page.getByText('Single sign-on is not set up for this address. Log in with your password.').waitFor();
    expect(new URL(page.url()).searchParams.get('ssoError')).toBe('sso_not_configured');
  }, 60_000);
});
