// Upload limits end to end on a listening server: a flood of receipt uploads or bank
// statement imports sent at once gets exactly as far as the hourly limit of its sender and
// company, the rest refused with 429, Retry-After and code rate_limited, and nothing of a
// refused one stored (no file, no row); another company uploads on as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeUploadAttempt } from '../../src/auth/attempt-limiter.js';
import { receiptUploadsPerCompany, receiptUploadsPerUploader, statementUploadsPerCompany, statementUploadsPerUploader } from '../../src/auth/attempt-limits.js';
import type { Principal } from '../../src/auth/principal.js';
import { csrfHeader, sessionCookie } from '../../src/http/authenticate.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createApiKey, createTenant, type ApiClient, type Tenant } from '../../src/test-support/api-client.js';
import { camt053 } from '../../src/test-support/camt053.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';

const clock = new ManualClock(new Date('2026-12-01T09:00:00Z'));
let server: RunningServer;
let acme: Tenant;
let globex: Tenant;

beforeAll(async () => {
  // No readers: the receipts sent here need storing, not reading.
  server = await startTestServer({ clock, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  acme = await createTenant(server, { name: 'Acme', currency: 'EUR', adminEmail: 'admin@acme.test' });
  globex = await createTenant(server, { name: 'Globex', currency: 'EUR', adminEmail: 'admin@globex.test' });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

interface Sent {
  status: number;
  retryAfter: string | null;
  contentType: string;
  code: string | undefined;
}

/** Sends the bytes over real HTTP as the client's session or API key would. */
async function send(client: ApiClient, path: string, bytes: Buffer, contentType: string): Promise<Sent> {
  const headers: Record<string, string> = { 'content-type': contentType };
  const { credentials } = client;
  if (credentials.kind === 'session') {
    headers.cookie = `${sessionCookie}=${credentials.cookie}`;
    headers[csrfHeader] = credentials.csrfToken;
  }
  if (credentials.kind === 'api_key') headers.authorization = `Bearer ${credentials.secret}`;
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: bytes });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, retryAfter: response.headers.get('retry-after'), contentType: type, code: type.includes('json') ? JSON.parse(text).code : undefined };
}

/** Sends them all at once and tells how many got each status. */
async function flood(count: number, sendOne: (n: number) => Promise<Sent>): Promise<{ created: Sent[]; refused: Sent[] }> {
  const sent = await Promise.all(Array.from({ length: count }, (_, n) => sendOne(n)));
  const others = sent.filter((one) => one.status !== 201 && one.status !== 429);
  expect(others, JSON.stringify(others.slice(0, 3))).toEqual([]);
  return { created: sent.filter((one) => one.status === 201), refused: sent.filter((one) => one.status === 429) };
}

function expectRateLimited(refused: readonly Sent[]): void {
  for (const one of refused) {
    expect(one.contentType).toMatch(/^application\/problem\+json/);
    expect(one.code).toBe('rate_limited');
    expect(Number(one.retryAfter)).toBeGreaterThan(0);
  }
}

const db = () => server.database.db;
/** A small PDF, different each time so no two are the same file. */
const receiptPdf = (label: string) => Buffer.from(`%PDF-1.4\n% receipt ${label}\n%%EOF\n`);
const uploadReceipt = (client: ApiClient, label: string) => send(client, '/api/v1/receipts', receiptPdf(label), 'application/pdf');

async function storedReceipts(companyId: string): Promise<{ rows: number; blobs: number }> {
  const rows = await db().selectFrom('receipts').select(({ fn }) => fn.countAll<string>().as('n')).where('company_id', '=', companyId).executeTakeFirstOrThrow();
  const blobs = await db().selectFrom('blobs').select(({ fn }) => fn.countAll<string>().as('n')).where('key', 'like', `receipts/${companyId}/%`).executeTakeFirstOrThrow();
  return { rows: Number(rows.n), blobs: Number(blobs.n) };
}

describe('receipt upload limits', () => {
  it('take exactly the hourly limit of one uploader from a flood sent at once, refuse the rest with 429 and store nothing of them; others upload on', async () => {
    const flooder = await addPerson(acme.client, { email: 'flooder@acme.test', name: 'Flo Oder', roles: ['employee'] });
    const extra = 20;
    const { created, refused } = await flood(receiptUploadsPerUploader.failuresMax + extra, (n) => uploadReceipt(flooder.client, `flood ${n}`));
    expect(created).toHaveLength(receiptUploadsPerUploader.failuresMax);
    expect(refused).toHaveLength(extra);
    expectRateLimited(refused);
    expect(await storedReceipts(acme.company.id)).toEqual({ rows: receiptUploadsPerUploader.failuresMax, blobs: receiptUploadsPerUploader.failuresMax });

    // The limit is the flooder's: a colleague, and another company, send theirs.
    expect((await uploadReceipt(acme.client, 'the admin\'s')).status).toBe(201);
    expect((await uploadReceipt(globex.client, 'globex\'s')).status).toBe(201);
    expect((await storedReceipts(globex.company.id)).rows).toBe(1);
  }, 120_000);

  it('refuse everyone of a company, API keys too, once the company has sent its hourly limit, and no other company', async () => {
    const busy = await createTenant(server, { name: 'Busy', currency: 'EUR', adminEmail: 'admin@busy.test' });
    const key = await createApiKey(busy.client, 'Receipt forwarder', ['receipts:write']);
    const member = await addPerson(busy.client, { email: 'member@busy.test', name: 'Mem Ber', roles: ['employee'] });
    // The company's hour so far, sent by integrations each under its own limit.
    const left = 4;
    const others = Math.ceil((receiptUploadsPerCompany.failuresMax - left) / (receiptUploadsPerUploader.failuresMax - 1));
    for (let n = 0; n < receiptUploadsPerCompany.failuresMax - left; n += 1) {
      const integration: Principal = { kind: 'api_key', companyId: busy.company.id, apiKeyId: `key_integration_${n % others}`, permissions: new Set() };
      await takeUploadAttempt(db(), integration, { perUploader: receiptUploadsPerUploader, perCompany: receiptUploadsPerCompany }, clock.now(), 'test');
    }
    const before = await storedReceipts(busy.company.id);
    const { created, refused } = await flood(left + 6, (n) => (n % 2 === 0 ? uploadReceipt(member.client, `busy ${n}`) : send(key.client, `/api/v1/receipts?userId=${member.id}`, receiptPdf(`busy key ${n}`), 'application/pdf')));
    expect(created).toHaveLength(left);
    expect(refused).toHaveLength(6);
    expectRateLimited(refused);
    expect(await storedReceipts(busy.company.id)).toEqual({ rows: before.rows + left, blobs: before.blobs + left });
    expect((await uploadReceipt(globex.client, 'globex again')).status).toBe(201);
  }, 120_000);
});

const ownIban = 'DK9520000123456789';
const statementFile = (id: string) =>
  Buffer.from(camt053([{ id, iban: ownIban, currency: 'EUR', opening: '1000.00', date: '2026-11-30', entries: [{ amount: '-10.00', bookingDate: '2026-11-30', bankReference: `REF-${id}` }] }]));
const importStatement = (client: ApiClient, id: string) => send(client, `/api/v1/wallet/bank-statements?fileName=${id}.xml`, statementFile(id), 'application/xml');

async function storedStatementFiles(companyId: string): Promise<{ rows: number; blobs: number }> {
  const rows = await db().selectFrom('bank_statement_files').select(({ fn }) => fn.countAll<string>().as('n')).where('company_id', '=', companyId).executeTakeFirstOrThrow();
  const blobs = await db().selectFrom('blobs').select(({ fn }) => fn.countAll<string>().as('n')).where('key', 'like', `bank-statements/${companyId}/%`).executeTakeFirstOrThrow();
  return { rows: Number(rows.n), blobs: Number(blobs.n) };
}

describe('bank statement import limits', () => {
  it('take exactly the hourly limit of one importer from a flood sent at once, refuse the rest with 429 and store nothing of them', async () => {
    const extra = 10;
    const { created, refused } = await flood(statementUploadsPerUploader.failuresMax + extra, (n) => importStatement(acme.client, `ACME-${n}`));
    expect(created).toHaveLength(statementUploadsPerUploader.failuresMax);
    expect(refused).toHaveLength(extra);
    expectRateLimited(refused);
    expect(await storedStatementFiles(acme.company.id)).toEqual({ rows: statementUploadsPerUploader.failuresMax, blobs: statementUploadsPerUploader.failuresMax });
    expect((await importStatement(globex.client, 'GLOBEX-1')).status).toBe(201);
  }, 120_000);

  it('refuse a company\'s importers together past the company\'s hourly limit, and no other company', async () => {
    const importers = await Promise.all(Array.from({ length: Math.ceil(statementUploadsPerCompany.failuresMax / statementUploadsPerUploader.failuresMax) + 1 }, (_, n) => createApiKey(globex.client, `Importer ${n}`, ['wallet:write', 'wallet:read'])));
    // Globex imported one file above; the same file again is a cheap duplicate, and still counts.
    let sent = 1;
    for (const importer of importers) {
      for (let n = 0; n < statementUploadsPerUploader.failuresMax - 1 && sent < statementUploadsPerCompany.failuresMax; n += 1, sent += 1) {
        expect((await importStatement(importer.client, 'GLOBEX-1')).status).toBe(201);
      }
    }
    const last = importers.at(-1)!;
    const refused = await importStatement(last.client, 'GLOBEX-2');
    expect(refused.status).toBe(429);
    expectRateLimited([refused]);
    expect(await storedStatementFiles(globex.company.id)).toEqual({ rows: 1, blobs: 1 });
    const initech = await createTenant(server, { name: 'Initech', currency: 'EUR', adminEmail: 'admin@initech.test' });
    expect((await importStatement(initech.client, 'INITECH-1')).status).toBe(201);
  }, 120_000);
});
