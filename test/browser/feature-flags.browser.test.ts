// Feature flags end to end: the demo platform's operator opens Feature flags in a real
// browser and turns the simulator off for the demo company with a rule; ANOTHER server on the
// same database then answers the demo company's simulator as switched off, within its refresh
// period, while it still serves it before. On PostgreSQL the other server is a child process
// (`outlay serve`); PGlite serves one process, so there it is a second server in this one.
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOperator } from '../../src/demo/demo-banking.js';
import { demoLogins, demoPassword } from '../../src/demo/seed.js';
import type { RunningServer } from '../../src/server/server.js';
import { createApiKey, signIn } from '../../src/test-support/api-client.js';
import { eventually } from '../../src/test-support/eventually.js';
import { startServerBeside } from '../../src/test-support/second-server.js';
import { startServerProcess } from '../../src/test-support/server-process.js';
import { startTestServer } from '../../src/test-support/server.js';
import { assertWebAppBuilt, launchBrowser, logIn, openSection } from './browser.js';

const locale = 'en-US';
/** Above Playwright's own 30 s per wait, and the child server's start. */
const testTimeoutMs = 150_000;
const keys = { sessionKey: randomBytes(32), encryptionKey: randomBytes(32), processorSecret: randomBytes(32) };

let server: RunningServer | undefined;
/** The other server: its address, and how it stops. */
let other: { url: string; close(): Promise<unknown> } | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  assertWebAppBuilt();
  server = await startTestServer({ demo: true, config: keys });
  const url = (server.database as { url?: string | null }).url;
  if (url) {
    const child = await startServerProcess({
      DATABASE_URL: url,
      OUTLAY_DEMO: '0',
      OUTLAY_RECEIPT_READERS: '0',
      // API keys are checked with the session key: the same as the first server's.
      OUTLAY_SESSION_KEY: keys.sessionKey.toString('base64'),
      OUTLAY_ENCRYPTION_KEY: keys.encryptionKey.toString('base64'),
      OUTLAY_PROCESSOR_SECRET: keys.processorSecret.toString('base64'),
    });
    other = { url: child.url, close: () => child.stop() };
  } else {
    other = await startServerBeside(server, keys);
  }
  browser = await launchBrowser();
}, testTimeoutMs);

afterAll(async () => {
  await browser?.close();
  await other?.close();
  await server?.close();
});

describe('feature flags changed in the browser', () => {
  it('turn the simulator off for the demo company in another server on the same database', async () => {
    if (!server || !other || !browser) throw new Error('the servers and browser are needed');
    const db = server.database.db;
    const admin = demoLogins.find((login) => login.role === 'admin')!;
    const company = await db.selectFrom('users').select('company_id').where('email', '=', admin.email).executeTakeFirstOrThrow();
    const card = await db.selectFrom('cards').select('id').where('company_id', '=', company.company_id).where('status', '=', 'active').executeTakeFirstOrThrow();
    const key = await createApiKey(await signIn(server.app, admin.email, admin.password), 'Simulator from afar', ['cards:manage']);
    const purchaseOnOther = () =>
      fetch(`${other!.url}/api/v1/simulator/purchases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ cardId: card.id, amount: '1.00', currency: 'EUR', merchant: { name: 'Flag Café', mcc: '5814', country: 'DK' }, channel: 'contactless' }),
      });
    expect((await purchaseOnOther()).status).toBe(200);

    const context = await browser.newContext({ baseURL: server.url, locale });
    const page = await context.newPage();
    await logIn(page, demoOperator.email, demoPassword);
    await openSection(page, 'Feature flags');
    const simulator = page.getByRole('region', { name: 'simulator', exact: true });
    const addRule = simulator.getByRole('form', { name: 'Add a rule' });
    await addRule.getByLabel('Who').selectOption('companies');
    await addRule.getByLabel('Ids').fill(company.company_id);
    await addRule.getByLabel('Gets the variant').selectOption('off');
    await addRule.getByRole('button', { name: 'Add a rule' }).click();
    await simulator.getByRole('listitem').filter({ hasText: `Companies ${company.company_id} get off` }).waitFor();
    expect(await simulator.getByLabel('Enabled').isChecked()).toBe(true);
    await context.close();

    const refused = await eventually('the simulator switched off in the other server', async () => {
      const response = await purchaseOnOther();
      return response.status === 404 ? ((await response.json()) as { code: string; detail: string }) : undefined;
    });
    expect(refused).toMatchObject({ code: 'not_found', detail: 'the simulator is switched off for this company' });
    const audit = await db.selectFrom('audit_events').select(['actor_type', 'subject_id']).where('action', '=', 'feature_flag.updated').execute();
    expect(audit).toEqual([{ actor_type: 'user', subject_id: 'simulator' }]);
  }, testTimeoutMs);
});
