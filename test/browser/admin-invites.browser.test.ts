// The invitation round trip in a real browser: an admin invites a person, the person accepts
// the invitation link in a browser of their own, and the admin then sees them as active.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/seed.js';
import { startTestServer } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection } from './browser.js';

// The app formats money and dates in the browser's locale; the contexts pin it.
const locale = 'en-US';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 60_000;

interface Money {
  amount: string;
  currency: string;
}

/** Waits for the wallet card to show the balance the API reports, formatted as money. */
async function expectWalletBalance(context: BrowserContext, page: Page): Promise<void> {
  const walletCard = page.getByRole('region', { name: 'Company wallet' });
  await walletCard.getByText('Balance', { exact: true }).waitFor();
  const response = await context.request.get('/api/v1/wallet');
  expect(response.status()).toBe(200);
  const { balance } = (await response.json()) as { balance: Money };
  const balanceText = new Intl.NumberFormat(locale, { style: 'currency', currency: balance.currency }).format(
    balance.amount as Intl.StringNumericLiteral,
  );
  await walletCard.getByText(balanceText, { exact: true }).first().waitFor();
  expect(await walletCard.innerText()).toContain(`Balance\n${balanceText}`);
}

/** Fills in the People page's invite form and returns the invite link it then shows. */
async function invite(page: Page, email: string, name: string): Promise<string> {
  const inviteForm = page.getByRole('region', { name: 'Invite a person' });
  await inviteForm.getByLabel('E-mail').fill(email);
  await inviteForm.getByLabel('Name').fill(name);
  await inviteForm.getByLabel('Employee').check();
  await inviteForm.getByRole('button', { name: 'Invite' }).click();
  const inviteLink = inviteForm.getByLabel('Invite link');
  await inviteLink.waitFor();
  return inviteLink.inputValue();
}

async function acceptInvitation(page: Page, inviteLink: string, companyName: string, email: string): Promise<void> {
  await page.goto(inviteLink);
  await page.getByRole('heading', { name: `Join ${companyName}` }).waitFor();
  await page.getByText(email).waitFor();
  const password = `correct horse ${randomUUID()}`;
  await page.getByLabel('Choose a password').fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Accept invitation' }).click();
}

describe('inviting a person from the admin’s People page', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    assertWebAppBuilt();
    server = await startTestServer({ demo: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the invite link, and the invited person becomes active after accepting it', async () => {
    const admin = demoLogins.find((login) => login.role === 'admin');
    if (!admin || !server || !browser) throw new Error('the demo admin, server and browser are needed');
    const inviteeEmail = `invitee-${randomUUID().slice(0, 8)}@example.test`;
    const inviteeName = 'Grace Hopper';

    const adminContext = await browser.newContext({ baseURL: server.url, locale });
    const adminPage = await adminContext.newPage();
    await logIn(adminPage, admin.email, admin.password);
    await expectWalletBalance(adminContext, adminPage);
    const companyName = await adminPage.getByRole('heading', { level: 1 }).textContent();
    if (!companyName) throw new Error('the overview has no company name heading');
    await openSection(adminPage, 'People');

    const inviteLink = await invite(adminPage, inviteeEmail, inviteeName);
    expect(inviteLink).toMatch(/\/invite\/[^/]+$/);
    const inviteeRow = adminPage.getByRole('region', { name: 'People' }).getByRole('row').filter({ hasText: inviteeEmail });
    await inviteeRow.getByText('Invited', { exact: true }).waitFor();
    expect(await inviteeRow.textContent()).toContain(inviteeName);

    // A fresh context: the invited person's own browser, without the admin's cookie.
    const inviteeContext = await browser.newContext({ locale });
    const inviteePage = await inviteeContext.newPage();
    await acceptInvitation(inviteePage, inviteLink, companyName, inviteeEmail);

    const myPage = inviteePage.getByRole('region', { name: 'My page' });
    await myPage.waitFor();
    expect(new URL(inviteePage.url()).pathname).toBe('/');
    const myPageText = await myPage.innerText();
    for (const shown of [inviteeName, inviteeEmail, 'Employee', companyName]) expect(myPageText).toContain(shown);
    await inviteePage.getByRole('button', { name: 'Log out' }).waitFor();

    await adminPage.reload();
    await inviteeRow.getByText('Active', { exact: true }).waitFor();

    await inviteeContext.close();
    await adminContext.close();
  }, testTimeoutMs);
});
