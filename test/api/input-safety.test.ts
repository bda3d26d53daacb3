// Bad input is the caller's mistake, never a 500, and answered the way every other error is:
// application/problem+json with a stable code, naming the field, having written nothing.
// Each case here was a 500 or Fastify's own JSON before (the security probe of issue 15).
import { connect } from 'node:net';
import { errorCodes } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/seed.js';
import { frameworkProblems } from '../../src/http/problem.js';
import type { RunningServer } from '../../src/server/server.js';
import { anonymous, signIn, snapshotRows, type ApiResponse, type SessionClient } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';

let server: RunningServer;
let admin: SessionClient;

beforeAll(async () => {
  server = await startTestServer({ demo: true, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  const login = demoLogins.find((candidate) => candidate.role === 'admin')!;
  admin = await signIn(server.app, login.email, login.password);
});

afterAll(async () => {
  await server?.close();
});

function expectProblem(response: ApiResponse, status: number, code: string, field?: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body?.code, field: response.body?.field }).toEqual({ status, code, field });
}

/** Sends the request and checks that it changed no row. */
async function writesNothing(send: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const before = await snapshotRows(server.database.db);
  const response = await send();
  expect(await snapshotRows(server.database.db)).toEqual(before);
  return response;
}

describe('strings that are no text', () => {
  it('refuses a NUL character in the sign-in e-mail with 400 invalid_text', async () => {
    const response = await writesNothing(() => anonymous(server.app).post('/api/v1/session', { email: 'a\u0000@example.com', password: 'x' }));
    expectProblem(response, 400, 'invalid_text', 'email');
  });

  it('refuses half a surrogate pair in a body, at any depth', async () => {
    expectProblem(await writesNothing(() => admin.post('/api/v1/teams', { name: 'Ops \ud800' })), 400, 'invalid_text', 'name');
    const categories = (await admin.get('/api/v1/expense-categories')).body.items as { id: string }[];
    const patched = await writesNothing(() => admin.patch(`/api/v1/expense-categories/${categories[0]!.id}`, { allowedTeamIds: ['tm_1', 'x\udc00'] }));
    expectProblem(patched, 400, 'invalid_text', 'allowedTeamIds.1');
  });

  it('refuses a NUL character in a path parameter and in a query parameter', async () => {
    expectProblem(await admin.get('/api/v1/cards/crd%00x'), 400, 'invalid_text', 'id');
    expectProblem(await admin.get('/api/v1/expenses?q=taxi%00'), 400, 'invalid_text', 'q');
    expectProblem(await admin.get('/api/v1/card-transactions?q=%00'), 400, 'invalid_text', 'q');
  });

  it('refuses a NUL character in a header that reaches SQL (Idempotency-Key)', async () => {
    const response = await writesNothing(() => admin.post('/api/v1/teams', { name: 'Ops' }, { idempotencyKey: 'key\u0000' }));
    expectProblem(response, 400, 'invalid_text', 'idempotency-key');
  });

  it('refuses the key of an object that is no text', async () => {
    const response = await admin.post('/api/v1/teams', undefined, { rawBody: '{"name":"Ops","\\u0000":1}', headers: { 'content-type': 'application/json' } });
    expectProblem(response, 400, 'invalid_text', '\u0000');
  });
});

describe('empty PATCH bodies', () => {
  it('refuses an empty PATCH of an expense category with 400, not an UPDATE without SET', async () => {
    const categories = (await admin.get('/api/v1/expense-categories')).body.items as { id: string }[];
    expectProblem(await writesNothing(() => admin.patch(`/api/v1/expense-categories/${categories[0]!.id}`, {})), 400, 'validation_failed');
  });

  it('refuses an empty body on every PATCH route there is', async () => {
    const document = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>();
    const patches = Object.entries(document.paths).filter(([, item]) => item.patch?.requestBody).map(([path]) => path.replace(/\{[^}]+\}/g, 'x'));
    expect(patches.length).toBeGreaterThanOrEqual(9);
    for (const path of patches) {
      const response = await admin.patch(path, {});
      expect({ path, status: response.status, code: response.body?.code }).toEqual({ path, status: 400, code: 'validation_failed' });
    }
  });
});

describe('dates that are not real', () => {
  it('refuses the year 0000 in a date query and in a body field with 400', async () => {
    expectProblem(await admin.get('/api/v1/expenses?from=0000-01-01'), 400, 'validation_failed', 'from');
    expectProblem(await admin.get('/api/v1/audit-events?to=0000-12-31'), 400, 'validation_failed', 'to');
    const period = await writesNothing(() => admin.post('/api/v1/closed-periods', { period: '0000-01' }));
    expectProblem(period, 400, 'validation_failed', 'period');
    const expense = await writesNothing(() => admin.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: '0000-01-01', amount: '10.00', currency: 'EUR' }));
    expectProblem(expense, 400, 'validation_failed', 'spentOn');
  });
});

describe('errors Fastify raises itself', () => {
  it('answers a %-escape that is not UTF-8 with 400 invalid_url as problem+json, with the usual headers', async () => {
    const response = await admin.get('/api/v1/cards/%E0%A4%A');
    expectProblem(response, 400, 'invalid_url');
    expect(response.headers['x-request-id']).toBeTruthy();
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('answers a path segment longer than any id as problem+json: the schema\'s limit, or 414 uri_too_long past the router\'s', async () => {
    expectProblem(await admin.get(`/api/v1/cards/${'a'.repeat(150)}`), 400, 'validation_failed', 'id');
    expectProblem(await admin.post(`/api/v1/people/${'a'.repeat(250)}/deactivate`), 414, 'uri_too_long');
    // A GET that long falls through to the web app's files, which have nothing by that name.
    expectProblem(await admin.get(`/api/v1/cards/${'a'.repeat(250)}`), 404, 'not_found');
  });

  it('answers a body in another media type, bad JSON and too large a body as problems', async () => {
    expectProblem(await admin.post('/api/v1/teams', undefined, { rawBody: 'name=Ops', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
    expectProblem(await admin.post('/api/v1/teams', undefined, { rawBody: '{"name":', headers: { 'content-type': 'application/json' } }), 400, 'validation_failed');
    expectProblem(await admin.post('/api/v1/teams', undefined, { rawBody: '', headers: { 'content-type': 'application/json' } }), 400, 'validation_failed');
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    expectProblem(await admin.post('/api/v1/teams', undefined, { rawBody: huge, headers: { 'content-type': 'application/json' } }), 413, 'payload_too_large');
  });

  it('has a problem for every Fastify error about a request (its table is complete)', () => {
    // Errors of setting Fastify up, not of requests; and validation, which has its own branch.
    const notAboutRequests = new Set(['FST_ERR_CTP_INSTANCE_ALREADY_STARTED', 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE', 'FST_ERR_ROUTE_MISSING_CONTENT', 'FST_ERR_VALIDATION']);
    const requestErrors = Object.entries(errorCodes)
      .filter(([code, FastifyError]) => !notAboutRequests.has(code) && (new (FastifyError as new (...args: string[]) => { statusCode?: number })('a', 'b', 'c').statusCode ?? 500) < 500)
      .map(([code]) => code);
    expect(requestErrors.filter((code) => !(code in frameworkProblems))).toEqual([]);
  });

  it('answers a request that is not HTTP/1.1 with 400 malformed_request as problem+json (over a real socket)', async () => {
    const port = Number(new URL(server.url).port);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /api/v1/company HTTP/1.1\r\nHost: localhost\r\nIdempotency-Key: a\u0000b\r\n\r\n'));
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nContent-Type: application\/problem\+json/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).code).toBe('malformed_request');
  });
});
