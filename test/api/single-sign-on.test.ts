// Single sign-on against a real OpenID Connect provider (oidc-provider) and a real DNS server,
// followed through as a browser follows it: Outlay -> the provider -> back to Outlay's callback
// -> the app, with each site's cookies kept apart. A company proves its domain by DNS before its
// provider signs anyone in; a verified address of that domain signs in (or is provisioned with
// roles mapped from its groups); everything else ends on the sign-in page with a reason.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { authenticator } from 'otplib';
import { anonymous, createTenant, sessionFrom, withSession, type Tenant } from '../../src/test-support/api-client.js';
import { startTestDnsServer, type TestDnsServer } from '../../src/test-support/dns-server.js';
import { startTestOidcProvider, type TestOidcProvider } from '../../src/test-support/oidc-provider.js';
import { startTestServer } from '../../src/test-support/server.js';

let dns: TestDnsServer;
let server: RunningServer;
let idp: TestOidcProvider;
let tenant: Tenant;
let other: Tenant;

/** A browser: follows redirects, keeps each host's cookies, and says where it ended. */
async function browse(start: string): Promise<{ url: URL; status: number; cookies: Map<string, Map<string, string>>; body: string }> {
  const cookies = new Map<string, Map<string, string>>();
  let url = new URL(start);
  for (let hop = 0; hop < 20; hop += 1) {
    const jar = cookies.get(url.host) ?? new Map<string, string>();
    cookies.set(url.host, jar);
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') } });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attributes.some((attribute) => /^\s*expires=Thu, 01 Jan 1970/i.test(attribute) || /^\s*max-age=0/i.test(attribute));
      if (expired) jar.delete(name!.trim());
      else jar.set(name!.trim(), value.join('='));
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    return { url, status: response.status, cookies, body: await response.text() };
  }
  throw new Error('too many redirects');
}

/** Signs in through the provider as this account; the session cookie Outlay set, if any, and where it ended. */
async function signInThroughProvider(email: string): Promise<{ ended: URL; session: string | undefined }> {
  const result = await browse(`${server.url}/api/v1/sso/start?email=${encodeURIComponent(email)}`);
  return { ended: result.url, session: result.cookies.get(new URL(server.url).host)?.get('outlay_session') };
}

async function sessionOf(cookie: string) {
  const response = await fetch(`${server.url}/api/v1/session`, { headers: { cookie: `outlay_session=${cookie}` } });
  return { status: response.status, body: (await response.json()) as { person: { email: string; name: string; roles: string[] } } };
}

beforeAll(async () => {
  dns = await startTestDnsServer();
  server = await startTestServer({ config: { dnsServers: [dns.address] } });
  idp = await startTestOidcProvider(() => `${server.url}/api/v1/sso/callback`);
  tenant = await createTenant(server, { name: 'Fjord Kaffe ApS', adminEmail: 'admin@fjord.test' });
  other = await createTenant(server, { name: 'Squatters Ltd', adminEmail: 'admin@squatters.test' });
});

afterAll(async () => {
  await idp?.close();
  await server?.close();
  await dns?.close();
});

describe('single sign-on with OpenID Connect', () => {
  it('keeps the provider\'s secret: set once, never shown, not in the audit trail', async () => {
    const set = await tenant.client.request('PUT', '/api/v1/sso', {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      provisionPeople: true,
      defaultRoles: ['employee'],
      roleClaim: 'groups',
      roleMap: { finance: 'bookkeeper', staff: 'employee' },
      enabled: true,
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body.connection).toMatchObject({ protocol: 'oidc', issuer: idp.issuer, clientId: 'outlay', provisionPeople: true, roleClaim: 'groups', saml: null });
    expect(set.body.callbackUrl).toBe(`${server.url}/api/v1/sso/callback`);
    expect(set.text).not.toContain(idp.clientSecret);
    const audit = await tenant.client.get('/api/v1/audit-events?action=sso.updated');
    expect(audit.body.items).toHaveLength(1);
    expect(audit.text).not.toContain(idp.clientSecret);
    const stored = await server.database.db.selectFrom('sso_connections').select('client_secret_ciphertext').executeTakeFirstOrThrow();
    expect(stored.client_secret_ciphertext).not.toContain(idp.clientSecret);
  });

  it('signs nobody in for a domain until its DNS record proves it, and gives a domain to one company only', async () => {
    idp.signInAs({ sub: 'early', email: 'early@fjord.test', email_verified: true, name: 'Early', groups: ['staff'] });
    expect((await signInThroughProvider('early@fjord.test')).ended.search).toBe('?ssoError=sso_not_configured');
    const added = await tenant.client.post('/api/v1/sso/domains', { domain: 'Fjord.test' });
    expect(added.status, added.text).toBe(201);
    expect(added.body).toMatchObject({ domain: 'fjord.test', verifiedAt: null, record: { name: '_outlay-verification.fjord.test' } });
    const notYet = await tenant.client.post('/api/v1/sso/domains/fjord.test/verify');
    expect(notYet.status).toBe(422);
    expect(notYet.body.code).toBe('domain_unverified');
    // Another company asks for the same domain; asking blocks nobody.
    const squatted = await other.client.post('/api/v1/sso/domains', { domain: 'fjord.test' });
    expect(squatted.status).toBe(201);
    dns.setTxt('_outlay-verification.fjord.test', ['v=spf1 -all', added.body.record.value]);
    const verified = await tenant.client.post('/api/v1/sso/domains/fjord.test/verify');
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body.verifiedAt).not.toBeNull();
    dns.setTxt('_outlay-verification.fjord.test', [added.body.record.value, squatted.body.record.value]);
    const second = await other.client.post('/api/v1/sso/domains/fjord.test/verify');
    expect(second.status).toBe(409);
  });

  it('provisions a verified address on its first sign-in, with roles from its groups, and signs it in', async () => {
    idp.signInAs({ sub: 'mette-1', email: 'Mette@fjord.test', email_verified: true, name: 'Mette Holm', groups: ['finance', 'staff', 'unmapped'] });
    const { ended, session } = await signInThroughProvider('mette@fjord.test');
    expect(ended.pathname + ended.search).toBe('/');
    expect(session).toBeDefined();
    const signedIn = await sessionOf(session!);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.person).toMatchObject({ email: 'mette@fjord.test', name: 'Mette Holm', roles: ['bookkeeper', 'employee'] });
    const audit = (await tenant.client.get('/api/v1/audit-events?action=person.created')).body.items as { details: { via?: string } }[];
    expect(audit.some((item) => item.details.via === 'single_sign_on')).toBe(true);
  });

  it('follows the groups at the next sign-in', async () => {
    idp.signInAs({ sub: 'mette-1', email: 'mette@fjord.test', email_verified: true, name: 'Mette Holm', groups: ['staff'] });
    const { session } = await signInThroughProvider('mette@fjord.test');
    expect((await sessionOf(session!)).body.person.roles).toEqual(['employee']);
  });

  it.each([
    ['an address the provider has not verified', { sub: 'u2', email: 'unverified@fjord.test', email_verified: false, groups: ['staff'] }, 'sso_refused'],
    ['an address of another domain, though the provider vouches for it', { sub: 'u3', email: 'admin@squatters.test', email_verified: true, groups: ['staff'] }, 'sso_refused'],
    ['a person whose groups give no role', { sub: 'u4', email: 'visitor@fjord.test', email_verified: true, groups: ['visitors'] }, 'sso_refused'],
  ])('refuses %s, and sets no session', async (_name, account, code) => {
    idp.signInAs(account);
    const { ended, session } = await signInThroughProvider('someone@fjord.test');
    expect(ended.search).toBe(`?ssoError=${code}`);
    expect(session).toBeUndefined();
  });

  it('asks a person with two-step sign-in for a code: no cookie after the provider, the challenge in the fragment of the sign-in page, and a code starts the session', async () => {
    idp.signInAs({ sub: 'tove-1', email: 'tove@fjord.test', email_verified: true, name: 'Tove Totp', groups: ['staff'] });
    const first = await signInThroughProvider('tove@fjord.test');
    const { csrfToken } = (await sessionOf(first.session!)).body as unknown as { csrfToken: string };
    const tove = withSession(server.app, first.session!, csrfToken);
    const { secret } = (await tove.post('/api/v1/me/mfa/totp')).body as { secret: string };
    const confirmed = await tove.post('/api/v1/me/mfa/totp/confirm', { code: authenticator.generate(secret) });
    expect(confirmed.status, confirmed.text).toBe(200);

    const { ended, session } = await signInThroughProvider('tove@fjord.test');
    expect(session).toBeUndefined();
    expect(ended.pathname).toBe('/login');
    const challenge = new URLSearchParams(ended.hash.slice(1)).get('mfaChallenge');
    expect(challenge).toEqual(expect.any(String));
    const completed = await anonymous(server.app).post('/api/v1/session/mfa', { challenge, code: confirmed.body.recoveryCodes[0] });
    expect((await sessionFrom(server.app, completed).get('/api/v1/session')).body.person.email).toBe('tove@fjord.test');
  });

  it('gives up on a provider whose answer is larger than any metadata, instead of reading it all', async () => {
    // Metadata that would do, but for the 2 MiB it carries.
    let issuer = '';
    const huge = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, padding: 'x'.repeat(2 * 1024 * 1024) }));
    });
    await new Promise<void>((resolve) => huge.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(huge.address() as AddressInfo).port}`;
    const settings = { clientId: idp.clientId, provisionPeople: true, defaultRoles: ['employee'], roleClaim: 'groups', roleMap: { finance: 'bookkeeper', staff: 'employee' }, enabled: true };
    try {
      expect((await tenant.client.request('PUT', '/api/v1/sso', { ...settings, issuer })).status).toBe(200);
      const { ended, session } = await signInThroughProvider('mette@fjord.test');
      expect(ended.search).toBe('?ssoError=sso_provider_unavailable');
      expect(session).toBeUndefined();
    } finally {
      expect((await tenant.client.request('PUT', '/api/v1/sso', { ...settings, issuer: idp.issuer })).status).toBe(200);
      await new Promise<void>((resolve) => huge.close(() => resolve()));
    }
  });

  it('refuses a callback this browser did not start', async () => {
    const result = await browse(`${server.url}/api/v1/sso/callback?code=stolen&state=guessed`);
    expect(result.url.search).toBe('?ssoError=sso_failed');
    expect(result.cookies.get(new URL(server.url).host)?.get('outlay_session')).toBeUndefined();
  });
});
