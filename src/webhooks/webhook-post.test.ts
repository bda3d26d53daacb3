// Posting one webhook against real servers: production refuses internal addresses, by literal
// or by what a name resolves to, before anything is sent; a receiver that never answers is
// given up at the deadline; a redirect is an answer, not followed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.js';
import { postWebhook } from './webhook-post.js';

let receiver: WebhookReceiver;
let silent: http.Server;
let silentUrl: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  // Reads the request and never answers.
  silent = http.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await receiver?.close();
  silent?.closeAllConnections();
  await new Promise((resolve) => silent?.close(resolve));
});

const post = (url: string, production: boolean, timeoutMs?: number) => postWebhook(url, '{"type":"card.created"}', { 'webhook-id': 'evt_1' }, { production, startedAt: Date.now(), ...(timeoutMs ? { timeoutMs } : {}) });

describe('posting a webhook', () => {
  it('sends to a local receiver in development', async () => {
    receiver.reset();
    const outcome = await post(`${receiver.url}/in`, false);
    expect(outcome).toMatchObject({ statusCode: 200, body: 'ok', error: null });
    expect(receiver.received[0]).toMatchObject({ path: '/in', body: '{"type":"card.created"}' });
    expect(receiver.received[0]!.headers['content-type']).toBe('application/json');
  });

  it('refuses in production a loopback address, given as such or by a name that resolves to it, sending nothing', async () => {
    receiver.reset();
    const port = new URL(receiver.url).port;
    for (const url of [`http://127.0.0.1:${port}/in`, `http://localhost:${port}/in`]) {
      const outcome = await post(url, true);
      expect(outcome.statusCode, url).toBeNull();
      expect(outcome.error, url).toMatch(/resolves to an address webhooks are not sent to/);
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('gives up on a receiver that does not answer by the deadline', async () => {
    const started = Date.now();
    const outcome = await post(silentUrl, false, 300);
    expect(outcome).toMatchObject({ statusCode: null, error: 'no answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('takes a redirect as the answer, without following it', async () => {
    receiver.reset();
    receiver.answer({ status: 302, body: 'moved' });
    const outcome = await post(`${receiver.url}/old`, false);
    expect(outcome.statusCode).toBe(302);
    expect(receiver.received).toHaveLength(1);
  });
});
