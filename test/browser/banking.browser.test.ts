// Wallet funding in a real browser: a company's admin reads the payment reference from the
// wallet page's top-up instructions; the platform's operator imports the top-up account's
// CAMT.053 statement through the upload on the statements page, with one credit whose
// message holds that reference (typed as people do, in groups and lower case) and one whose
// message names nobody. The first shows on the company's wallet page as a top-up with the
// new balance; the second waits in the suspense queue until the operator finds the company
// by its reference and assigns it, after which the wallet page shows it too.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addActivePerson } from '../../src/people/people.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { camt053 } from '../../src/test-support/camt053.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, phone } from './browser.js';

// The app formats money and dates in the browser's locale; the contexts pin it.
const locale = 'en-US';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 90_000;

const operator = { email: 'olga@platform-browser.test', name: 'Olga Operator' };
const companyName = 'Fjord Bikes';
const otherCompanyName = 'Harbour Foods';
const statementId = 'TOPUP-ACCOUNT-2026-11-30';
const unknownPayer = 'Hansen Design';

let server: RunningServer;
let browser: Browser;
let company: Tenant;
let other: Tenant;
/** Read off the wallet page by the first test, as the admin would copy it. */
let shownReference = '';

function phoneContext(): Promise<BrowserContext> {
  return browser.newContext({ ...phone, baseURL: server.url, locale });
}

function desktopContext(): Promise<BrowserContext> {
  return browser.newContext({ baseURL: server.url, locale, viewport: { width: 1280, height: 900 } });
}

/** The admin's wallet page, opened afresh from the section navigation. */
async function openWallet(page: Page): Promise<{ wallet: Locator; topUps: Locator }> {
  await openSection(page, 'Overview');
  await openSection(page, 'Wallet');
  await page.getByRole('heading', { name: 'Wallet', level: 1 }).waitFor();
  return { wallet: page.getByRole('region', { name: 'Company wallet' }), topUps: page.getByRole('region', { name: 'Top-ups' }) };
}

async function expectBalance(wallet: Locator, balance: string): Promise<void> {
  await wallet.getByText(balance, { exact: true }).first().waitFor();
  expect(await wallet.innerText()).toContain(`Balance\n${balance}`);
}

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer({ config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  // Operators are people of the platform company, made by `outlay operators create`.
  const platform = await server.database.db.selectFrom('companies').select('id').where('is_platform', '=', true).executeTakeFirstOrThrow();
  await addActivePerson(server.database.db, platform.id, { ...operator, roles: ['operator'], password: testPassword });
  company = await createTenant(server, { name: companyName, currency: 'EUR', adminEmail: 'admin@fjord-bikes.test', adminName: 'Frida Fjord' });
  other = await createTenant(server, { name: otherCompanyName, currency: 'EUR', adminEmail: 'admin@harbour-foods.test' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('wallet funding in the web app', () => {
  it('shows a CAMT.053 credit with the company\'s payment reference as a top-up on its wallet page', async () => {
    const adminContext = await phoneContext();
    const admin = await adminContext.newPage();
    await logIn(admin, company.adminEmail, testPassword);
    const before = await openWallet(admin);
    await expectBalance(before.wallet, '€0.00');
    await before.topUps.getByText('No top-ups yet: send a transfer with your payment reference.').waitFor();
    const instructions = admin.getByRole('region', { name: 'Top up the wallet' });
    await instructions.getByText('DK38 5295 0001 2345 67').waitFor();
    shownReference = await instructions.getByLabel('Payment reference').inputValue();
    expect(shownReference).toMatch(/^RF\d{2}( [0-9A-Z]{1,4})+$/);

    const xml = camt053([
      {
        id: statementId,
        iban: 'DK3852950001234567',
        currency: 'EUR',
        opening: '10000.00',
        date: '2026-11-30',
        entries: [
          { amount: '1234.56', bookingDate: '2026-11-30', remittance: `Wallet ${shownReference.toLowerCase()}`, bankReference: 'BANK-TOPUP-1', counterparty: { name: 'Fjord Bikes ApS', iban: 'DK5000400440116243' } },
          { amount: '300.00', bookingDate: '2026-11-30', remittance: 'For the cards, invoice 2291', bankReference: 'BANK-UNKNOWN-1', counterparty: { name: unknownPayer, iban: 'DK9520000123456789' } },
        ],
      },
    ]);
    const operatorContext = await desktopContext();
    const ops = await operatorContext.newPage();
    await logIn(ops, operator.email, testPassword);
    await ops.getByRole('heading', { name: 'Top-up account' }).waitFor();
    await ops.getByRole('region', { name: 'Suspense', exact: true }).getByText('Nothing waits: every credit found its company.').waitFor();
    const upload = ops.getByRole('region', { name: 'Import a statement' });
    await upload.getByLabel('Statement file').setInputFiles({ name: 'topup-2026-11-30.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    const imported = upload.getByRole('list', { name: 'Imported files' });
    await imported.getByText(`${statementId}: Booked · 1 in suspense · 1 top-up`).waitFor();
    const row = ops.getByRole('region', { name: 'Statements', exact: true }).getByRole('row').filter({ hasText: statementId });
    await row.getByText('Booked', { exact: true }).waitFor();
    expect(await row.innerText()).toContain('€11,534.56');
    await ops.getByRole('region', { name: 'Suspense', exact: true }).getByText('1 credit waits for a company.').waitFor();

    // Importing the same file again changes nothing, and says so.
    await upload.getByLabel('Statement file').setInputFiles({ name: 'topup-2026-11-30.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    await imported.getByText('Imported before, nothing changed.').waitFor();

    // An MT940 file as a bank sends it, with header lines and a balance padded with zeros: read,
    // and what was unusual shown after the import and on the statement's page.
    const mt940 = ['{1:F01BANKDKKKAXXX0000000000}', 'STATEMENT FILE 2026-11-30', ':20:LIBERAL-1', ':25:DK3852950001234567', ':28C:1/1', ':60F:C261130EUR0000000000000000100,00', ':62F:C261130EUR100,00', '-'].join('\r\n');
    await upload.getByLabel('Statement file').setInputFiles({ name: 'liberal.sta', mimeType: 'text/plain', buffer: Buffer.from(mt940) });
    const liberal = imported.getByRole('listitem').filter({ hasText: 'liberal.sta' });
    await liberal.getByText('The reader accepted 2 things in this file that are not as the format says.').click();
    await liberal.getByText('Line 6:').waitFor();
    await liberal.getByRole('link', { name: 'LIBERAL-1' }).click();
    await ops.getByRole('heading', { name: 'LIBERAL-1', level: 1 }).waitFor();
    await ops.getByText('liberal.sta · mt940').waitFor();
    await ops.getByText('The reader accepted 2 things in this file that are not as the format says.').click();
    await ops.getByText(/SWIFT allows 15/).waitFor();

    const after = await openWallet(admin);
    await expectBalance(after.wallet, '€1,234.56');
    const topUp = after.topUps.getByRole('row').filter({ hasText: 'BANK-TOPUP-1' });
    await topUp.waitFor();
    // Dates as the company writes them: a new company's locale is en-GB.
    expect(await topUp.innerText()).toMatch(/30 Nov 2026[\s\S]*€1,234\.56/);
    expect(await after.topUps.getByRole('row').filter({ hasText: 'BANK-UNKNOWN-1' }).count()).toBe(0);
    expect((await other.client.get('/api/v1/wallet')).body.balance.amount).toBe('0.00');
    await operatorContext.close();
    await adminContext.close();
  }, testTimeoutMs);

  it('lets the operator give a credit in suspense to the company, which then sees it on its wallet page', async () => {
    expect(shownReference, 'the first test read the payment reference').not.toBe('');
    const operatorContext = await phoneContext();
    const ops = await operatorContext.newPage();
    await logIn(ops, operator.email, testPassword);
    await openSection(ops, 'Suspense');
    const credit = ops.getByRole('list', { name: 'Credits in suspense' }).getByRole('article', { name: `€300.00 from ${unknownPayer}` });
    await credit.getByText('“For the cards, invoice 2291”').waitFor();
    await credit.getByRole('button', { name: 'Assign to company' }).click();

    // Found by its reference as an operator types it off a phone call: no spaces, lower case.
    const form = ops.getByRole('form', { name: `Assign €300.00 from ${unknownPayer}` });
    await form.getByRole('radio', { name: new RegExp(otherCompanyName) }).waitFor();
    await form.getByLabel('Find company').fill(shownReference.replaceAll(' ', '').toLowerCase());
    await form.getByRole('radio', { name: new RegExp(otherCompanyName) }).waitFor({ state: 'detached' });
    await form.getByRole('radio', { name: new RegExp(companyName) }).check();
    await form.getByRole('button', { name: `Assign to ${companyName}` }).click();

    await ops.getByRole('list', { name: 'Decided just now' }).getByText(`€300.00 from ${unknownPayer} assigned to ${companyName}: booked as its top-up.`).waitFor();
    await credit.waitFor({ state: 'detached' });
    await ops.getByText('Nothing waits in suspense.').waitFor();
    await openSection(ops, 'Statements');
    await ops.getByRole('region', { name: 'Suspense', exact: true }).getByText('Nothing waits: every credit found its company.').waitFor();
    await operatorContext.close();

    const adminContext = await desktopContext();
    const admin = await adminContext.newPage();
    await logIn(admin, company.adminEmail, testPassword);
    const { wallet, topUps } = await openWallet(admin);
    await expectBalance(wallet, '€1,534.56');
    const assigned = topUps.getByRole('row').filter({ hasText: 'BANK-UNKNOWN-1' });
    await assigned.waitFor();
    expect(await assigned.innerText()).toMatch(/30 Nov 2026[\s\S]*€300\.00/);
    await topUps.getByRole('row').filter({ hasText: 'BANK-TOPUP-1' }).waitFor();
    expect((await other.client.get('/api/v1/wallet')).body.balance.amount).toBe('0.00');
    await adminContext.close();
  }, testTimeoutMs);
});
