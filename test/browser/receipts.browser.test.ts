// Receipts end to end in a real browser: a cardholder pays at a café, snaps the receipt photo
// from the purchase's row in "My transactions", and sees it attached at once and then read
// (merchant, date, total) as the server's OCR finishes, without reloading the page; a text
// file is refused with the server's reason. The bell shows a reminder for a receipt still
// missing, which is then declared lost; the admin sees who owes receipts and changes the rules.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptPicture } from '../../src/demo/receipt-pictures.js';
import { sweepReceipts } from '../../src/receipts/receipt-sweep.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, phone } from './browser.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

// The app formats money and dates in the browser's locale; the contexts pin it.
const locale = 'en-US';
/** OCR runs for real in the server: seconds, more on a loaded machine. */
const readingWaitMs = 60_000;
/** Above the reading wait and Playwright's own 30 s per step, so a stuck step fails naming its locator. */
const testTimeoutMs = 150_000;
const dayMs = 86_400_000;

const day = (date: Date) => date.toISOString().slice(0, 10);
/** How the app shows a date read from a receipt (en-US, the date as printed). */
const shownDate = (date: Date) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day(date)}T00:00:00Z`));

let server: RunningServer;
let browser: Browser;
let tenant: Tenant;
let network: NetworkClient;
const processorSecret = randomBytes(32);
let sequence = 0;

interface Cardholder {
  id: string;
  name: string;
  email: string;
  cardId: string;
}

async function cardholder(name: string): Promise<Cardholder> {
  sequence += 1;
  const email = `holder${sequence}@receipts-browser.test`;
  const person = await addPerson(tenant.client, { email, name, roles: ['employee'] });
  const card = await tenant.client.post<{ id: string }>('/api/v1/cards', { userId: person.id, kind: 'virtual', purpose: 'Lunches' });
  expect(card.status, card.text).toBe(201);
  return { id: person.id, name, email, cardId: card.body.id };
}

async function buy(holder: Cardholder, amount: string, merchant: string, occurredAt: Date): Promise<string> {
  const response = await network.authorize({
    id: networkId('auth'),
    cardId: holder.cardId,
    amount,
    currency: 'EUR',
    merchant: { name: merchant, mcc: '5814', country: 'DK' },
    channel: 'in_person',
    occurredAt: occurredAt.toISOString(),
  });
  expect(response.body.approved, JSON.stringify(response.body)).toBe(true);
  return response.body.transactionId as string;
}

/** A phone, as the cardholder at the till holds it. */
async function phoneContext(): Promise<BrowserContext> {
  return browser.newContext({ ...phone, baseURL: server.url, locale });
}

function purchaseRow(page: Page, merchant: string): Locator {
  return page.getByRole('region', { name: 'My transactions' }).getByRole('row').filter({ hasText: merchant });
}

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer({ config: { processorSecret } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Receipt Browser Co', adminEmail: 'admin@receipts-browser.test', adminName: 'Ada Admin' });
  await fundWallet(server, tenant.company.id, { amount: '5000.00', currency: 'EUR', bankReference: 'RB-1', receivedOn: day(new Date()) });
  // Dates as the test writes them (en-US): the company's locale decides how the app writes them.
  const usCompany = await tenant.client.patch('/api/v1/company', { locale });
  expect(usCompany.status, usCompany.text).toBe(200);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('receipts in the web app', () => {
  it('attaches a receipt photo snapped for a purchase and shows what was read, without reloading; refuses a text file with the reason', async () => {
    const holder = await cardholder('Rita Receipt');
    const now = new Date();
    await buy(holder, '18.40', 'Cafe Nord', now);
    const photo = await renderReceiptPicture({
      merchant: 'Cafe Nord',
      date: day(now),
      items: [{ name: 'Lunch menu', amount: '16.40' }, { name: 'Espresso', amount: '2.00' }],
      total: '18.40',
      currency: 'EUR',
      vat: { rate: '25', amount: '3.68' },
    });

    const context = await phoneContext();
    const page = await context.newPage();
    let pageLoads = 0;
    page.on('load', () => (pageLoads += 1));
    await logIn(page, holder.email, testPassword);

    const row = purchaseRow(page, 'Cafe Nord');
    await row.getByText('Missing', { exact: true }).waitFor();
    const missingList = page.getByRole('region', { name: /Missing receipts/ });
    await missingList.getByText('Cafe Nord').waitFor();

    await row.getByLabel('Snap receipt for Cafe Nord').setInputFiles({ name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: photo });

    // Attached at once, since it was sent for this purchase; the missing list empties.
    await row.getByText('Attached', { exact: true }).waitFor();
    await row.getByRole('link', { name: 'Receipt for Cafe Nord' }).waitFor();
    expect(await row.getByLabel('Snap receipt for Cafe Nord').count()).toBe(0);
    await missingList.waitFor({ state: 'detached' });

    // Then read in the background: the inbox, in the Receipts section, shows what the OCR found.
    await openSection(page, 'Receipts');
    const receipts = page.getByRole('list', { name: 'My receipts' }).getByRole('article');
    await receipts.first().waitFor();
    expect(await receipts.count()).toBe(1);
    const receipt = receipts.first();
    const read = receipt.getByLabel('Read from the receipt');
    const couldNotRead = receipt.getByText('Could not read');
    await read.or(couldNotRead).waitFor({ timeout: readingWaitMs });
    expect(await couldNotRead.count(), 'the server could not read the photo').toBe(0);
    const fields = await read.innerText();
    expect(fields, 'the total read from the photo').toContain('€18.40');
    expect(fields, 'the date read from the photo').toContain(shownDate(now));
    expect(fields, 'the merchant read from the photo').toMatch(/cafe nord/i);
    expect(fields).toContain('EUR');
    expect(await receipt.innerText()).toMatch(/Attached\s+to Cafe Nord · €18\.40/);
    expect(await receipt.getByRole('button', { name: /Detach receipt/ }).count()).toBe(1);

    // A text file is not a receipt: the server's reason is shown, and nothing is added.
    await page.getByLabel('Snap or upload a receipt').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('lunch was 18.40, honest') });
    const refusal = page.getByRole('region', { name: 'Receipts', exact: true }).getByRole('alert');
    await refusal.waitFor();
    const refusalText = await refusal.innerText();
    expect(refusalText).toContain('notes.txt');
    expect(refusalText).toContain('must be a JPEG, PNG or WebP image or a PDF');
    expect(await receipts.count()).toBe(1);

    expect(pageLoads, 'the page was loaded once, at the start').toBe(1);
    await context.close();
  }, testTimeoutMs);

  it('shows a reminder for a missing receipt under the bell, marks it read, and takes the receipt declared lost', async () => {
    const holder = await cardholder('Bruno Bell');
    const bought = new Date(Date.now() - 3600_000);
    await buy(holder, '42.00', 'Taxi Kbh', bought);
    // Four days on, the daily sweep reminds the cardholder (the rule says after three).
    await sweepReceipts(server.database.db, new Date(bought.getTime() + 4 * dayMs));

    const context = await phoneContext();
    const page = await context.newPage();
    await logIn(page, holder.email, testPassword);
    // Unread: the request for the receipt right after the purchase, and the reminder.
    const bell = page.getByRole('button', { name: 'Notifications, 2 unread' });
    await bell.click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    const reminder = panel.getByRole('listitem').filter({ hasText: 'Taxi Kbh' }).filter({ hasText: 'Receipt missing' });
    await reminder.getByText('Receipt missing').waitFor();
    await reminder.getByRole('button', { name: /^Mark read/ }).click();
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
    expect(await reminder.getByRole('button', { name: /^Mark read/ }).count()).toBe(0);
    await panel.getByRole('button', { name: 'Close' }).click();

    // The taxi had no printer: declared lost, with a note the bookkeeper reads.
    const row = purchaseRow(page, 'Taxi Kbh');
    await row.getByRole('button', { name: 'Receipt lost for Taxi Kbh' }).click();
    const form = row.getByRole('form', { name: 'Receipt lost for Taxi Kbh' });
    await form.getByLabel('What happened to the receipt?').fill('The taxi had no printer');
    await form.getByRole('button', { name: 'Declare lost' }).click();
    await row.getByText('Lost', { exact: true }).waitFor();
    await row.getByText('“The taxi had no printer”').waitFor();
    await page.getByRole('region', { name: /Missing receipts/ }).waitFor({ state: 'detached' });
    await context.close();
  }, testTimeoutMs);

  it('shows the admin who owes receipts and lets them change the rules', async () => {
    const holder = await cardholder('Mona Missing');
    await buy(holder, '64.00', 'Hardware Store', new Date());

    const context = await browser.newContext({ baseURL: server.url, locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await logIn(page, tenant.adminEmail, testPassword);
    await openSection(page, 'Receipts');
    const owes = page.getByRole('region', { name: 'Who owes receipts' }).getByRole('region', { name: 'Missing receipts by person' }).getByRole('row').filter({ hasText: 'Mona Missing' });
    await owes.waitFor();
    expect(await owes.getByRole('cell').nth(1).innerText()).toBe('1');

    // Receipts only above 100.00, and cards frozen after ten days: changed in Settings.
    await openSection(page, 'Settings');
    const rules = page.getByRole('form', { name: 'Receipt rules' });
    await rules.getByLabel('Receipt needed above (EUR)').fill('100.00');
    await rules.getByLabel('Freeze the card while a receipt is overdue').check();
    await rules.getByLabel('Freeze card after (days)').fill('10');
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await rules.getByRole('status').getByText('Saved: receipts are needed above €100.00, and cards are frozen after 10 days.').waitFor();
    // A 64.00 purchase no longer needs a receipt, so Mona owes none.
    await openSection(page, 'Receipts');
    await page.getByRole('region', { name: 'Who owes receipts' }).getByText('Every purchase that needs a receipt has one.').waitFor();
    expect(await owes.count()).toBe(0);
    const settings = await tenant.client.get('/api/v1/receipt-settings');
    expect(settings.body).toMatchObject({ requiredAbove: { amount: '100.00', currency: 'EUR' }, freezeAfterDays: 10 });

    // A freeze before the reminder is refused beside its field.
    await openSection(page, 'Settings');
    await rules.getByLabel('Freeze card after (days)').fill('1');
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await rules.getByText(/freezeAfterDays must be at least reminderAfterDays/).waitFor();

    const reset = await tenant.client.patch('/api/v1/receipt-settings', { requiredAbove: '0.00', freezeAfterDays: null });
    expect(reset.status, reset.text).toBe(200);
    await context.close();
  }, testTimeoutMs);
});
