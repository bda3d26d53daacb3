// Review that holds, in a real browser, on a desktop and on a phone: a reviewer sends a flagged
// expense back from the review queue saying what to change; the employee reads the request on
// the expense's page, answers it and submits again, and the page says it went back to that
// reviewer; another reviewer of the team sees it waiting for her and has no button to approve
// it; she finds it on top of her queue, marked as come back to her, with the step it waits
// for, and approves it; the history says why it went back to review and to whom. The company,
// its team, reviewers and the expense are set up over the API.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, testPassword, type SessionClient } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, phone } from './browser.js';

// The app formats money and dates in the browser's locale; the contexts pin it.
const locale = 'en-US';
/** Above Playwright's own 30 s per wait, so a stuck step fails naming its locator. */
const testTimeoutMs = 180_000;
const today = new Date().toISOString().slice(0, 10);

const employee = { name: 'Emma Answer', email: 'emma@review-browser.test' };
const rita = { name: 'Rita Review', email: 'rita@review-browser.test' };
const otto = { name: 'Otto Other', email: 'otto@review-browser.test' };

const viewports: [string, BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['phone', phone],
];

let server: RunningServer;
let browser: Browser;
let emmaClient: SessionClient;
let ritaId: string;
let travelId: string;

async function signedIn(options: BrowserContextOptions, email: string): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: server.url, locale });
  const page = await context.newPage();
  await logIn(page, email, testPassword);
  return page;
}

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer({ config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  const tenant = await createTenant(server, { name: 'Review Browser Co', adminEmail: 'admin@review-browser.test', adminName: 'Ada Admin' });
  const admin = tenant.client;
  const teamId = (await admin.post('/api/v1/teams', { name: 'Sales' })).body.id;
  emmaClient = (await addPerson(admin, { email: employee.email, name: employee.name, roles: ['employee'], teamId })).client;
  ritaId = (await addPerson(admin, { email: rita.email, name: rita.name, roles: ['reviewer'] })).id;
  const ottoId = (await addPerson(admin, { email: otto.email, name: otto.name, roles: ['reviewer'] })).id;
  expect((await admin.request('PUT', `/api/v1/team-reviewers/${teamId}`, { userIds: [ritaId, ottoId] })).status).toBe(200);
  travelId = (await admin.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(viewports)('review on a %s', (viewportName, options) => {
  const merchant = `Taxi ${viewportName}`;
  let expenseId = '';

  beforeAll(async () => {
    // Without a receipt, it is flagged and waits for a reviewer of Sales.
    const filed = await emmaClient.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today, merchant, amount: '42.00', categoryId: travelId });
    expenseId = filed.body.id;
    expect((await emmaClient.post(`/api/v1/expenses/${expenseId}/submit`)).body.state).toBe('in_review');
  });

  it('sends an expense back, lets its owner answer it, and brings it back to the reviewer who asked', async () => {
    const ritaPage = await signedIn(options, rita.email);
    await openSection(ritaPage, 'Review');
    const item = ritaPage.getByRole('article', { name: `${merchant} of ${employee.name}` });
    await item.getByRole('note', { name: 'Review' }).getByText('Team review').waitFor();
    await item.getByRole('button', { name: `Request changes to ${merchant}` }).click();
    const sendBack = item.getByRole('form', { name: `Request changes: ${merchant}` });
    await sendBack.getByLabel('What should be changed?').fill('Which customer was this for?');
    await sendBack.getByRole('button', { name: 'Send back' }).click();
    await ritaPage.getByRole('list', { name: 'Decided just now' }).getByText(`${merchant} of ${employee.name}: changes requested.`).waitFor();

    const emmaPage = await signedIn(options, employee.email);
    await openSection(emmaPage, 'Expenses');
    await emmaPage.getByRole('link', { name: merchant }).click();
    await emmaPage.getByRole('note', { name: 'What the reviewer said' }).getByText('Which customer was this for?').waitFor();
    const answer = emmaPage.getByRole('form', { name: 'Add a comment' });
    await answer.getByLabel('Comment').fill('Nordic Freight; I lost the receipt');
    await answer.getByRole('button', { name: 'Send comment' }).click();
    await emmaPage.getByRole('list', { name: 'History' }).getByText('Nordic Freight; I lost the receipt').waitFor();
    await emmaPage.getByRole('form', { name: 'Expense details' }).getByRole('button', { name: 'Submit' }).click();
    await emmaPage.getByRole('status').getByText('Submitted: it went back to the reviewer who asked for the changes.').waitFor();
    await emmaPage.getByRole('note', { name: 'Review' }).getByText('waits for the reviewer who asked for the changes').waitFor();
    await emmaPage.getByRole('list', { name: 'History' }).getByText('Back to the reviewer, who asked for the changes. In review: flagged. It waits for: Team review.').waitFor();
    await emmaPage.context().close();

    // Otto reviews Sales too, but it waits for Rita: no button of his can approve it.
    const ottoPage = await signedIn(options, otto.email);
    await openSection(ottoPage, 'Review');
    const waiting = ottoPage.getByRole('region', { name: 'Waiting for someone else' }).getByRole('article', { name: `${merchant} of ${employee.name}` });
    await waiting.getByText(`waits for ${rita.name}`).waitFor();
    expect(await waiting.getByRole('button', { name: `Approve ${merchant}` }).count()).toBe(0);
    await ottoPage.context().close();

    await ritaPage.getByRole('button', { name: 'Refresh' }).click();
    const back = ritaPage.getByRole('list', { name: 'Waiting for you' }).getByRole('article', { name: `${merchant} of ${employee.name}` });
    await back.getByText('It came back to you: you asked for the changes.').waitFor();
    await back.getByRole('button', { name: `Approve ${merchant}` }).click();
    await ritaPage.getByRole('list', { name: 'Decided just now' }).getByText(`${merchant} of ${employee.name}: approved.`).waitFor();
    await back.waitFor({ state: 'detached' });

    await ritaPage.goto(`/expenses/${expenseId}`);
    const history = ritaPage.getByRole('list', { name: 'History' });
    await history.getByText(`Back to you, who asked for the changes. In review: flagged. It waits for: Team review.`).waitFor();
    await ritaPage.context().close();
    const approved = await emmaClient.get(`/api/v1/expenses/${expenseId}`);
    expect(approved.body).toMatchObject({ state: 'approved', review: null });
    const events = (await emmaClient.get(`/api/v1/expenses/${expenseId}/history`)).body.items as { action: string; actorId: string | null }[];
    expect(events.filter((event) => event.action === 'approved').map((event) => event.actorId)).toEqual([ritaId]);
  }, testTimeoutMs);
});
