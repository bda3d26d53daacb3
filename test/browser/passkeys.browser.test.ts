// Passkeys in a real browser: Chromium's virtual authenticator (the DevTools protocol's
// WebAuthn domain: CTAP2, built in, resident keys, user verification) stands in for a
// fingerprint reader. A person adds a passkey from the two-step section (which also shows the
// authenticator app's QR code), logs out, signs in again with the passkey as the second
// factor, and reveals their card's number with it. WebAuthn needs a secure context and a domain as RP ID: the server's public URL is
// http://localhost:<port>, which browsers treat as secure, rather than the 127.0.0.1 address.
import { createServer } from 'node:net';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { accessibilityViolations, assertWebAppBuilt, launchBrowser, logIn } from './browser.js';

const testTimeoutMs = 120_000;
let server: RunningServer;
let browser: Browser;
let tenant: Tenant;
let publicUrl: string;

/** A loopback port free now, so that the public URL can name it before the server listens. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

beforeAll(async () => {
  assertWebAppBuilt();
  const port = await freePort();
  publicUrl = `http://localhost:${port}`;
  server = await startTestServer({ config: { host: '127.0.0.1', port, publicUrl } });
  tenant = await createTenant(server, { name: 'Passkey Co', adminEmail: 'admin@passkey.test' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page whose browser has a platform authenticator that verifies its user at once. */
async function pageWithAuthenticator(): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
  // axe-core is injected as a script the page's policy would refuse.
  const context = await browser.newContext({ baseURL: publicUrl, locale: 'en-GB', viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { page, cdp, authenticatorId };
}

describe('passkeys', () => {
  it('are added in the two-step section, then sign the person in as the second factor and confirm a card reveal', async () => {
    const person = await addPerson(tenant.client, { email: 'pat@passkey.test', name: 'Pat Passkey', roles: ['employee'] });
    const card = await tenant.client.post('/api/v1/cards', { userId: person.id, kind: 'virtual' });
    expect(card.status, card.text).toBe(201);
    const { page, cdp, authenticatorId } = await pageWithAuthenticator();
    await logIn(page, person.email, testPassword);
    await page.getByRole('link', { name: 'Account' }).click();
    const section = page.getByRole('region', { name: 'Two-step sign-in' });
    await section.getByText('You have no passkeys yet.').waitFor();

    // The authenticator app's enrolment shows a QR code beside the key to type in.
    await section.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    const qrCode = section.getByRole('img', { name: 'QR code to scan with your authenticator app' });
    await qrCode.waitFor();
    expect(await qrCode.locator('path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    expect(await section.getByLabel('Key', { exact: true }).inputValue()).toMatch(/^[A-Z2-7]{32}$/);

    await section.getByLabel('Name of the new passkey').fill('Test laptop');
    await section.getByRole('button', { name: 'Add a passkey' }).click();
    const list = section.getByRole('list', { name: 'Passkeys' });
    await list.getByText('Test laptop').waitFor();
    await list.getByText('not used yet').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.rpId).toBe('localhost');

    await page.getByRole('button', { name: 'Log out' }).click();
    await logIn(page, person.email, testPassword);
    await page.getByLabel('Code', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();

    const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(after.credentials[0]!.signCount).toBeGreaterThan(credentials[0]!.signCount);

    // Revealing the number asks for a second factor after the password: the passkey answers.
    const myCard = page.getByRole('region', { name: 'My cards' }).getByRole('article').filter({ hasText: card.body.last4 });
    await myCard.getByRole('button', { name: 'Reveal number' }).click();
    await myCard.getByLabel('Your password').fill(testPassword);
    await myCard.getByRole('button', { name: 'Show number' }).click();
    await myCard.getByRole('button', { name: 'Use a passkey' }).click();
    await myCard.getByText(new RegExp(`\\d{4} \\d{4} \\d{4} ${card.body.last4}`)).waitFor();

    const used = await server.database.db.selectFrom('audit_events').select('details').where('subject_id', '=', person.id).where('action', '=', 'person.passkey_used').orderBy('id').execute();
    expect(used.map((event) => event.details)).toEqual([expect.objectContaining({ purpose: 'sign_in' }), expect.objectContaining({ purpose: 'confirmation' })]);
  }, testTimeoutMs);
});
