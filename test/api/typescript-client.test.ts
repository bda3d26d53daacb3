// The typed client in clients/typescript against a real Outlay listening on a port: it
// authenticates with an API key, lists the expenses of a period, creates something, and
// surfaces the API's problem+json answers as OutlayProblems with their codes.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutlayClient, data, OutlayProblem, type OutlayClient } from '../../clients/typescript/src/index.js';
import type { RunningServer } from '../../src/server/server.js';
import { createApiKey, createTenant, type Tenant } from '../../src/test-support/api-client.js';
import { projectRoot } from '../../src/shared/project-root.js';
import { startTestServer } from '../../src/test-support/server.js';

let server: RunningServer;
let tenant: Tenant;
let outlay: OutlayClient;
let readOnly: OutlayClient;
let readSecret: string;

async function problemOfCall(call: Promise<unknown>): Promise<OutlayProblem> {
  const failure: unknown = await call.then(() => null, (error: unknown) => error);
  expect(failure).toBeInstanceOf(OutlayProblem);
  return failure as OutlayProblem;
}

beforeAll(async () => {
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'Typed Client ApS', currency: 'DKK', adminEmail: 'admin@typed.test' });
  for (const [spentOn, merchant, amount] of [['2026-10-30', 'Before', '10.00'], ['2026-11-02', 'Train', '42.50'], ['2026-11-28', 'Hotel', '1200.00'], ['2026-12-01', 'After', '5.00']] as const) {
    const filed = await tenant.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn, merchant, amount });
    expect(filed.status, filed.text).toBe(201);
  }
  const full = await createApiKey(tenant.client, 'integration', ['expenses:read', 'expenses:manage']);
  const narrow = await createApiKey(tenant.client, 'read only', ['expenses:read']);
  outlay = createOutlayClient({ baseUrl: server.url, apiKey: full.secret });
  readSecret = narrow.secret;
  readOnly = createOutlayClient({ baseUrl: `${server.url}/`, apiKey: narrow.secret });
});

afterAll(async () => {
  await server?.close();
});

describe('the typed TypeScript client', () => {
  it('lists the expenses of a period, with amounts as exact decimal strings', async () => {
    const page = await data(outlay.GET('/api/v1/expenses', { params: { query: { from: '2026-11-01', to: '2026-11-30', sort: 'spentOn', order: 'asc' } } }));
    expect(page.items.map((expense) => expense.merchant)).toEqual(['Train', 'Hotel']);
    expect(page.items.map((expense) => expense.amount)).toEqual([{ amount: '42.50', currency: 'DKK' }, { amount: '1200.00', currency: 'DKK' }]);
  });

  it('creates a tag group and reads it back', async () => {
    const created = await data(outlay.POST('/api/v1/tag-groups', { body: { name: 'Project' } }));
    expect(created.name).toBe('Project');
    const groups = await data(outlay.GET('/api/v1/tag-groups'));
    expect(groups.items.map((group) => group.id)).toContain(created.id);
  });

  it('throws an OutlayProblem with the stable code when the key lacks the scope', async () => {
    const problem = await problemOfCall(readOnly.POST('/api/v1/tag-groups', { body: { name: 'Cost centre' } }));
    expect(problem.status).toBe(403);
    expect(problem.code).toBe('forbidden');
    const groups = await data(outlay.GET('/api/v1/tag-groups'));
    expect(groups.items.map((group) => group.name)).not.toContain('Cost centre');
  });

  it('throws an OutlayProblem naming the field for a body the API refuses', async () => {
    const problem = await problemOfCall(outlay.POST('/api/v1/tag-groups', { body: { name: 'x'.repeat(61) } }));
    expect(problem.status).toBe(400);
    expect(problem.code).toBe('validation_failed');
    expect(problem.field).toBe('name');
  });

  it('throws unauthenticated for a key that is not valid', async () => {
    const stranger = createOutlayClient({ baseUrl: server.url, apiKey: 'olk.not-a-key' });
    const problem = await problemOfCall(stranger.GET('/api/v1/expenses'));
    expect(problem.status).toBe(401);
    expect(problem.code).toBe('unauthenticated');
  });

  it('runs the README\'s example: the expenses of a period, one a line', async () => {
    const example = path.join(projectRoot, 'clients', 'typescript', 'examples', 'expenses-of-a-period.ts');
    const { stdout } = await promisify(execFile)(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), [example, '2026-11-01', '2026-11-30'], {
      env: { ...process.env, OUTLAY_URL: server.url, OUTLAY_API_KEY: readSecret },
    });
    const lines = stdout.trim().split('\n').map((line) => line.split('\t'));
    expect(lines.map((fields) => [fields[0], fields[2], fields[3]])).toEqual([['2026-11-02', 'Train', '42.50 DKK'], ['2026-11-28', 'Hotel', '1200.00 DKK']]);
  });

  it('throws network_error when nothing answers', async () => {
    const nowhere = createOutlayClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'olk.any' });
    const problem = await problemOfCall(nowhere.GET('/api/v1/expenses'));
    expect(problem.code).toBe('network_error');
  });
});
