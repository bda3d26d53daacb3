// The web app as a browser receives it: the page checked on every load, its hashed assets
// kept for a year, and each asset in the smallest encoding the browser accepts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRoot } from '../../src/http/app.js';
import type { RunningServer } from '../../src/server/server.js';
import { startTestServer } from '../../src/test-support/server.js';

let server: RunningServer;
let scriptPath: string;

beforeAll(async () => {
  server = await startTestServer();
  // npm test builds the web app first (pretest); the page names its hashed script.
  const page = readFileSync(path.join(webRoot, 'index.html'), 'utf8');
  scriptPath = /<script[^>]+src="([^"]+\.js)"/.exec(page)![1]!;
});

afterAll(async () => {
  await server?.close();
});

const get = (url: string, headers: Record<string, string>) => server.app.inject({ method: 'GET', url, headers });

describe('the web app', () => {
  it('sends the page to be checked again on every load, also for a deep link', async () => {
    for (const url of ['/', '/expenses/exp_01JXYZ']) {
      const page = await get(url, { accept: 'text/html' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body).toContain(scriptPath);
    }
  });

  it('lets a browser keep a hashed asset for a year, in the encoding it prefers', async () => {
    const raw = readFileSync(path.join(webRoot, scriptPath));
    const plain = await get(scriptPath, {});
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBe(raw.length);

    const brotli = await get(scriptPath, { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotli.rawPayload.length).toBeLessThan(raw.length / 3);

    const gzip = await get(scriptPath, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.rawPayload.length).toBeLessThan(raw.length / 2);
  });
});
