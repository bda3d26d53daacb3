// SAML single sign-on set up by an admin in a real browser: the protocol chosen, Outlay's
// entity ID, ACS URL and metadata URL shown to give the identity provider, the provider's
// sign-in URL, entity ID and signing certificate (pasted as PEM) saved with the role mapping
// and the adding of people, the saved settings read back from the API, saved again without
// pasting the certificate, and removed.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { makeSigningKey } from '../../src/test-support/saml-idp.js';
import { startTestServer } from '../../src/test-support/server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn, openSection } from './browser.js';

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'SAML Browser Co', adminEmail: 'admin@saml-browser.test' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  // axe-core is injected as an inline script, which the app's Content-Security-Policy refuses.
  const context = await browser.newContext({ baseURL: server.url, locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
  return context.newPage();
}

const savedSso = async () => (await tenant.client.get('/api/v1/sso')).body;

describe('SAML single sign-on settings', () => {
  it('shows what to give the provider, saves the provider with its certificate and role mapping as the API then tells, keeps the certificate when saved again, and removes it', async () => {
    const key = makeSigningKey('Browser Test IdP');
    const page = await newPage();
    await logIn(page, tenant.adminEmail, testPassword);
    await openSection(page, 'Settings');
    const section = page.getByRole('region', { name: 'Single sign-on' });
    await section.getByRole('radio', { name: 'SAML 2.0' }).check();

    const metadataUrl = `${server.url}/api/v1/sso/saml/metadata/${tenant.company.id}`;
    expect(await section.getByLabel('Outlay\'s entity ID (SP entity ID, audience)').inputValue()).toBe(metadataUrl);
    expect(await section.getByLabel('Assertion consumer service URL (ACS, HTTP-POST)').inputValue()).toBe(`${server.url}/api/v1/sso/saml/acs`);
    expect(await section.getByLabel('Outlay\'s SAML metadata URL').inputValue()).toBe(metadataUrl);

    const provider = section.getByRole('form', { name: 'SAML identity provider' });
    await provider.getByLabel('Sign-in URL of the provider (SSO URL)').fill('https://idp.saml-browser.test/sso');
    await provider.getByLabel('Entity ID of the provider (issuer)').fill('https://idp.saml-browser.test/metadata');
    await provider.getByLabel('Signing certificate of the provider (PEM)').fill(key.certificate);
    await provider.getByLabel('Name attribute').fill('displayName');
    await provider.getByLabel('Add people of a verified domain on their first sign-in').check();
    await provider.getByLabel('Role attribute').fill('groups');
    await provider.getByLabel('Attribute values and their roles').fill('finance = bookkeeper\nstaff = employee');
    await provider.getByRole('button', { name: 'Save' }).click();
    await provider.getByText('The identity provider is saved.').waitFor();

    const saved = await savedSso();
    expect(saved.connection).toMatchObject({
      protocol: 'saml',
      issuer: 'https://idp.saml-browser.test/metadata',
      provisionPeople: true,
      defaultRoles: ['employee'],
      roleClaim: 'groups',
      roleMap: { finance: 'bookkeeper', staff: 'employee' },
      enabled: true,
      saml: { ssoUrl: 'https://idp.saml-browser.test/sso', idpEntityId: 'https://idp.saml-browser.test/metadata', spEntityId: metadataUrl, emailAttribute: null, nameAttribute: 'displayName', metadataUrl },
    });
    expect(saved.connection.saml.certificates.map((certificate: { subject: string }) => certificate.subject)).toEqual(['CN=Browser Test IdP']);
    await provider.getByText(/Saved: CN=Browser Test IdP, valid until/).waitFor();
    expect(await section.getByRole('link', { name: 'Open Outlay\'s SAML metadata' }).getAttribute('href')).toBe(metadataUrl);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Opened again, the page shows SAML as saved; a changed mapping is saved without the PEM again.
    await page.reload();
    const again = page.getByRole('region', { name: 'Single sign-on' });
    expect(await again.getByRole('radio', { name: 'SAML 2.0' }).isChecked()).toBe(true);
    const form = again.getByRole('form', { name: 'SAML identity provider' });
    expect(await form.getByLabel('Sign-in URL of the provider (SSO URL)').inputValue()).toBe('https://idp.saml-browser.test/sso');
    expect(await form.getByLabel('Signing certificate of the provider (PEM)').inputValue()).toBe('');
    await form.getByLabel('Attribute values and their roles').fill('finance = admin');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('The identity provider is saved.').waitFor();
    const resaved = await savedSso();
    expect(resaved.connection.roleMap).toEqual({ finance: 'admin' });
    expect(resaved.connection.saml.certificates.map((certificate: { subject: string }) => certificate.subject)).toEqual(['CN=Browser Test IdP']);

    await again.getByRole('button', { name: 'Remove single sign-on' }).click();
    await again.getByRole('group', { name: 'Remove the identity provider?' }).getByRole('button', { name: 'Remove', exact: true }).click();
    await again.getByRole('button', { name: 'Remove single sign-on' }).waitFor({ state: 'detached' });
    expect((await savedSso()).connection).toBeNull();
  }, 120_000);
});
