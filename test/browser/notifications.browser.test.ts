// Notifications that lead to their item, in a real browser, on a desktop and on a phone: a
// reviewer sends an expense back; its owner opens the bell, follows the notification and
// lands on the expense's page; she answers and submits again, and the reviewer follows hers
// ("Back for your review") to the same page. The company, its team, the reviewer and the
// expense are set up over the API, and so are the review steps: the bell is under test.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type SessionClient } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, phone } from './browser.js';

// The app formats money and dates in the browser's locale; the contexts pin it.
const locale = 'en-US';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 180_000;
const today = new Date().toISOString().slice(0, 10);

const employee = { name: 'Emma Bell', email: 'emma@notifications-browser.test' };
const rita = { name: 'Rita Review', email: 'rita@notifications-browser.test' };

const viewports: [string, BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['phone', phone],
];

let server: RunningServer;
let browser: Browser;
let emmaClient: SessionClient;
let ritaClient: SessionClient;
let travelId: string;

async function signedIn(options: BrowserContextOptions, email: string): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: server.url, locale });
  const page = await context.newPage();
  await logIn(page, email, testPassword);
  return page;
}

/** Opens the bell in the header and follows the notification with this title. */
async function followNotification(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
  const panel = page.getByRole('region', { name: 'Notifications' });
  await panel.getByText(title).waitFor();
  await panel.getByRole('link', { name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).click();
}

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer({ config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  const tenant = await createTenant(server, { name: 'Bell Browser Co', adminEmail: 'admin@notifications-browser.test', adminName: 'Ada Admin' });
  const admin = tenant.client;
  const teamId = (await admin.post('/api/v1/teams', { name: 'Sales' })).body.id;
  emmaClient = (await addPerson(admin, { email: employee.email, name: employee.name, roles: ['employee'], teamId })).client;
  const ritaPerson = await addPerson(admin, { email: rita.email, name: rita.name, roles: ['reviewer'] });
  ritaClient = ritaPerson.client;
  expect((await admin.request('PUT', `/api/v1/team-reviewers/${teamId}`, { userIds: [ritaPerson.id] })).status).toBe(200);
  travelId = (await admin.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(viewports)('notifications on a %s', (viewportName, options) => {
  const merchant = `Ferry ${viewportName}`;
  let expenseId = '';

  beforeAll(async () => {
    // Without a receipt it is flagged, waits for Rita, and she sends it back.
    const filed = await emmaClient.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today, merchant, amount: '42.00', categoryId: travelId });
    expenseId = filed.body.id;
    expect((await emmaClient.post(`/api/v1/expenses/${expenseId}/submit`)).body.state).toBe('in_review');
    const sentBack = await ritaClient.post(`/api/v1/expenses/${expenseId}/request-changes`, { comment: 'Which customer was this for?' });
    expect(sentBack.status, sentBack.text).toBe(200);
  });

  it('takes the owner from the bell to the expense sent back, and the reviewer to it when it comes back', async () => {
    const emmaPage = await signedIn(options, employee.email);
    await followNotification(emmaPage, `Expense sent back: ${merchant}, 42.00 EUR`);
    await emmaPage.waitForURL(new RegExp(`/expenses/${expenseId}$`));
    await emmaPage.getByRole('heading', { name: merchant }).waitFor();
    await emmaPage.getByRole('note', { name: 'What the reviewer said' }).getByText('Which customer was this for?').waitFor();
    await emmaPage.context().close();

    expect((await emmaClient.post(`/api/v1/expenses/${expenseId}/submit`)).body.state).toBe('in_review');
    const ritaPage = await signedIn(options, rita.email);
    await followNotification(ritaPage, `Back for your review: ${merchant}, 42.00 EUR`);
    await ritaPage.waitForURL(new RegExp(`/expenses/${expenseId}$`));
    await ritaPage.getByRole('heading', { name: merchant }).waitFor();
    await ritaPage.context().close();
  }, testTimeoutMs);
});
