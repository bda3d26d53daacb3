// Traces of a running server, read back from an in-memory exporter: a request's span with
// its SQL statements under it, a caller's traceparent continued, a job that a request sent
// continuing the request's trace, and a span per ISO 8583 message.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader, signPayload } from '../../src/cards/processor-signature.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { networkId } from '../../src/simulator/network-client.js';
import { createTenant, type Tenant } from '../../src/test-support/api-client.js';
import { openTestDatabase } from '../../src/test-support/database.js';
import { eventually } from '../../src/test-support/eventually.js';
import { networkManagementRequest } from '../../src/test-support/iso8583-acquirer-messages.js';
import { Iso8583Client } from '../../src/test-support/iso8583-client.js';
import { uploadReceipt } from '../../src/test-support/receipts.js';
import { testConfig } from '../../src/test-support/server.js';

const exporter = new InMemorySpanExporter();
const processorSecret = randomBytes(32);
let server: RunningServer;
let tenant: Tenant;

beforeAll(async () => {
  const database = await openTestDatabase();
  server = await startServer(testConfig({ processorSecret, iso8583: { host: '127.0.0.1', port: 0 } }), { database, spanExporter: exporter });
  tenant = await createTenant(server, { name: 'Traced Ltd', adminEmail: 'admin@traced.test' });
});
afterAll(async () => {
  await server?.close();
});

const spans = () => exporter.getFinishedSpans();
const childrenOf = (parent: ReadableSpan) => spans().filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);
const inTrace = (traceId: string) => spans().filter((span) => span.spanContext().traceId === traceId);

/** The one request span of this name that ended since `from` spans were finished. The span
 * ends in the response's last hook, which may run just after the caller has the answer. */
async function requestSpan(name: string, from: number): Promise<ReadableSpan> {
  const found = await eventually(`the span ${name}`, async () => {
    const named = spans().slice(from).filter((span) => span.name === name);
    return named.length > 0 ? named : undefined;
  });
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('HTTP request spans', () => {
  it('names the span by route template and puts the request\'s SQL statements under it, without values', async () => {
    const from = spans().length;
    const person = await tenant.client.get(`/api/v1/people/${tenant.admin.id}`);
    expect(person.status).toBe(200);
    const request = await requestSpan('GET /api/v1/people/:id', from);
    expect(request.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/api/v1/people/:id', 'http.response.status_code': 200 });
    const statements = childrenOf(request).filter((span) => span.attributes['db.system.name'] === 'postgresql');
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.map((span) => span.name)).toContain('SELECT');
    for (const statement of statements) {
      expect(statement.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(String(statement.attributes['db.query.text'])).not.toContain(tenant.admin.id);
    }
  });

  it('keeps the statements of a request whose body comes later than its headers under its span', async () => {
    const from = spans().length;
    const purchase = { id: networkId('auth'), cardId: 'card_unknown', amount: '1.00', currency: 'EUR', merchant: { id: 'm', name: 'Shop', mcc: '5814', country: 'DK' }, channel: 'online', occurredAt: new Date().toISOString() };
    const body = JSON.stringify(purchase);
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), [signatureHeader]: signPayload(processorSecret, body, Math.floor(Date.now() / 1000)) };
    // The body arrives on the socket's events, after the request's hooks began.
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(`${server.url}/api/v1/processor/authorizations`, { method: 'POST', headers }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on('error', reject);
      request.flushHeaders();
      setTimeout(() => request.end(body), 200);
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ approved: false, declineReason: 'card_not_found' });
    const request = await requestSpan('POST /api/v1/processor/authorizations', from);
    expect(childrenOf(request).map((span) => span.name)).toContain('SELECT');
  });

  it('continues the trace of a caller\'s W3C traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const from = spans().length;
    const response = await fetch(`${server.url}/ready`, { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } });
    expect(response.status).toBe(200);
    const request = await requestSpan('GET /ready', from);
    expect(request.spanContext().traceId).toBe(traceId);
    expect(request.parentSpanContext?.spanId).toBe(callerSpanId);
    expect(childrenOf(request).length).toBeGreaterThan(0);
  });

  it('marks a request no route serves, and a server error only when the status is 5xx', async () => {
    const from = spans().length;
    // A POST: with the web app built, its catch-all GET route takes every unknown GET.
    expect((await tenant.client.post('/api/v1/no-such-thing', {})).status).toBe(404);
    const unmatched = await requestSpan('POST unmatched', from);
    expect(unmatched.attributes['http.response.status_code']).toBe(404);
    expect(unmatched.status.code).not.toBe(2);
  });
});

describe('job spans', () => {
  it('continues the trace of the request that sent the job', async () => {
    const from = spans().length;
    const upload = await uploadReceipt(tenant.client, Buffer.from('%PDF-1.4\n% a receipt that is no real PDF\n%%EOF\n'));
    expect(upload.status).toBe(201);
    const request = await requestSpan('POST /api/v1/receipts', from);
    // The body is read between the hooks; the statements after it are still the request's.
    expect(childrenOf(request).filter((span) => span.name === 'INSERT').length).toBeGreaterThan(0);
    const job = await eventually('the receipt reading job\'s span', async () => inTrace(request.spanContext().traceId).find((span) => span.name === 'job receipt-read'));
    expect(job.attributes['messaging.destination.name']).toBe('receipt-read');
    // The job is the child of a span of the request's trace (the one it was sent under), and
    // its own SQL statements are under it.
    expect(inTrace(request.spanContext().traceId).map((span) => span.spanContext().spanId)).toContain(job.parentSpanContext?.spanId);
    await eventually('the job\'s statements', async () => (childrenOf(job).some((span) => span.attributes['db.system.name'] === 'postgresql') ? true : undefined));
    // The file is no real PDF: its reading has a span of its own under the job, marked failed.
    const reading = childrenOf(job).find((span) => span.name === 'receipt read');
    expect(reading?.attributes['receipt.media_type']).toBe('application/pdf');
    expect(reading?.status.code).toBe(2);
  });
});

describe('ISO 8583 spans', () => {
  it('makes a span per message with its MTI and response code', async () => {
    const client = await Iso8583Client.connect('127.0.0.1', server.iso8583Port!);
    try {
      const from = spans().length;
      const answer = await client.request(networkManagementRequest('301', new Date(), '000042'));
      expect(answer.fields[39]).toBe('00');
      const message = await eventually('the message span', async () => spans().slice(from).find((span) => span.name === 'iso8583 0800'));
      expect(message.attributes).toMatchObject({ 'iso8583.mti': '0800', 'iso8583.response_code': '00', 'iso8583.stan': '000042' });
    } finally {
      await client.close();
    }
  });
});
