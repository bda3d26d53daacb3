// The demo company's webhook endpoint: a fresh demo start has one subscribing to every event,
// pointed at the server's own demo receiver, and what the seeding did (the top-up, the cards,
// the purchases, the expenses) is delivered there over HTTP and logged as delivered with the
// receiver's 204. The receiver accepts a message only when it is signed by the endpoint's
// secret, and exists only in demo mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/seed.js';
import type { RunningServer } from '../../src/server/server.js';
import { signIn, type SessionClient } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { signatureHeaders } from '../../src/webhooks/webhook-signing.js';

let server: RunningServer;
let admin: SessionClient;
let endpoint: { id: string; url: string; eventTypes: string[] };

interface Delivery { eventType: string; payload: string; status: string; attemptLog: { statusCode: number | null }[] }

beforeAll(async () => {
  server = await startTestServer({ demo: true, webhookPollIntervalMs: 0, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  const login = demoLogins.find((candidate) => candidate.role === 'admin')!;
  admin = await signIn(server.app, login.email, login.password);
  const endpoints = (await admin.get('/api/v1/webhooks/endpoints')).body.items as typeof endpoint[];
  expect(endpoints).toHaveLength(1);
  endpoint = endpoints[0]!;
});

afterAll(async () => {
  await server?.close();
});

describe('the demo webhook endpoint', () => {
  it('points at this server\'s demo receiver and subscribes to every event', async () => {
    const types = (await admin.get('/api/v1/webhooks/event-types')).body.items.map((type: { type: string }) => type.type);
    expect(new URL(endpoint.url).origin).toBe(server.url);
    expect(endpoint.eventTypes.sort()).toEqual([...types].sort());
  });

  it('delivers what the seeding did to the receiver, which checks each signature', async () => {
    const queued = (await admin.get(`/api/v1/webhooks/endpoints/${endpoint.id}/deliveries?limit=100`)).body.items as Delivery[];
    expect(queued.length).toBeGreaterThan(0);
    expect(await server.webhooks.deliverDue()).toBe(queued.length);
    const log = (await admin.get(`/api/v1/webhooks/endpoints/${endpoint.id}/deliveries?limit=100`)).body.items as Delivery[];
    expect(log.map((delivery) => [delivery.status, delivery.attemptLog.map((attempt) => attempt.statusCode)])).toEqual(log.map(() => ['delivered', [204]]));
    expect(log.map((delivery) => delivery.eventType)).toEqual(expect.arrayContaining(['card.created', 'top_up.received']));
  });

  it('refuses a message not signed by the endpoint\'s secret', async () => {
    const path = new URL(endpoint.url).pathname;
    const body = JSON.stringify({ type: 'card.created', data: {} });
    const forged = signatureHeaders({ id: 'msg_forged', at: new Date(), body }, [`whsec_${Buffer.alloc(32, 7).toString('base64')}`]);
    const response = await server.app.inject({ method: 'POST', url: path, headers: { ...forged, 'content-type': 'application/json' }, payload: body });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'signature_invalid' });
    const unknown = await server.app.inject({ method: 'POST', url: path.replace(endpoint.id, 'whe_unknown'), headers: { ...forged, 'content-type': 'application/json' }, payload: body });
    expect(unknown.statusCode).toBe(401);
  });
});

describe('outside demo mode', () => {
  it('has no demo receiver', async () => {
    const plain = await startTestServer();
    try {
      const response = await plain.app.inject({ method: 'POST', url: '/demo/webhook-receiver/co/whe', headers: { 'content-type': 'application/json' }, payload: '{}' });
      expect(response.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
