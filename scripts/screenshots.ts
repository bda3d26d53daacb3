// `npm run screenshots`: starts a test server with the demo company, logs in as the demo
// admin, an employee, the bookkeeper and the platform's operator in Debian's chromium, and
// saves the pictures the docs show: the admin's overview with the navigation by section, a
// list page, and the phone layout (an admin's page, the section menu, the employee's home).
// Build the web app first (`npm run build:web`); scripts/ensure-test-tools.sh installs chromium.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { demoOperator } from '../src/demo/demo-banking.js';
import { demoLogins, demoPassword } from '../src/demo/seed.js';
import { projectRoot } from '../src/shared/project-root.js';
import { makeSigningKey } from '../src/test-support/saml-idp.js';
import { startTestServer } from '../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection, openSectionMenu } from '../test/browser/browser.js';

const outputDir = path.join(projectRoot, 'docs', 'screenshots');
const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** The demo's receipts are read (OCR) in the background after start-up: seconds each. */
const demoReadingWaitMs = 180_000;

function demoLogin(role: 'admin' | 'employee' | 'bookkeeper') {
  const login = demoLogins.find((candidate) => candidate.role === role);
  if (!login) throw new Error(`the demo data has no ${role} login`);
  return login;
}

async function save(page: Page, name: string): Promise<void> {
  const file = path.join(outputDir, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`saved ${path.relative(projectRoot, file)}`);
}

async function loginScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const context = await browser.newContext({ ...desktop, baseURL, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  await save(page, 'login.png');
  await context.close();
}

/** The admin's overview on a computer: the sections in the navigation, the wallet, its runway
 * and this month's spend, what needs attention and the way to each section. */
async function adminOverviewScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const admin = demoLogin('admin');
  const context = await browser.newContext({ ...desktop, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, admin.email, admin.password);
  await page.getByRole('region', { name: 'Company wallet' }).getByText('Balance', { exact: true }).waitFor();
  await page.getByRole('region', { name: 'Needs your attention' }).getByText('Looking…').waitFor({ state: 'detached' });
  await page.getByRole('region', { name: 'Spend and runway' }).locator('[data-figure="runway"]').waitFor();
  await save(page, 'admin-overview.png');
  await context.close();
}

/** The audit trail on a computer, after the admin changed a setting: who, what, what changed
 * and from where. */
async function auditTrailScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const admin = demoLogin('admin');
  const context = await browser.newContext({ ...desktop, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36' });
  const page = await context.newPage();
  await logIn(page, admin.email, admin.password);
  const { csrfToken } = (await (await page.request.get('/api/v1/session')).json()) as { csrfToken: string };
  const changed = await page.request.patch('/api/v1/company', { data: { timeZone: 'Europe/Berlin' }, headers: { 'x-csrf-token': csrfToken } });
  if (!changed.ok()) throw new Error(`changing the time zone failed: ${changed.status()}`);
  await page.goto('/settings/audit');
  await page.getByRole('cell', { name: 'company.updated' }).first().waitFor();
  // The newest changes: the whole trail of the demo would be a page many screens long.
  const file = path.join(outputDir, 'admin-audit-trail.png');
  await page.screenshot({ path: file });
  console.log(`saved ${path.relative(projectRoot, file)}`);
  await context.close();
}

/** A list page on a computer: every card transaction of the company. */
async function adminTransactionsScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const admin = demoLogin('admin');
  const context = await browser.newContext({ ...desktop, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, admin.email, admin.password);
  await openSection(page, 'Transactions');
  const list = page.getByRole('region', { name: 'All transactions' });
  await list.getByRole('row').nth(1).waitFor();
  // Whose card each was, once the people are in.
  await list.getByRole('cell', { name: '…', exact: true }).first().waitFor({ state: 'detached' });
  await save(page, 'admin-transactions.png');
  await context.close();
}

/** The phone layout of an admin's page (the cards, each a box with its labels above the
 * values), then the section menu opened over the page. */
async function adminPhoneScreenshots(browser: Browser, baseURL: string): Promise<void> {
  const admin = demoLogin('admin');
  const context = await browser.newContext({ ...phone, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, admin.email, admin.password);
  await openSection(page, 'Cards');
  await page.getByRole('region', { name: 'Cards', exact: true }).getByRole('button', { name: 'Controls' }).first().waitFor();
  await save(page, 'admin-cards-phone.png');
  await openSectionMenu(page);
  const file = path.join(outputDir, 'phone-menu.png');
  await page.screenshot({ path: file });
  console.log(`saved ${path.relative(projectRoot, file)}`);
  await context.close();
}

async function employeeScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const employee = demoLogin('employee');
  const context = await browser.newContext({ ...phone, baseURL, locale: 'en-US' });
  const page = await context.newPage();
  await logIn(page, employee.email, employee.password);
  const myPage = page.getByRole('region', { name: 'My page' });
  await myPage.getByText(employee.email).waitFor();
  await myPage.getByText('Loading…').waitFor({ state: 'detached' });
  await page.getByRole('region', { name: 'My transactions' }).getByRole('row').nth(1).waitFor();
  await save(page, 'employee-home.png');
  await context.close();
}

/** The cardholder's receipts on a phone: what is missing, the camera button, what was read. */
async function employeeReceiptsScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const employee = demoLogin('employee');
  const context = await browser.newContext({ ...phone, baseURL, locale: 'en-US' });
  const page = await context.newPage();
  await logIn(page, employee.email, employee.password);
  await openSection(page, 'Receipts');
  const receipts = page.getByRole('region', { name: 'Receipts', exact: true });
  await receipts.getByRole('button', { name: 'Refresh' }).waitFor();
  await receipts.getByText('Loading your receipts…').waitFor({ state: 'detached' });
  await receipts.getByText('Reading…').first().waitFor({ state: 'detached', timeout: demoReadingWaitMs });
  const file = path.join(outputDir, 'employee-receipts.png');
  await receipts.screenshot({ path: file });
  console.log(`saved ${path.relative(projectRoot, file)}`);
  await context.close();
}

/**
 * The employee's expense editor on a phone: the demo's expense sent back with a question
 * when there is one, else any draft of theirs. Demo data without an editable expense is
 * said so, and the picture is skipped rather than faked.
 */
async function employeeExpenseEditorScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const employee = demoLogin('employee');
  const context = await browser.newContext({ ...phone, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, employee.email, employee.password);
  await openSection(page, 'Expenses');
  const list = page.getByRole('region', { name: 'My expenses' });
  await list.getByText('Loading your expenses…').waitFor({ state: 'detached' });
  const sentBack = list.getByRole('row').filter({ hasText: 'Changes requested' });
  const draft = list.getByRole('row').filter({ hasText: 'Draft' });
  const row = (await sentBack.count()) > 0 ? sentBack.first() : draft.first();
  if ((await row.count()) === 0) {
    console.log('skipped employee-expense.png: the demo employee has no expense to edit');
    await context.close();
    return;
  }
  await row.getByRole('link').first().click();
  await page.getByRole('form', { name: 'Expense details' }).waitFor();
  await page.getByRole('list', { name: 'History' }).waitFor();
  await save(page, 'employee-expense.png');
  await context.close();
}

/** The bookkeeper's export page with the demo's exports, on a computer. */
async function bookkeeperExportScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const bookkeeper = demoLogin('bookkeeper');
  const context = await browser.newContext({ ...desktop, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, bookkeeper.email, bookkeeper.password);
  await openSection(page, 'Export');
  const exports = page.getByRole('region', { name: 'Exports' });
  await exports.getByText('Loading the exports…').waitFor({ state: 'detached' });
  await exports.getByText('Exporting…').first().waitFor({ state: 'detached' });
  await save(page, 'bookkeeper-export.png');
  await context.close();
}

/** The admin's wallet page on a phone: the balance, the top-up instructions with the
 * company's payment reference, the demo's top-ups and the low-balance alert. */
async function adminWalletScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const admin = demoLogin('admin');
  const context = await browser.newContext({ ...phone, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, admin.email, admin.password);
  await openSection(page, 'Wallet');
  await page.getByRole('region', { name: 'Top up the wallet' }).getByLabel('Payment reference').waitFor();
  await page.getByRole('table', { name: 'Top-ups' }).waitFor();
  await page.getByRole('form', { name: 'Low-balance alert' }).waitFor();
  await page.getByRole('region', { name: 'Your account’s statements' }).getByText('Loading the statements…').waitFor({ state: 'detached' });
  await save(page, 'admin-wallet.png');
  await context.close();
}

/** The operator's statements of the top-up account and the suspense queue, on a computer,
 * with the demo's statement: one top-up found by its reference, one transfer in suspense. */
async function operatorScreenshots(browser: Browser, baseURL: string): Promise<void> {
  const context = await browser.newContext({ ...desktop, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, demoOperator.email, demoPassword);
  const statements = page.getByRole('region', { name: 'Statements', exact: true });
  await statements.getByRole('list', { name: /^Entries of / }).first().getByText('1 in suspense').waitFor();
  await page.getByRole('region', { name: 'Suspense', exact: true }).getByRole('link', { name: 'Open the suspense queue' }).waitFor();
  await save(page, 'operator-statements.png');

  await openSection(page, 'Suspense');
  const credit = page.getByRole('list', { name: 'Credits in suspense' }).getByRole('article').first();
  await credit.getByRole('button', { name: 'Assign to company' }).click();
  await credit.getByRole('radio').first().waitFor();
  await save(page, 'operator-suspense.png');
  await context.close();
}

/** The single sign-on settings on a computer, SAML chosen and saved: what to give the
 * identity provider (Outlay's entity ID, ACS and metadata URLs) and the provider's form. */
async function adminSsoSamlScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const admin = demoLogin('admin');
  const context = await browser.newContext({ ...desktop, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, admin.email, admin.password);
  await openSection(page, 'Settings');
  const section = page.getByRole('region', { name: 'Single sign-on' });
  await section.getByRole('radio', { name: 'SAML 2.0' }).check();
  const provider = section.getByRole('form', { name: 'SAML identity provider' });
  await provider.getByLabel('Sign-in URL of the provider (SSO URL)').fill('https://login.example.com/saml/sso');
  await provider.getByLabel('Entity ID of the provider (issuer)').fill('https://login.example.com/saml/metadata');
  await provider.getByLabel('Signing certificate of the provider (PEM)').fill(makeSigningKey('login.example.com').certificate);
  await provider.getByLabel('Add people of a verified domain on their first sign-in').check();
  await provider.getByLabel('Role attribute').fill('groups');
  await provider.getByLabel('Attribute values and their roles').fill('finance = bookkeeper\nstaff = employee');
  await provider.getByRole('button', { name: 'Save' }).click();
  await provider.getByText('The identity provider is saved.').waitFor();
  const file = path.join(outputDir, 'admin-sso-saml.png');
  await section.screenshot({ path: file });
  console.log(`saved ${path.relative(projectRoot, file)}`);
  await context.close();
}

/** The subscriptions found in the demo's card history, with their next charge and yearly cost. */
async function adminSubscriptionsScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const admin = demoLogin('admin');
  const context = await browser.newContext({ ...desktop, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, admin.email, admin.password);
  await openSection(page, 'Subscriptions');
  await page.getByRole('row').filter({ hasText: 'FIGMA.COM' }).waitFor();
  await save(page, 'admin-subscriptions.png');
  await context.close();
}

/** The demo's budgets: Design's enforced quarter with its bar, Sales' travel, a project's year. */
async function adminBudgetsScreenshot(browser: Browser, baseURL: string): Promise<void> {
  const admin = demoLogin('admin');
  const context = await browser.newContext({ ...desktop, baseURL, locale: 'en-US', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, admin.email, admin.password);
  await page.goto('/budgets');
  await page.locator('[data-budget="Project Aurora"]').waitFor();
  await save(page, 'admin-budgets.png');
  await context.close();
}

const shots: Record<string, (browser: Browser, baseURL: string) => Promise<void>> = {
  login: loginScreenshot,
  'admin-overview': adminOverviewScreenshot,
  'admin-transactions': adminTransactionsScreenshot,
  'admin-audit-trail': auditTrailScreenshot,
  'admin-phone': adminPhoneScreenshots,
  'employee-home': employeeScreenshot,
  'employee-receipts': employeeReceiptsScreenshot,
  'employee-expense': employeeExpenseEditorScreenshot,
  'bookkeeper-export': bookkeeperExportScreenshot,
  'admin-wallet': adminWalletScreenshot,
  operator: operatorScreenshots,
  'admin-sso-saml': adminSsoSamlScreenshot,
  'admin-subscriptions': adminSubscriptionsScreenshot,
  'admin-budgets': adminBudgetsScreenshot,
};

/** `npm run screenshots -- admin-sso-saml` takes only the pictures named; none named, all. */
async function main(): Promise<void> {
  assertWebAppBuilt();
  mkdirSync(outputDir, { recursive: true });
  const server = await startTestServer({ demo: true });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const named = process.argv.slice(2);
    const unknown = named.filter((name) => !(name in shots));
    if (unknown.length > 0) throw new Error(`no screenshot is named ${unknown.join(', ')}; they are ${Object.keys(shots).join(', ')}`);
    for (const [name, take] of Object.entries(shots)) if (named.length === 0 || named.includes(name)) await take(browser, server.url);
  } finally {
    await browser?.close();
    await server.close();
  }
}

await main();
