// Three server processes on one PostgreSQL database, as a deployment scaled out runs them:
// they start together on an empty database and seed the demo once; a receipt sent to the
// first is read by the second (the only one reading receipts), which tells the page open on
// the first, and downloaded through the third; the export one wrote is downloaded through each; and each tick of each sweep
// runs in exactly one of them.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCompanies } from '../../src/companies/companies.service.js';
import { renderReceiptPdf } from '../../src/demo/receipt-pictures.js';
import { demoLogins } from '../../src/demo/seed.js';
import { csrfHeader, sessionCookie } from '../../src/http/authenticate.js';
import { openTestDatabase, type TestDatabase } from '../../src/test-support/database.js';
import { eventually } from '../../src/test-support/eventually.js';
import { startServerProcess, type ServerProcess } from '../../src/test-support/server-process.js';

const onServer = Boolean(process.env.DATABASE_URL);
const key = () => randomBytes(32).toString('base64');
let database: TestDatabase;
let servers: ServerProcess[] = [];

beforeAll(async () => {
  if (!onServer) return;
  database = await openTestDatabase();
  // One deployment: the same database and keys everywhere, a folder of its own for each.
  const shared = {
    DATABASE_URL: database.url!,
    OUTLAY_SESSION_KEY: key(),
    OUTLAY_ENCRYPTION_KEY: key(),
    OUTLAY_PROCESSOR_SECRET: key(),
    OUTLAY_DEMO: '1',
    OUTLAY_SWEEP_INTERVAL_SECONDS: '1',
  };
  servers = await Promise.all(['0', '1', '0'].map((readers) => startServerProcess({ ...shared, OUTLAY_RECEIPT_READERS: readers })));
}, 240_000);

afterAll(async () => {
  const codes = await Promise.all(servers.map((server) => server.stop()));
  await database?.close();
  // Each stopped on SIGTERM within its shutdown deadline, cleanly.
  expect(codes).toEqual(servers.map(() => 0));
}, 120_000);

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(server: ServerProcess, email: string): Promise<Session> {
  const login = demoLogins.find((person) => person.email === email)!;
  const response = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: login.password }),
  });
  expect(response.status).toBe(200);
  const cookie = new RegExp(`${sessionCookie}=([^;]*)`).exec(response.headers.get('set-cookie') ?? '')![1]!;
  return { cookie, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

/** A request to one process with a session made on another: sessions live in the database. */
async function call(server: ServerProcess, session: Session, method: string, url: string, body?: Buffer | object, contentType = 'application/json') {
  return fetch(`${server.url}${url}`, {
    method,
    headers: {
      cookie: `${sessionCookie}=${session.cookie}`,
      ...(method === 'GET' ? {} : { [csrfHeader]: session.csrf, 'content-type': contentType }),
    },
    ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
  });
}

/** Reads a server-sent event stream in the background until stopped. */
function readStream(response: Response): { text(): string; stop(): void } {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  void (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) return;
      text += decoder.decode(chunk.value, { stream: true });
    }
  })();
  return { text: () => text, stop: () => void reader.cancel().catch(() => {}) };
}

describe.skipIf(!onServer)('three server processes on one PostgreSQL', () => {
  it('seeded the empty database once although all three started on it together', async () => {
    expect(await countCompanies(database.db)).toBe(1);
  });

  it('reads on the second a receipt sent to the first, tells the first, and gives the file back through the third', async () => {
    const [first, second, third] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const emma = await signIn(first, 'emma@demo.outlay.test');
    // Emma's page is open on the first process: it hears the second one read her receipt.
    const stream = await call(first, emma, 'GET', '/api/v1/events');
    expect(stream.status).toBe(200);
    const heard = readStream(stream);
    const pdf = renderReceiptPdf({ merchant: 'Three Rivers Deli', date: new Date().toISOString().slice(0, 10), items: [{ name: 'Lunch for three', amount: '47.25' }], total: '47.25', currency: 'EUR' });
    const sent = await call(first, emma, 'POST', '/api/v1/receipts', pdf, 'application/octet-stream');
    expect(sent.status).toBe(201);
    const { id } = (await sent.json()) as { id: string };

    // Only the second process reads receipts: the first and third were started with none.
    const read = await eventually(`the reading of receipt ${id}`, async () => {
      const receipt = (await (await call(third, emma, 'GET', `/api/v1/receipts/${id}`)).json()) as { reading: { state: string }; fields: { total: string | null } };
      return ['read', 'failed'].includes(receipt.reading.state) ? receipt : undefined;
    });
    expect({ state: read.reading.state, total: read.fields.total }).toEqual({ state: 'read', total: '47.25' });
    const event = await eventually('the receipt.read event on the first process', async () => (heard.text().includes(id) ? heard.text() : undefined));
    heard.stop();
    expect(event).toContain('receipt.read');
    expect(second.output()).not.toContain('not found');

    const file = await call(third, emma, 'GET', `/api/v1/receipts/${id}/file`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('gives the export the demo made on one process through every process', async () => {
    const [first] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const bookkeeper = await signIn(first, 'bookkeeper@demo.outlay.test');
    const batches = (await (await call(first, bookkeeper, 'GET', '/api/v1/export-batches')).json()) as { items: { id: string; expenseCount: number }[] };
    const batch = batches.items[0]!;
    // Written by the export job of whichever process took it; its file is in the shared store.
    const exported = await eventually(`export ${batch.id}`, async () => {
      const state = ((await (await call(first, bookkeeper, 'GET', `/api/v1/export-batches/${batch.id}`)).json()) as { state: string }).state;
      return state === 'exporting' ? undefined : state;
    });
    expect(exported).toBe('exported');
    const files = await Promise.all(servers.map(async (server) => {
      const file = await call(server, bookkeeper, 'GET', `/api/v1/export-batches/${batch.id}/file`);
      return { status: file.status, text: await file.text() };
    }));
    expect(files.map((file) => file.status)).toEqual([200, 200, 200]);
    expect(new Set(files.map((file) => file.text)).size).toBe(1);
    expect(files[0]!.text.length).toBeGreaterThan(0);
  });

  it('runs each tick of each sweep in exactly one process', async () => {
    const names = new Set(servers.map((server) => server.child.pid));
    // A few seconds of one-second ticks.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    // One row a tick is the table's key; what can go wrong is a tick that failed, never ended,
    // ran somewhere else than these three, or was never run.
    const runs = await sql<{ job: string; tick: Date; process: string; outcome: string | null }>`
      select job, tick, process, outcome from scheduled_runs
      where job not in ('purge', 'subscription-alerts') and finished_at is not null order by job, tick`.execute(database.db);
    const byJob = new Map<string, Date[]>();
    for (const run of runs.rows) {
      expect(run.outcome, `${run.job} at ${run.tick.toISOString()}`).toBe('succeeded');
      expect(names.has(Number(run.process.split(':')[1]))).toBe(true);
      byJob.set(run.job, [...(byJob.get(run.job) ?? []), new Date(run.tick)]);
    }
    expect([...byJob.keys()].sort()).toEqual(['budget-alerts', 'card-hold-expiry', 'expense-sync', 'export-sweep', 'low-balance-alerts', 'receipt-sweep']);
    for (const [job, ticks] of byJob) {
      // Consecutive seconds: no tick skipped between the first and the last.
      const seconds = ticks.map((tick) => tick.getTime() / 1000);
      expect(seconds.length, job).toBeGreaterThanOrEqual(3);
      expect(seconds.at(-1)! - seconds[0]! + 1, job).toBeLessThanOrEqual(seconds.length + 1);
    }
  });
});
