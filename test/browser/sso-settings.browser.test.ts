// Single sign-on set up by an admin in a real browser, against a real OpenID Connect provider
// and DNS server: the provider saved with its secret (never shown again), a domain added and
// verified by its TXT record, and then a person of that domain signs in from the login page's
// single sign-on button.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { startTestDnsServer, type TestDnsServer } from '../../src/test-support/dns-server.js';
import { startTestOidcProvider, type TestOidcProvider } from '../../src/test-support/oidc-provider.js';
import { startTestServer } from '../../src/test-support/server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn, openSection } from './browser.js';

let dns: TestDnsServer;
let idp: TestOidcProvider;
let server: RunningServer;
let browser: Browser;
let tenant: Tenant;

beforeAll(async () => {
  assertWebAppBuilt();
  dns = await startTestDnsServer();
  server = await startTestServer({ config: { dnsServers: [dns.address] } });
  idp = await startTestOidcProvider(() => `${server.url}/api/v1/sso/callback`);
  tenant = await createTenant(server, { name: 'SSO Browser Co', adminEmail: 'admin@sso-browser.test' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await idp?.close();
  await dns?.close();
});

async function newPage(): Promise<Page> {
  // axe-core is injected as an inline script, which the app's Content-Security-Policy refuses.
  const context = await browser.newContext({ baseURL: server.url, locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
  return context.newPage();
}

describe('single sign-on settings', () => {
  it('saves the provider, verifies a domain by its TXT record, and lets a person of it sign in from the login page', async () => {
    const page = await newPage();
    await logIn(page, tenant.adminEmail, testPassword);
    await openSection(page, 'Settings');
    const section = page.getByRole('region', { name: 'Single sign-on' });
    await section.getByLabel('Callback URL to register with the provider').waitFor();
    expect(await section.getByLabel('Callback URL to register with the provider').inputValue()).toBe(`${server.url}/api/v1/sso/callback`);

    const provider = section.getByRole('form', { name: 'Identity provider' });
    await provider.getByLabel('Issuer URL').fill(idp.issuer);
    await provider.getByLabel('Client ID').fill(idp.clientId);
    await provider.getByLabel('Client secret').fill(idp.clientSecret);
    await provider.getByLabel('Claim values and their roles').fill('finance = nonsense');
    await provider.getByRole('button', { name: 'Save' }).click();
    await provider.getByText('"finance = nonsense" is not of the form value = role.').waitFor();
    await provider.getByLabel('Claim values and their roles').fill('finance = bookkeeper');
    await provider.getByRole('button', { name: 'Save' }).click();
    await provider.getByText('The identity provider is saved.').waitFor();
    expect(await provider.getByLabel('Client secret').inputValue()).toBe('');
    expect(await page.content()).not.toContain(idp.clientSecret);

    const domains = section.getByRole('form', { name: 'Add domain' });
    await domains.getByLabel('Domain').fill('sso-browser.test');
    await domains.getByRole('button', { name: 'Add domain' }).click();
    const item = section.getByRole('listitem', { name: 'sso-browser.test' });
    await item.getByText('Not verified').waitFor();
    const recordName = await item.getByLabel('TXT record name').inputValue();
    const recordValue = await item.getByLabel('TXT record value').inputValue();
    expect(recordName).toBe('_outlay-verification.sso-browser.test');
    expect(await accessibilityViolations(page)).toEqual([]);
    dns.setTxt(recordName, [recordValue]);
    await item.getByRole('button', { name: 'Verify' }).click();
    await item.getByText(/^Verified /).waitFor();

    const person = await addPerson(tenant.client, { email: 'sam@sso-browser.test', name: 'Sam', roles: ['employee'] });
    idp.signInAs({ sub: 'sam-1', email: person.email, email_verified: true, name: 'Sam' });
    const other = await newPage();
    await other.goto('/login');
    await other.getByRole('button', { name: 'Sign in with single sign-on' }).click();
    await other.getByLabel('Your work e-mail').fill(person.email);
    await other.getByRole('button', { name: 'Continue to your company\'s sign-in' }).click();
    await other.getByRole('navigation', { name: 'Sections' }).waitFor();
  }, 120_000);
});
