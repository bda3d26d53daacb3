// The conventions every endpoint keeps, as an integrator relies on them: errors as
// application/problem+json with a stable code (and the field at fault), Idempotency-Key on
// POST, cursor pagination, opaque ids, and the operator endpoints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/seed.js';
import { pageSizeMax } from '../../src/http/schemas.js';
import type { RunningServer } from '../../src/server/server.js';
import {
  addPerson,
  anonymous,
  apiRoutes,
  signIn,
  snapshotRows,
  type ApiResponse,
  type SessionClient,
} from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';

let server: RunningServer;
let admin: SessionClient;
let companyId: string;

const today = () => new Date().toISOString().slice(0, 10);
let merchantCounter = 0;
const nextMerchant = () => `Conventions Shop ${++merchantCounter}`;
const expense = (overrides: Record<string, unknown> = {}) => ({ kind: 'out_of_pocket', spentOn: today(), amount: '100.00', merchant: nextMerchant(), ...overrides });

beforeAll(async () => {
  // No receipt reading: the demo's receipts would change rows while tests compare snapshots.
  server = await startTestServer({ demo: true, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  const login = demoLogins.find((l) => l.role === 'admin')!;
  admin = await signIn(server.app, login.email, login.password);
  companyId = (await admin.get('/api/v1/company')).body.id;
});

afterAll(async () => {
  await server?.close();
});

function expectProblem(response: ApiResponse, status: number, code: string, field?: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status, code, field });
  // RFC 9457 members: the status repeats the HTTP status; type and title and detail are text.
  expect(response.body.status).toBe(status);
  expect(typeof response.body.type).toBe('string');
  expect(typeof response.body.title).toBe('string');
  expect(typeof response.body.detail).toBe('string');
}

async function countRows(table: 'expenses' | 'tax_codes' | 'teams' | 'users', where: { column: string; value: string } | null = null): Promise<number> {
  let query = server.database.db.selectFrom(table).select((eb) => eb.fn.countAll<bigint>().as('n')).where('company_id', '=', companyId);
  if (where) query = query.where(where.column as 'company_id', '=', where.value);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

describe('errors', () => {
  it('answers an unknown route with 404 not_found as problem+json', async () => {
    expectProblem(await admin.get('/api/v1/no-such-thing'), 404, 'not_found');
    expectProblem(await admin.post('/api/v1/no-such-thing', {}), 404, 'not_found');
    expectProblem(await anonymous(server.app).get('/api/v2/company'), 404, 'not_found');
  });

  it('names the field at fault in a validation error', async () => {
    expectProblem(await admin.post('/api/v1/teams', {}), 400, 'validation_failed', 'name');
    expectProblem(await admin.post('/api/v1/teams', { name: 'Ops', colour: 'red' }), 400, 'validation_failed', 'colour');
    expectProblem(await admin.post('/api/v1/teams', { name: 42 }), 400, 'validation_failed', 'name');
    expectProblem(await admin.get('/api/v1/people?limit=ten'), 400, 'validation_failed', 'limit');
    expectProblem(await admin.post('/api/v1/expenses', expense({ spentOn: '2024-02-30' })), 400, 'validation_failed', 'spentOn');
  });

  it('refuses a body that is not JSON with 400 validation_failed', async () => {
    const response = await admin.post('/api/v1/teams', undefined, { rawBody: '{"name": "Ops"', headers: { 'content-type': 'application/json' } });
    expectProblem(response, 400, 'validation_failed');
  });

  it('refuses a body over the size limit with 413 payload_too_large', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    expectProblem(await admin.post('/api/v1/teams', undefined, { rawBody: huge, headers: { 'content-type': 'application/json' } }), 413, 'payload_too_large');
  });

  it('refuses a body in a media type other than JSON with 415', async () => {
    const response = await admin.post('/api/v1/teams', undefined, { rawBody: '<team name="Ops"/>', headers: { 'content-type': 'application/xml' } });
    expectProblem(response, 415, 'unsupported_media_type');
  });

  it('refuses an amount sent as a JSON number, naming the field', async () => {
    expectProblem(await admin.post('/api/v1/expenses', expense({ amount: 12.5 })), 400, 'validation_failed', 'amount');
    expectProblem(await admin.post('/api/v1/expenses', expense({ amount: 1e3 })), 400, 'validation_failed', 'amount');
  });

  it('answers a request without credentials with 401 unauthenticated', async () => {
    expectProblem(await anonymous(server.app).get('/api/v1/people'), 401, 'unauthenticated');
  });

  it('writes nothing at all for rejected requests', async () => {
    // snapshotRows leaves out what the server writes on its own schedule (sweep ticks, job
    // leases renewed while a job runs): no request writes those.
    const requestRows = () => snapshotRows(server.database.db);
    const before = await requestRows();
    const json = { 'content-type': 'application/json' };
    const rejected = [
      await admin.post('/api/v1/expenses', expense({ amount: 12.5 })),
      await admin.post('/api/v1/expenses', expense({ amount: '1.001' })),
      await admin.post('/api/v1/expenses', expense({ currency: 'ABC' })),
      await admin.post('/api/v1/wallet/top-ups', { amount: '100.00', currency: 'EUR', bankReference: 'NO-SUCH-ROUTE', receivedOn: today() }),
      await admin.post('/api/v1/expenses', undefined, { rawBody: '{"amount":', headers: json }),
      await admin.post('/api/v1/teams', undefined, { rawBody: JSON.stringify({ name: 'y'.repeat(2 * 1024 * 1024) }), headers: json }),
      await admin.post('/api/v1/teams', { name: 'Ops' }, { csrfToken: null }),
      await admin.post('/api/v1/people/invitations', { email: 'not-an-address', name: 'X', roles: ['employee'] }),
      await admin.patch('/api/v1/people/usr_00000000000000000000000000', { name: 'Ghost' }),
      await anonymous(server.app).post('/api/v1/teams', { name: 'Ops' }),
    ];
    for (const response of rejected) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.contentType).toMatch(/^application\/problem\+json/);
    }
    expect(await requestRows()).toEqual(before);
  });

  it('echoes a well-formed X-Request-Id and makes one up otherwise', async () => {
    const given = await admin.get('/api/v1/company', { headers: { 'x-request-id': 'trace-123.abc' } });
    expect(given.headers['x-request-id']).toBe('trace-123.abc');
    const replaced = await admin.get('/api/v1/company', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Idempotency-Key', () => {
  it('replays the stored response for the same key and body, without writing again', async () => {
    const body = expense();
    const first = await admin.post('/api/v1/expenses', body, { idempotencyKey: 'replay-1' });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const expenses = await countRows('expenses');

    const again = await admin.post('/api/v1/expenses', body, { idempotencyKey: 'replay-1' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await countRows('expenses', { column: 'merchant', value: body.merchant })).toBe(1);
    expect(await countRows('expenses')).toBe(expenses);
  });

  it('refuses the same key with a different body with 422 idempotency_key_reused, writing nothing', async () => {
    const body = expense();
    expect((await admin.post('/api/v1/expenses', body, { idempotencyKey: 'reuse-1' })).status).toBe(201);
    const other = { ...body, merchant: nextMerchant() };
    const reused = await admin.post('/api/v1/expenses', other, { idempotencyKey: 'reuse-1' });
    expectProblem(reused, 422, 'idempotency_key_reused', 'idempotency-key');
    expect(await countRows('expenses', { column: 'merchant', value: other.merchant })).toBe(0);
  });

  it('runs concurrent duplicate expenses once: one row, and every caller gets the same answer', async () => {
    const body = expense({ amount: '7.77' });
    const expenses = await countRows('expenses');
    const responses = await Promise.all(Array.from({ length: 6 }, () => admin.post('/api/v1/expenses', body, { idempotencyKey: 'concurrent-expense' })));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
    for (const response of responses) expect(response.body).toEqual(responses[0]!.body);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await countRows('expenses', { column: 'merchant', value: body.merchant })).toBe(1);
    expect(await countRows('expenses')).toBe(expenses + 1);
  });

  it('runs concurrent duplicate team creations once', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => admin.post('/api/v1/teams', { name: 'Concurrent Team' }, { idempotencyKey: 'concurrent-team' })));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
    for (const response of responses) expect(response.body).toEqual(responses[0]!.body);
    expect(await countRows('teams', { column: 'name', value: 'Concurrent Team' })).toBe(1);
  });

  it('keeps keys apart per caller: another person with the same key runs their own request', async () => {
    const colleague = await addPerson(admin, { email: 'second-admin@demo.outlay.test', name: 'Second Admin', roles: ['admin'] });
    const mine = await admin.post('/api/v1/teams', { name: 'Keyed Mine' }, { idempotencyKey: 'shared-key' });
    const theirs = await colleague.client.post('/api/v1/teams', { name: 'Keyed Theirs' }, { idempotencyKey: 'shared-key' });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.name).toBe('Keyed Theirs');
  });

  it('replays a stored error too, rather than running the request again', async () => {
    const taxCode = { code: 'CONV1', name: 'Conventions VAT', rate: '25', vatAccountCode: '2640' };
    expect((await admin.post('/api/v1/tax-codes', taxCode)).status).toBe(201);
    const first = await admin.post('/api/v1/tax-codes', taxCode, { idempotencyKey: 'stored-error' });
    expectProblem(first, 409, 'conflict', 'code');
    const again = await admin.post('/api/v1/tax-codes', taxCode, { idempotencyKey: 'stored-error' });
    expectProblem(again, 409, 'conflict', 'code');
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('leaves bearer secrets out of replays: no invitation link, no API key secret', async () => {
    const invite = { email: 'replayed-invitee@demo.outlay.test', name: 'Replayed Invitee', roles: ['employee'] };
    const invited = await admin.post('/api/v1/people/invitations', invite, { idempotencyKey: 'invite-once' });
    expect(invited.body.invitation.url).toMatch(/\/invite\//);
    const invitedAgain = await admin.post('/api/v1/people/invitations', invite, { idempotencyKey: 'invite-once' });
    expect(invitedAgain.headers['idempotent-replayed']).toBe('true');
    expect(invitedAgain.body.person.id).toBe(invited.body.person.id);
    expect(invitedAgain.body.invitation.url).toBeNull();

    const key = { name: 'Replayed key', scopes: ['company:read'] };
    const created = await admin.post('/api/v1/api-keys', key, { idempotencyKey: 'key-once' });
    expect(created.body.secret).toMatch(/^olk\./);
    const createdAgain = await admin.post('/api/v1/api-keys', key, { idempotencyKey: 'key-once' });
    expect(createdAgain.body.apiKey.id).toBe(created.body.apiKey.id);
    expect(createdAgain.body.secret).toBeNull();
    const stored = await server.database.db.selectFrom('idempotency_keys').select('response_body').execute();
    expect(stored.map((row) => row.response_body).join('\n')).not.toContain(created.body.secret);
  });

  it('refuses a malformed key, naming the header', async () => {
    expectProblem(await admin.post('/api/v1/teams', { name: 'Long Key' }, { idempotencyKey: 'k'.repeat(201) }), 400, 'validation_failed', 'idempotency-key');
    expect(await countRows('teams', { column: 'name', value: 'Long Key' })).toBe(0);
  });
});

describe('cursor pagination', () => {
  it('walks every page once, newest first, without duplicates or gaps', async () => {
    for (let i = 0; i < 23; i++) expect((await admin.post('/api/v1/teams', { name: `Paged ${i}` })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=5&cursor=${encodeURIComponent(cursor)}` : 'limit=5';
      const page: ApiResponse = await admin.get(`/api/v1/teams?${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(5);
      seen.push(...(page.body.items as { id: string }[]).map((item) => item.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 100);

    const stored = await server.database.db.selectFrom('teams').select('id').where('company_id', '=', companyId).execute();
    expect(stored.length).toBeGreaterThan(23);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(stored.map((row) => row.id).sort());
    expect(seen).toEqual([...seen].sort().reverse());
    expect(pages).toBe(Math.ceil(stored.length / 5));
  });

  it(`accepts up to ${pageSizeMax} items a page and refuses more, or none`, async () => {
    expect((await admin.get(`/api/v1/teams?limit=${pageSizeMax}`)).status).toBe(200);
    expectProblem(await admin.get(`/api/v1/teams?limit=${pageSizeMax + 1}`), 400, 'validation_failed', 'limit');
    expectProblem(await admin.get('/api/v1/teams?limit=0'), 400, 'validation_failed', 'limit');
    expectProblem(await admin.get('/api/v1/ledger/entries?limit=100000'), 400, 'validation_failed', 'limit');
  });

  it('refuses a cursor it did not give out', async () => {
    const forged = [
      'not-a-cursor',
      Buffer.from("team_' or 1=1 --", 'utf8').toString('base64url'),
      Buffer.from('42', 'utf8').toString('base64url'),
    ];
    for (const cursor of forged) {
      expectProblem(await admin.get(`/api/v1/teams?cursor=${encodeURIComponent(cursor)}`), 400, 'validation_failed', 'cursor');
      expectProblem(await admin.get(`/api/v1/people?cursor=${encodeURIComponent(cursor)}`), 400, 'validation_failed', 'cursor');
    }
  });
});

describe('identifiers', () => {
  it('are opaque prefixed ULIDs, not sequential numbers', async () => {
    const company = (await admin.get('/api/v1/company')).body;
    const people = (await admin.get('/api/v1/people')).body.items as { id: string }[];
    const teams = [(await admin.post('/api/v1/teams', { name: 'Id One' })).body, (await admin.post('/api/v1/teams', { name: 'Id Two' })).body];
    const topUps = (await admin.get('/api/v1/wallet/top-ups')).body.items as { id: string; entryId: string }[];
    const accounts = (await admin.get('/api/v1/ledger/accounts')).body.items as { id: string }[];
    const entries = (await admin.get('/api/v1/ledger/entries')).body.items as { id: string }[];
    const ids = [company.id, ...people.map((p) => p.id), ...teams.map((t) => t.id), ...topUps.flatMap((t) => [t.id, t.entryId]), ...accounts.map((a) => a.id), ...entries.map((e) => e.id)];
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(id).toMatch(/^[a-z]+_[0-9A-Z]{26}$/);
    // Two teams made one after the other share no more than their time part.
    expect(teams[0].id.slice(-16)).not.toBe(teams[1].id.slice(-16));
  });
});

describe('operator endpoints', () => {
  it('answers /health', async () => {
    const response = await anonymous(server.app).get('/health');
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('answers /ready when the database is reachable and its schema current', async () => {
    const response = await anonymous(server.app).get('/ready');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { database: true, schema: true, schemaState: 'current' } });
  });

  it('exposes request durations per route template on /metrics, not per raw URL', async () => {
    const person = (await admin.get('/api/v1/people')).body.items[0].id as string;
    await admin.get(`/api/v1/people/${person}`);
    await admin.get('/api/v1/unknown-thing-xyz');
    const response = await anonymous(server.app).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/people",status_code="200"\} \d+$/m);
    expect(response.text).toMatch(/^http_request_duration_seconds_bucket\{.*route="\/api\/v1\/people\/:id".*\} \d+$/m);
    expect(response.text).not.toContain(person);
    expect(response.text).not.toContain('unknown-thing-xyz');
  });

  it('serves an OpenAPI 3.1 document that lists every API route', async () => {
    const response = await anonymous(server.app).get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.info.title).toBe('Outlay API');
    expect(Object.keys(response.body.components.securitySchemes).sort()).toEqual(['apiKey', 'processorSignature', 'session']);
    const documented = Object.entries(response.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.sort()).toEqual(apiRoutes(server.app));
    expect(documented.every((route) => route.split(' ')[1]!.startsWith('/api/v1/'))).toBe(true);
  });

  it('serves the API reference at /docs', async () => {
    const response = await anonymous(server.app).get('/docs');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^text\/html/);
  });
});
