// The invitation round trip in a real browser: an admin invites a person, the person accepts
// the invitation link in their own browser, and the admin then sees them as active.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/seed.js';
import { startTestServer } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser } from './browser.js';

interface Money {
  amount: string;
  currency: string;
}

// The app formats with the browser's locale; the contexts pin it so expected text is stable.
const locale = 'en-US';

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

describe('inviting a person from the admin dashboard', () => {
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

    // The dashboard shows the wallet balance the API reports, formatted as money.
    const walletCard = adminPage.getByRole('region', { name: 'Company wallet' });
    await walletCard.getByText('Balance').waitFor();
    const walletResponse = await adminContext.request.get('/api/v1/wallet');
    expect(walletResponse.status()).toBe(200);
    const wallet = (await walletResponse.json()) as { balance: Money };
    const balanceText = new Intl.NumberFormat(locale, { style: 'currency', currency: wallet.balance.currency }).format(
      wallet.balance.amount as Intl.StringNumericLiteral,
    );
    await walletCard.getByText(balanceText, { exact: true }).first().waitFor();
    expect(await walletCard.innerText()).toContain(`Balance\n${balanceText}`);
    const companyName = await adminPage.getByRole('heading', { level: 1 }).textContent();
    expect(companyName).toBeTruthy();

    const inviteForm = adminPage.getByRole('region', { name: 'Invite a person' });
    await inviteForm.getByLabel('E-mail').fill(inviteeEmail);
    await inviteForm.getByLabel('Name').fill(inviteeName);
    await inviteForm.getByLabel('Employee').check();
    await inviteForm.getByRole('button', { name: 'Invite' }).click();

    const inviteLinkInput = inviteForm.getByLabel('Invite link');
    await inviteLinkInput.waitFor();
    const inviteLink = await inviteLinkInput.inputValue();
    expect(inviteLink).toMatch(/\/invite\/[^/]+$/);

    const peopleTable = adminPage.getByRole('region', { name: 'People' });
    const inviteeRow = peopleTable.getByRole('row').filter({ hasText: inviteeEmail });
    await inviteeRow.getByText('Invited', { exact: true }).waitFor();
    expect(await inviteeRow.textContent()).toContain(inviteeName);

    // The invited person opens the link in a browser of their own.
    const inviteeContext = await browser.newContext({ locale });
    const inviteePage = await inviteeContext.newPage();
    await inviteePage.goto(inviteLink);
    await inviteePage.getByRole('heading', { name: `Join ${companyName}` }).waitFor();
    await inviteePage.getByText(inviteeEmail).waitFor();
    const password = `correct horse ${randomUUID()}`;
    await inviteePage.getByLabel('Choose a password').fill(password);
    await inviteePage.getByLabel('Repeat the password').fill(password);
    await inviteePage.getByRole('button', { name: 'Accept invitation' }).click();

    const myPage = inviteePage.getByRole('region', { name: 'My page' });
    await myPage.waitFor();
    expect(new URL(inviteePage.url()).pathname).toBe('/');
    const myPageText = await myPage.textContent();
    expect(myPageText).toContain(inviteeName);
    expect(myPageText).toContain(inviteeEmail);
    expect(myPageText).toContain('Employee');
    expect(myPageText).toContain(companyName);
    await inviteePage.getByRole('button', { name: 'Log out' }).waitFor();

    await adminPage.reload();
    await inviteeRow.getByText('Active', { exact: true }).waitFor();

    await inviteeContext.close();
    await adminContext.close();
  });
});
