// A real HTTP server that receives webhooks for a test: it records each request (headers and
// raw body) and answers with the statuses the test queues (200 when none is queued), and
// verifies signatures with the Standard Webhooks reference package at a time the test gives.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The next answers, in order: a status and an optional body. */
  answer(...answers: { status: number; body?: string }[]): void;
  /** Forgets what was received and the answers still queued. */
  reset(): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const answers: { status: number; body?: string }[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      received.push({ path: request.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.shift() ?? { status: 200, body: 'ok' };
      response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (...next) => void answers.push(...next),
    reset: () => {
      received.length = 0;
      answers.length = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Verifies a received webhook under `secret` as a receiver would at `at` (the package checks
 * the timestamp against its own clock, which is set to the test's for the check). Returns the
 * parsed payload; throws WebhookVerificationError when it does not check out.
 */
export function verifyWebhook(secret: string, webhook: ReceivedWebhook, at: Date): unknown {
  vi.useFakeTimers({ toFake: ['Date'], now: at });
  try {
    return new Webhook(secret).verify(webhook.body, webhook.headers);
  } finally {
    vi.useRealTimers();
  }
}
