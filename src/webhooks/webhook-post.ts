// Posts one signed webhook and reads a bounded answer. No redirect is followed (a 3xx is an
// answer, and a failed delivery), the whole exchange has a deadline, and at most
// responseBytesMax of the body are read: a receiver cannot hold a worker or fill its memory.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { AddressRefusedError, guardedLookup, isPublicAddress } from './endpoint-url.js';

/** The whole exchange, connecting to the last byte read. */
export const webhookRequestTimeoutMs = 10_000;
/** Bytes of a response read at most; the rest is not waited for. */
export const responseBytesMax = 16 * 1024;
/** Characters of a response kept in the delivery log. */
export const responseLogCharsMax = 2_000;

export interface PostOutcome {
  statusCode: number | null;
  /** The start of the response body (at most responseLogCharsMax characters). */
  body: string | null;
  error: string | null;
  durationMs: number;
}

export async function postWebhook(url: string, body: string, headers: Record<string, string>, options: { production: boolean; startedAt: number; timeoutMs?: number }): Promise<PostOutcome> {
  const target = new URL(url);
  const elapsed = () => Math.max(0, Date.now() - options.startedAt);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (options.production && isIP(host) !== 0 && !isPublicAddress(host)) return { statusCode: null, body: null, error: new AddressRefusedError(host).message, durationMs: 0 };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<PostOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Outlay-Webhooks/1' },
      lookup: guardedLookup(options.production),
      agent: false,
    });
    const timeoutMs = options.timeoutMs ?? webhookRequestTimeoutMs;
    const timer = setTimeout(() => {
      request.destroy();
      finish({ statusCode: null, body: null, error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    request.on('error', (error) => finish({ statusCode: null, body: null, error: error.message }));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let read = 0;
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8').replaceAll('\u0000', '').slice(0, responseLogCharsMax);
        finish({ statusCode: response.statusCode ?? null, body: text, error: null });
      };
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read <= responseBytesMax) chunks.push(chunk);
        else {
          chunks.push(chunk.subarray(0, responseBytesMax - (read - chunk.length)));
          response.destroy();
          done();
        }
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(body);
  });
}
