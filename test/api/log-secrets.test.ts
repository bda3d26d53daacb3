// Secrets never reach the log or the spans. The test walks the paths that handle them (an
// invitation made, looked at and accepted, a sign-in with a password, an API key made and
// used, a card issued and its number revealed) with the log at its most verbose and tracing
// on, then searches everything written for each secret it saw.
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { anonymous, createApiKey, createTenant, invitationToken, sessionFrom, signIn, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { openTestDatabase } from '../../src/test-support/database.js';
import { testConfig } from '../../src/test-support/server.js';

const exporter = new InMemorySpanExporter();
const logLines: string[] = [];
let server: RunningServer;
let tenant: Tenant;

beforeAll(async () => {
  const database = await openTestDatabase();
  const config = testConfig({ logLevel: 'trace', receipts: { ...testConfig().receipts, readers: 0 } });
  server = await startServer(config, { database, spanExporter: exporter, logStream: { write: (line: string) => void logLines.push(line) } });
  tenant = await createTenant(server, { name: 'Secretive Ltd', adminEmail: 'admin@secretive.test' });
});

afterAll(async () => {
  await server?.close();
});

/** Everything the server wrote: log lines, and every span's name and attributes. */
function everythingWritten(): string[] {
  const spans = exporter.getFinishedSpans().map((span) => JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events }));
  return [...logLines, ...spans];
}

describe('secrets in logs and spans', () => {
  it('writes no invitation token, password, API key, session or card number anywhere', async () => {
    const secrets: Record<string, string> = {};
    const newcomerPassword = 'a-secret-password-for-the-log-test';
    secrets.adminPassword = testPassword;
    secrets.newcomerPassword = newcomerPassword;

    const invited = await tenant.client.post('/api/v1/people/invitations', { email: 'newcomer@secretive.test', name: 'Nina Newcomer', roles: ['employee'] });
    expect(invited.status, invited.text).toBe(201);
    const token = invitationToken(invited.body.invitation.url as string);
    secrets.invitationToken = token;
    // The token's own secret part, in case something logs it alone.
    secrets.invitationSecret = token.split('.')[2]!;
    expect((await anonymous(server.app).get(`/api/v1/invitations/${token}`)).status).toBe(200);
    // The web app's page of the link, as a browser asks for it.
    await anonymous(server.app).get(`/invite/${token}`, { headers: { accept: 'text/html' } });
    const accepted = await anonymous(server.app).post(`/api/v1/invitations/${token}/accept`, { password: newcomerPassword });
    const newcomer = sessionFrom(server.app, accepted);
    secrets.newcomerSession = newcomer.credentials.cookie;
    secrets.newcomerCsrf = newcomer.credentials.csrfToken;

    const admin = await signIn(server.app, tenant.adminEmail, testPassword);
    secrets.adminSession = admin.credentials.cookie;
    secrets.adminCsrf = admin.credentials.csrfToken;
    const key = await createApiKey(admin, 'Log test', ['cards:manage', 'cards:read']);
    secrets.apiKey = key.secret;
    expect((await key.client.get('/api/v1/cards')).status).toBe(200);
    // A secret put where it does not belong: in a query parameter.
    await anonymous(server.app).get(`/api/v1/cards?token=${encodeURIComponent(key.secret)}`);

    const me = (await newcomer.get('/api/v1/session')).body.person.id as string;
    const card = await admin.post('/api/v1/cards', { userId: me, kind: 'virtual', purpose: 'Log test' });
    expect(card.status, card.text).toBe(201);
    const revealed = await newcomer.post(`/api/v1/cards/${card.body.id}/reveal`, { password: newcomerPassword });
    expect(revealed.status, revealed.text).toBe(200);
    secrets.cardNumber = revealed.body.number;
    secrets.cvv = revealed.body.cvv;

    await server.app.inject({ method: 'GET', url: '/api/v1/company' }); // lets the last lines flush
    const written = everythingWritten();
    // The log is there and names the requests: the search below looks at real text.
    expect(written.join('\n')).toContain('/api/v1/invitations/[redacted]/accept');
    expect(written.join('\n')).toContain('invitation created');
    for (const [name, secret] of Object.entries(secrets)) {
      // A CVV of three digits may turn up in any number; it is looked for as a field only.
      const found = name === 'cvv' ? written.find((line) => new RegExp(`"cvv"\\s*:\\s*"${secret}"`).test(line)) : written.find((line) => line.includes(secret));
      expect({ name, writtenIn: found?.slice(0, 400) ?? null }).toEqual({ name, writtenIn: null });
    }
  });
});
