// Cards end to end in a real browser: an admin issues a card with a monthly limit through the
// dashboard, the card network authorizes one purchase within the limit and declines one
// over it, the cardholder sees the first as pending, and the admin sees the decline's reason.
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/seed.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection } from './browser.js';

// The app formats money and dates in the browser's locale; the contexts pin it.
const locale = 'en-US';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 90_000;
const cardholderName = 'Emma Nørgaard';

interface CardJson {
  id: string;
  userId: string;
  kind: string;
  last4: string;
}

function demoLogin(role: string) {
  const login = demoLogins.find((candidate) => candidate.role === role && (role !== 'employee' || candidate.name === cardholderName));
  if (!login) throw new Error(`the demo has no ${role} login`);
  return login;
}

/** Fills in the Cards page's issue form and returns the last four digits it reports. */
async function issueVirtualCard(page: Page, monthlyLimit: string): Promise<string> {
  const form = page.getByRole('region', { name: 'Issue a card' });
  // The people list loads on its own; the holder is selectable once it has.
  await form.getByRole('option', { name: cardholderName }).waitFor({ state: 'attached' });
  await form.getByLabel('Cardholder').selectOption({ label: cardholderName });
  await form.getByLabel('Kind').selectOption('virtual');
  await form.getByLabel('Purpose').fill('Team lunches');
  await form.getByLabel('Monthly limit').fill(monthlyLimit);
  await form.getByRole('button', { name: 'Issue card' }).click();
  const notice = form.getByRole('status');
  await notice.getByText('issued').waitFor();
  const last4 = await notice.locator('strong').textContent();
  if (!last4) throw new Error('the issue notice names no card');
  return last4;
}

describe('cards in the web app', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let browser: Browser | undefined;
  const processorSecret = randomBytes(32);

  beforeAll(async () => {
    assertWebAppBuilt();
    server = await startTestServer({ demo: true, config: { processorSecret } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows an approved purchase as pending to the cardholder and a declined one with its limit reason to the admin', async () => {
    if (!server || !browser) throw new Error('the server and browser are needed');
    const admin = demoLogin('admin');
    const emma = demoLogin('employee');

    const adminContext = await browser.newContext({ baseURL: server.url, locale });
    const adminPage = await adminContext.newPage();
    await logIn(adminPage, admin.email, admin.password);
    await openSection(adminPage, 'Cards');
    const last4 = await issueVirtualCard(adminPage, '50.00');

    const cardsRow = adminPage.getByRole('region', { name: 'Cards' }).getByRole('row').filter({ hasText: `•••• ${last4}` });
    await cardsRow.waitFor();
    expect(await cardsRow.innerText()).toContain(cardholderName);

    const response = await adminContext.request.get('/api/v1/cards');
    expect(response.status()).toBe(200);
    const { items } = (await response.json()) as { items: CardJson[] };
    const card = items.find((candidate) => candidate.last4 === last4 && candidate.kind === 'virtual');
    if (!card) throw new Error(`the API lists no virtual card ending in ${last4}`);

    const network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
    const purchase = (amount: string) =>
      network.authorize({
        id: networkId('auth'),
        cardId: card.id,
        amount,
        currency: 'EUR',
        merchant: { name: 'Café Nord', mcc: '5814', country: 'DK' },
        channel: 'in_person',
      });
    const withinLimit = await purchase('12.50');
    expect(withinLimit.status).toBe(200);
    expect(withinLimit.body.approved).toBe(true);
    const overLimit = await purchase('60.00');
    expect(overLimit.status).toBe(200);
    expect(overLimit.body.approved).toBe(false);

    const emmaContext = await browser.newContext({ baseURL: server.url, locale });
    const emmaPage = await emmaContext.newPage();
    await logIn(emmaPage, emma.email, emma.password);
    const myCards = emmaPage.getByRole('region', { name: 'My cards' });
    // Emma may hold other cards: everything below happens on the new one.
    const newCard = myCards.getByRole('article').filter({ has: emmaPage.getByRole('group', { name: `Virtual card ending in ${last4}` }) });
    await newCard.getByText(`•••• •••• •••• ${last4}`).waitFor();
    await newCard.getByRole('button', { name: 'Reveal number' }).click();
    await newCard.getByLabel('Your password').fill(emma.password);
    await newCard.getByRole('button', { name: 'Show number' }).click();
    await newCard.getByText(new RegExp(`\\d{4} \\d{4} \\d{4} ${last4}`)).waitFor();
    await newCard.getByRole('button', { name: 'Hide number' }).click();
    await newCard.getByText(`•••• •••• •••• ${last4}`).waitFor();
    expect(await newCard.innerText()).toContain('Monthly left');
    const myTransactions = emmaPage.getByRole('region', { name: 'My transactions' });
    const pendingRow = myTransactions.getByRole('row').filter({ hasText: 'Café Nord' }).filter({ hasText: '€12.50' });
    await pendingRow.getByText('Pending', { exact: true }).waitFor();

    await openSection(adminPage, 'Transactions');
    const allTransactions = adminPage.getByRole('region', { name: 'All transactions' });
    const declinedRow = allTransactions.getByRole('row')
      .filter({ hasText: 'Declined' })
      .filter({ hasText: cardholderName })
      .filter({ hasText: 'Café Nord' })
      .filter({ hasText: '€60.00' });
    await declinedRow.waitFor();
    const declinedText = await declinedRow.innerText();
    expect(declinedText.toLowerCase()).toContain('limit');

    await emmaContext.close();
    await adminContext.close();
  }, testTimeoutMs);
});
