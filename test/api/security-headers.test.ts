// What a browser is told about Outlay's pages: a Content-Security-Policy without inline
// scripts (Swagger UI at /docs with a policy of its own), no framing anywhere, HSTS only when
// the public address is https, and session cookies that are Secure there. And whose word on
// the client's address is taken: a proxy's only when OUTLAY_TRUST_PROXY says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { anonymous, createTenant, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { openTestDatabase } from '../../src/test-support/database.js';
import { testConfig } from '../../src/test-support/server.js';

const logLines: string[] = [];
let config: Config;
let server: RunningServer;
let tenant: Tenant;

beforeAll(async () => {
  config = testConfig({ logLevel: 'info' });
  server = await startServer(config, { database: await openTestDatabase(), logStream: { write: (line: string) => void logLines.push(line) } });
  tenant = await createTenant(server, { name: 'Headers Ltd', adminEmail: 'admin@headers.test' });
});

afterAll(async () => {
  await server?.close();
});

/** The server answers as if it were published at `publicUrl` (a test server on an ephemeral
 * port takes its own address as the public one when it starts). */
function publishedAt(publicUrl: string): void {
  config.publicUrl = publicUrl;
}

const directives = (policy: unknown) => new Map(String(policy).split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe('the Content-Security-Policy', () => {
  it('lets the web app load only files of its own origin: no inline script or style, no framing', async () => {
    publishedAt('http://127.0.0.1:3000');
    const page = await anonymous(server.app).get('/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const policy = directives(page.headers['content-security-policy']);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(page.headers['x-frame-options']).toBe('DENY');
    // The built page keeps to it: no inline script, one module of this origin.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('sends the same headers on API answers and on errors', async () => {
    // (Those of Fastify's errors before routing: test/api/input-safety.test.ts.)
    for (const response of [await tenant.client.get('/api/v1/company'), await tenant.client.get('/api/v1/nothing-here'), await tenant.client.post('/api/v1/teams', { name: 42 })]) {
      expect(directives(response.headers['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"]);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('gives Swagger UI at /docs its own policy: its scripts are files of this origin, its styles inline', async () => {
    const docs = await anonymous(server.app).get('/docs/');
    expect(docs.status).toBe(200);
    const policy = directives(docs.headers['content-security-policy']);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(docs.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('https', () => {
  it('sends Strict-Transport-Security only when the public address is https', async () => {
    publishedAt('http://outlay.internal:3000');
    expect((await anonymous(server.app).get('/api/v1/session')).headers['strict-transport-security']).toBeUndefined();
    publishedAt('https://outlay.example');
    expect((await anonymous(server.app).get('/api/v1/session')).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    publishedAt('HTTPS://outlay.example');
    expect((await anonymous(server.app).get('/api/v1/session')).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    publishedAt('http://127.0.0.1:3000');
  });

  it('makes session cookies Secure whenever the public address is https', () => {
    const keys = { OUTLAY_SESSION_KEY: Buffer.alloc(32, 1).toString('base64'), OUTLAY_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'), OUTLAY_PROCESSOR_SECRET: Buffer.alloc(32, 3).toString('base64') };
    const secureOf = (publicUrl: string) => loadConfig({ ...keys, OUTLAY_PUBLIC_URL: publicUrl, OUTLAY_DATA_DIR: config.dataDir }).cookieSecure;
    expect(secureOf('https://outlay.example')).toBe(true);
    expect(secureOf('HTTPS://outlay.example')).toBe(true);
    expect(secureOf('https://10.0.0.5:8443')).toBe(true);
    // Browsers treat localhost as secure, so a Secure cookie works there on http too.
    expect(secureOf('http://localhost:3000')).toBe(true);
    // On http elsewhere a Secure cookie would never be sent back: signing in could not work.
    expect(secureOf('http://outlay.internal:3000')).toBe(false);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax and Secure as configured', async () => {
    const response = await anonymous(server.app).post('/api/v1/session', { email: tenant.adminEmail, password: testPassword });
    const cookie = [response.headers['set-cookie']].flat().map(String).find((line) => line.startsWith('outlay_session='));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Secure/);
  });
});

describe('the client address behind a proxy', () => {
  const loggedAddressOf = async (target: RunningServer, lines: string[], path: string) => {
    await target.app.inject({ method: 'GET', url: path, headers: { 'x-forwarded-for': '203.0.113.7' } });
    const line = lines.map((text) => JSON.parse(text) as { req?: { url?: string; remoteAddress?: string } }).find((entry) => entry.req?.url === path);
    return line?.req?.remoteAddress;
  };

  it('ignores X-Forwarded-For unless OUTLAY_TRUST_PROXY trusts the proxy that sent it', async () => {
    // This server trusts no proxy (the default).
    expect(await loggedAddressOf(server, logLines, '/api/v1/session?untrusted')).toBe('127.0.0.1');
    const trustingLines: string[] = [];
    const trusting = await startServer(testConfig({ logLevel: 'info', trustProxy: ['127.0.0.1'] }), { database: await openTestDatabase(), logStream: { write: (line: string) => void trustingLines.push(line) } });
    try {
      expect(await loggedAddressOf(trusting, trustingLines, '/api/v1/session?trusted')).toBe('203.0.113.7');
    } finally {
      await trusting.close();
    }
  });
});
