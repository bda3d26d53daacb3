// /metrics end to end: the business metrics move when card authorizations are decided over
// HTTP and over ISO 8583, the readings taken at scrape time are there, and the page is kept
// behind a bearer token or on a listener of its own when configured. Counters are the
// process's (other servers of this file count too): each test compares before and after.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOfRoles } from '../../src/auth/permissions.js';
import { setLowBalanceAlert } from '../../src/banking/low-balance-alerts.service.js';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { revealCard } from '../../src/cards/card-reveal.service.js';
import { createCompany } from '../../src/companies/companies.service.js';
import { loadRatesFile } from '../../src/fx/fx.cli.js';
import { addActivePerson } from '../../src/people/people.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { anonymous, createTenant, signIn } from '../../src/test-support/api-client.js';
import { camt053 } from '../../src/test-support/camt053.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { eventually } from '../../src/test-support/eventually.js';
import { authorizationRequest, cafePurchase } from '../../src/test-support/iso8583-acquirer-messages.js';
import { Iso8583Client } from '../../src/test-support/iso8583-client.js';
import { hasSample, sampleValue } from '../../src/test-support/prometheus-text.js';
import { uploadReceipt, waitUntilRead } from '../../src/test-support/receipts.js';
import { startTestServer } from '../../src/test-support/server.js';
import { recordTopUp } from '../../src/wallet/wallet.service.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
const password = 'correct horse battery';
const clock = new ManualClock(new Date('2026-11-20T10:00:05Z'));
const metricsToken = 'metrics-token-of-this-test-0123456789';

let server: RunningServer;
let network: NetworkClient;

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey, iso8583: { host: '127.0.0.1', port: 0 }, sweepIntervalMs: 1_000 }, clock });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret, nowSeconds: () => Math.floor(clock.now().getTime() / 1000) });
  await loadRatesFile(server.database.db, path.resolve('src/fx/testdata/eurofxref-daily.xml'));
});
afterAll(async () => {
  await server?.close();
});

async function scrape(target: RunningServer = server): Promise<string> {
  const response = await anonymous(target.app).get('/metrics');
  expect(response.status).toBe(200);
  return response.text;
}

let sequence = 0;
/** A company with a funded EUR wallet and a virtual card, with the card's number. */
async function company(funds: string) {
  const db = server.database.db;
  const created = await createCompany(db, { name: `Metrics Shop ${++sequence}`, currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  const person = await addActivePerson(db, created.id, { email: `metrics${sequence}@cards.test`, name: 'Card Holder', roles: ['employee'], password });
  await recordTopUp(db, created.id, { amount: funds, currency: 'EUR', bankReference: `metrics-${sequence}`, receivedOn: '2026-11-01' }, system, new Date());
  const card = await issueCard(db, encryptionKey, created.id, { userId: person.id, kind: 'virtual' }, system, new Date());
  const holder = { kind: 'user' as const, companyId: created.id, userId: person.id, sessionId: 'ses_metrics', roles: person.roles, permissions: permissionsOfRoles(person.roles) };
  const { number } = await revealCard(db, encryptionKey, holder, card.id, password, new Date());
  return { companyId: created.id, cardId: card.id, pan: number };
}

const httpPurchase = (cardId: string, amount: string) => ({
  id: networkId('auth'),
  cardId,
  amount,
  currency: 'EUR',
  merchant: { id: 'm-1', name: 'Metrics Café', mcc: '5814', country: 'DK' },
  channel: 'in_person',
  occurredAt: '2026-11-20T10:00:00Z',
});


const approvedHttp = { channel: 'http', decision: 'approved', reason: 'none' };
const declinedHttp = { channel: 'http', decision: 'declined', reason: 'insufficient_funds' };

describe('authorization metrics', () => {
  it('counts approvals and declines over HTTP by reason, and times them', async () => {
    const c = await company('50.00');
    const before = await scrape();
    expect((await network.authorize(httpPurchase(c.cardId, '10.00'))).body).toMatchObject({ approved: true });
    expect((await network.authorize(httpPurchase(c.cardId, '500.00'))).body).toMatchObject({ approved: false, declineReason: 'insufficient_funds' });
    const after = await scrape();
    expect(sampleValue(after, 'outlay_authorizations_total', approvedHttp) - sampleValue(before, 'outlay_authorizations_total', approvedHttp)).toBe(1);
    expect(sampleValue(after, 'outlay_authorizations_total', declinedHttp) - sampleValue(before, 'outlay_authorizations_total', declinedHttp)).toBe(1);
    const timed = (text: string) => sampleValue(text, 'outlay_authorization_duration_seconds_count', { channel: 'http' });
    expect(timed(after) - timed(before)).toBe(2);
  });

  it('counts an ISO 8583 authorization under its own channel, and the open connection', async () => {
    const c = await company('50.00');
    const before = await scrape();
    const client = await Iso8583Client.connect('127.0.0.1', server.iso8583Port!);
    try {
      expect((await client.request(authorizationRequest(cafePurchase(c.pan, 1250n)))).fields[39]).toBe('00');
      const during = await scrape();
      const approvedIso = { channel: 'iso8583', decision: 'approved', reason: 'none' };
      expect(sampleValue(during, 'outlay_authorizations_total', approvedIso) - sampleValue(before, 'outlay_authorizations_total', approvedIso)).toBe(1);
      expect(sampleValue(during, 'outlay_authorization_duration_seconds_count', { channel: 'iso8583' }) - sampleValue(before, 'outlay_authorization_duration_seconds_count', { channel: 'iso8583' })).toBe(1);
      expect(sampleValue(during, 'outlay_iso8583_connections') - sampleValue(before, 'outlay_iso8583_connections')).toBe(1);
      const answered = { mti: '0100', response_code: '00' };
      expect(sampleValue(during, 'outlay_iso8583_messages_total', answered) - sampleValue(before, 'outlay_iso8583_messages_total', answered)).toBe(1);
      // A frame whose message type cannot even be read: counted, and the connection closed.
      client.sendBytes(Buffer.concat([Buffer.from([0x00, 0x04]), Buffer.from('ZZZZ')]));
      await client.closed;
      expect(sampleValue(await scrape(), 'outlay_iso8583_format_errors_total') - sampleValue(before, 'outlay_iso8583_format_errors_total')).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('background work', () => {
  it('times each receipt read, and counts the sweeps\' runs', async () => {
    const before = await scrape();
    const tenant = await createTenant(server, { name: 'Reading Ltd', adminEmail: 'admin@reading.test' });
    const upload = await uploadReceipt(tenant.client, Buffer.from('%PDF-1.4\n% no real PDF\n%%EOF\n'));
    expect(upload.status).toBe(201);
    expect((await waitUntilRead(tenant.client, upload.body.id)).body.reading.state).toBe('failed');
    const failedReads = (text: string) => sampleValue(text, 'outlay_ocr_duration_seconds_count', { outcome: 'failed' });
    expect(failedReads(await scrape()) - failedReads(before)).toBe(1);
    // The expense sync's safety net runs once per tick of the server's clock (a second here).
    const syncRuns = (text: string) => sampleValue(text, 'outlay_sweep_runs_total', { sweep: 'expense-sync', outcome: 'succeeded' });
    await eventually('a run of the expense sync', async () => {
      clock.advance(1_000);
      return syncRuns(await scrape()) > syncRuns(before) ? true : undefined;
    });
  });
});

describe('statement import metrics', () => {
  it('counts imported files by outcome: booked, duplicate and failed', async () => {
    const platform = await server.database.db.selectFrom('companies').select('id').where('is_platform', '=', true).executeTakeFirstOrThrow();
    await addActivePerson(server.database.db, platform.id, { email: 'ops@metrics.test', name: 'Olga Operator', roles: ['operator'], password });
    const operator = await signIn(server.app, 'ops@metrics.test', password);
    const upload = (xml: string) => operator.request('POST', '/api/v1/bank/statements?fileName=statement.xml', undefined, { rawBody: Buffer.from(xml), headers: { 'content-type': 'application/xml' } });
    const xml = camt053([{ id: 'STMT-METRICS-1', iban: 'DK3852950001234567', currency: 'EUR', opening: '1000.00', date: '2026-11-30', entries: [{ amount: '12.00', bookingDate: '2026-11-30', remittance: 'no reference' }] }]);
    const imports = (text: string, outcome: string) => sampleValue(text, 'outlay_statement_imports_total', { outcome });
    const before = await scrape();
    expect((await upload(xml)).status).toBe(201);
    expect((await upload(xml)).body).toMatchObject({ duplicateFile: true });
    expect((await upload('<Document>not a statement</Document>')).status).toBe(400);
    const after = await scrape();
    expect(['booked', 'duplicate', 'failed', 'held'].map((outcome) => imports(after, outcome) - imports(before, outcome))).toEqual([1, 1, 1, 0]);
  });
});

describe('readings taken at scrape time', () => {
  it('shows the pool, the job queues, the exchange rates\' age and the wallets below their alert', async () => {
    const first = await scrape();
    expect(sampleValue(first, 'outlay_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(hasSample(first, 'outlay_db_pool_connections', { state: 'waiting' })).toBe(true);
    for (const queue of ['receipt-read', 'export-write']) {
      expect(hasSample(first, 'outlay_jobs_waiting', { queue })).toBe(true);
      expect(hasSample(first, 'outlay_jobs_failed', { queue })).toBe(true);
      expect(hasSample(first, 'outlay_job_oldest_waiting_seconds', { queue })).toBe(true);
    }
    // The test file's rates are dated some days before the clock's 2026-11-20.
    expect(sampleValue(first, 'outlay_exchange_rate_age_seconds', { currency: 'USD' })).toBeGreaterThan(0);
    expect(sampleValue(first, 'outlay_metrics_collect_errors_total')).toBe(0);

    const c = await company('20.00');
    await setLowBalanceAlert(server.database.db, c.companyId, '100.00');
    expect(sampleValue(await scrape(), 'outlay_wallets_below_alert') - sampleValue(first, 'outlay_wallets_below_alert')).toBe(1);
  });
});

describe('who may read /metrics', () => {
  it('asks for the bearer token when one is configured, with a problem for a wrong one', async () => {
    const guarded = await startTestServer({ config: { observability: { otlpTracesUrl: null, serviceName: 'outlay', metricsToken, metricsListener: null } } });
    try {
      for (const authorization of [undefined, 'Bearer wrong-token-of-the-same-size-0123', `Basic ${metricsToken}`]) {
        const refused = await fetch(`${guarded.url}/metrics`, { headers: authorization ? { authorization } : {} });
        expect(refused.status).toBe(401);
        expect(refused.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
        expect(await refused.json()).toMatchObject({ code: 'unauthenticated' });
      }
      const allowed = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(allowed.status).toBe(200);
      expect(hasSample(await allowed.text(), 'outlay_db_pool_connections', { state: 'total' })).toBe(true);
    } finally {
      await guarded.close();
    }
  });

  it('serves it only on its own listener when a metrics port is configured, and nothing else there; a waiting job shows', async () => {
    // No receipt readers: an uploaded receipt's job stays waiting.
    const apart = await startTestServer({
      config: { receipts: { fileBytesMax: 1024 * 1024, readers: 0, ocrWorkers: 1, readTimeoutSeconds: 60 }, observability: { otlpTracesUrl: null, serviceName: 'outlay', metricsToken: null, metricsListener: { host: '127.0.0.1', port: 0 } } },
    });
    try {
      const publicPort = await fetch(`${apart.url}/metrics`);
      expect(publicPort.status).toBe(404);
      expect(apart.metricsPort).not.toBeNull();
      const own = await fetch(`http://127.0.0.1:${apart.metricsPort}/metrics`);
      expect(own.status).toBe(200);
      expect(own.headers.get('content-type')).toContain('text/plain');
      const text = await own.text();
      expect(hasSample(text, 'outlay_db_pool_connections', { state: 'total' })).toBe(true);
      expect(hasSample(text, 'process_cpu_user_seconds_total')).toBe(true);
      expect(sampleValue(text, 'outlay_jobs_waiting', { queue: 'receipt-read' })).toBe(0);
      const tenant = await createTenant(apart, { name: 'Waiting Ltd', adminEmail: 'admin@waiting.test' });
      expect((await uploadReceipt(tenant.client, Buffer.from('%PDF-1.4\n% waits for a reader\n%%EOF\n'))).status).toBe(201);
      const waiting = await (await fetch(`http://127.0.0.1:${apart.metricsPort}/metrics`)).text();
      expect(sampleValue(waiting, 'outlay_jobs_waiting', { queue: 'receipt-read' })).toBe(1);
      expect(sampleValue(waiting, 'outlay_job_oldest_waiting_seconds', { queue: 'receipt-read' })).toBeGreaterThanOrEqual(0);
      expect(sampleValue(waiting, 'outlay_jobs_waiting', { queue: 'export-write' })).toBe(0);
      expect((await fetch(`http://127.0.0.1:${apart.metricsPort}/health`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${apart.metricsPort}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      await apart.close();
    }
  });
});
