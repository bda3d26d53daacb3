// Single sign-on with SAML 2.0 against a SAML identity provider started here (saml-idp.ts) and a
// real DNS server, followed through as a browser follows it: Outlay -> the provider (an
// AuthnRequest by redirect) -> its form POSTed to Outlay's assertion consumer service -> the
// app, each site's cookies kept apart. A verified address of the company's proven domain signs
// in (provisioned, roles from its groups); a response signed by another key, replayed, expired,
// for another audience or another request, or of an unproven domain, is refused.
import { verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { createTenant, type Tenant } from '../../src/test-support/api-client.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { startTestDnsServer, type TestDnsServer } from '../../src/test-support/dns-server.js';
import { makeSigningKey, startTestSamlIdp, type SamlBend, type TestSamlIdp } from '../../src/test-support/saml-idp.js';
import { startTestServer } from '../../src/test-support/server.js';

let dns: TestDnsServer;
let server: RunningServer;
let idp: TestSamlIdp;
let tenant: Tenant;

type Jar = Map<string, Map<string, string>>;
interface PostedForm { url: URL; fields: URLSearchParams; cookie: string }

function keepCookies(jar: Map<string, string>, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';');
    const [name, ...value] = pair!.split('=');
    const expired = attributes.some((attribute) => /^\s*expires=Thu, 01 Jan 1970/i.test(attribute) || /^\s*max-age=0/i.test(attribute));
    if (expired) jar.delete(name!.trim());
    else jar.set(name!.trim(), value.join('='));
  }
}

/** The form of a page that submits itself on load (the HTTP-POST binding's page). */
function selfSubmittingForm(html: string, base: URL): { url: URL; fields: URLSearchParams } | null {
  const form = /<form method="post" action="([^"]+)">/.exec(html);
  if (!form) return null;
  const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const fields = new URLSearchParams();
  for (const input of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.append(input[1]!, unescape(input[2]!));
  return { url: new URL(unescape(form[1]!), base), fields };
}

/** A browser: follows redirects and self-submitting forms, keeps each host's cookies. */
async function browse(start: string): Promise<{ url: URL; cookies: Jar; posted: PostedForm | null }> {
  const cookies: Jar = new Map();
  let url = new URL(start);
  let post: URLSearchParams | null = null;
  let posted: PostedForm | null = null;
  for (let hop = 0; hop < 20; hop += 1) {
    const jar = cookies.get(url.host) ?? new Map<string, string>();
    cookies.set(url.host, jar);
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, post
      ? { method: 'POST', redirect: 'manual', body: post, headers: { cookie, origin: 'http://idp.example' } }
      : { redirect: 'manual', headers: { cookie } });
    if (post) posted = { url, fields: post, cookie };
    post = null;
    keepCookies(jar, response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    const form = response.status === 200 ? selfSubmittingForm(await response.text(), url) : null;
    if (!form) return { url, cookies, posted };
    url = form.url;
    post = form.fields;
  }
  throw new Error('too many hops');
}

async function signInAt(email: string, bend?: SamlBend) {
  idp.signInAs({ email, attributes: { groups: ['finance', 'staff', 'unmapped'], displayName: 'Mette Holm' } }, bend);
  const result = await browse(`${server.url}/api/v1/sso/start?email=${encodeURIComponent(email)}`);
  return { ended: result.url, session: result.cookies.get(new URL(server.url).host)?.get('outlay_session'), posted: result.posted };
}

async function sessionOf(cookie: string) {
  const response = await fetch(`${server.url}/api/v1/session`, { headers: { cookie: `outlay_session=${cookie}` } });
  return { status: response.status, body: (await response.json()) as { person: { email: string; name: string; roles: string[] } } };
}

const connection = () => ({
  protocol: 'saml',
  idpEntityId: idp.entityId,
  ssoUrl: idp.ssoUrl,
  certificates: [idp.key.certificate],
  emailAttribute: null,
  nameAttribute: 'displayName',
  provisionPeople: true,
  defaultRoles: ['employee'],
  roleClaim: 'groups',
  roleMap: { finance: 'bookkeeper', staff: 'employee' },
  enabled: true,
});

beforeAll(async () => {
  dns = await startTestDnsServer();
  server = await startTestServer({ config: { dnsServers: [dns.address] } });
  idp = await startTestSamlIdp();
  tenant = await createTenant(server, { name: 'Fjord Kaffe ApS', adminEmail: 'admin@fjord.test' });
  const added = await tenant.client.post('/api/v1/sso/domains', { domain: 'fjord.test' });
  dns.setTxt('_outlay-verification.fjord.test', [added.body.record.value]);
  expect((await tenant.client.post('/api/v1/sso/domains/fjord.test/verify')).status).toBe(200);
});

afterAll(async () => {
  await idp?.close();
  await server?.close();
  await dns?.close();
});

describe('single sign-on with SAML 2.0', () => {
  it('sets a SAML connection, shows its certificates and publishes the service provider metadata', async () => {
    const other = makeSigningKey('Next key of the IdP');
    const set = await tenant.client.request('PUT', '/api/v1/sso', { ...connection(), certificates: [idp.key.certificate, other.certificate] });
    expect(set.status, set.text).toBe(200);
    const metadataUrl = `${server.url}/api/v1/sso/saml/metadata/${tenant.company.id}`;
    expect(set.body.connection).toMatchObject({ protocol: 'saml', issuer: idp.entityId, clientId: metadataUrl, roleClaim: 'groups' });
    expect(set.body.connection.saml).toMatchObject({ idpEntityId: idp.entityId, ssoUrl: idp.ssoUrl, spEntityId: metadataUrl, metadataUrl, emailAttribute: null });
    expect(set.body.connection.saml.certificates.map((certificate: { subject: string }) => certificate.subject)).toEqual(['CN=Test SAML IdP', 'CN=Next key of the IdP']);
    expect(set.body.samlAcsUrl).toBe(`${server.url}/api/v1/sso/saml/acs`);
    const audit = await tenant.client.get('/api/v1/audit-events?action=sso.updated');
    expect(audit.body.items[0].details).toMatchObject({ protocol: 'saml', idpEntityId: idp.entityId });
    expect(audit.text).not.toContain('BEGIN CERTIFICATE');
    const metadata = await fetch(metadataUrl);
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const xml = await metadata.text();
    expect(xml).toContain(`entityID="${metadataUrl}"`);
    expect(xml).toContain(`Location="${server.url}/api/v1/sso/saml/acs"`);
    expect((await fetch(`${server.url}/api/v1/sso/saml/metadata/cmp_nobody`)).status).toBe(404);
  });

  it('asks for the client secret when the company goes from SAML to OpenID Connect, having never given one', async () => {
    const response = await tenant.client.request('PUT', '/api/v1/sso', { issuer: 'https://idp.fjord.test', clientId: 'outlay', provisionPeople: false, defaultRoles: ['employee'], roleClaim: null, roleMap: {}, enabled: true });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_failed', field: 'clientSecret' });
    expect((await tenant.client.get('/api/v1/sso')).body.connection.protocol).toBe('saml');
  });

  it('refuses a certificate that is not one', async () => {
    const response = await tenant.client.request('PUT', '/api/v1/sso', { ...connection(), certificates: ['-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----'] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_failed', field: 'certificates.0' });
  });

  it('provisions a verified address on its first sign-in, with roles from its groups, and signs it in', async () => {
    const { ended, session } = await signInAt('Mette@fjord.test');
    expect(ended.pathname + ended.search).toBe('/');
    expect(session).toBeDefined();
    const signedIn = await sessionOf(session!);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.person).toMatchObject({ email: 'mette@fjord.test', name: 'Mette Holm', roles: ['bookkeeper', 'employee'] });
    const request = idp.requests.at(-1)!;
    expect(request).toMatchObject({ issuer: `${server.url}/api/v1/sso/saml/metadata/${tenant.company.id}`, acsUrl: `${server.url}/api/v1/sso/saml/acs` });
    expect(request.id).toMatch(/^_[0-9a-f]{40}$/);
  });

  it('refuses an assertion used a second time', async () => {
    const first = await signInAt('mette@fjord.test');
    expect(first.session).toBeDefined();
    // The same form again, with the pending cookie the browser had when it posted it.
    const again = await fetch(first.posted!.url, { method: 'POST', redirect: 'manual', body: first.posted!.fields, headers: { cookie: first.posted!.cookie } });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/?ssoError=sso_failed');
    expect(again.headers.getSetCookie().some((line) => line.startsWith('outlay_session='))).toBe(false);
  });

  it.each<[string, () => SamlBend]>([
    ['signed with another key', () => ({ signWith: makeSigningKey('Impostor') })],
    ['expired', () => ({ validForMinutes: -5 })],
    ['for another audience', () => ({ audience: 'https://another-sp.test' })],
    ['in response to another request', () => ({ inResponseTo: '_0000000000000000000000000000000000000000' })],
    ['for another recipient', () => ({ recipient: 'https://another-sp.test/acs' })],
    ['issued by another provider', () => ({ issuer: 'https://impostor-idp.test' })],
  ])('refuses a response %s, and sets no session', async (_name, bend) => {
    const { ended, session } = await signInAt('mette@fjord.test', bend());
    expect(ended.pathname + ended.search).toBe('/?ssoError=sso_failed');
    expect(session).toBeUndefined();
  });

  it('refuses an address of a domain the company has not proven, though the provider vouches for it', async () => {
    idp.signInAs({ email: 'admin@squatters.test', attributes: { groups: ['staff'] } });
    const result = await browse(`${server.url}/api/v1/sso/start?email=${encodeURIComponent('mette@fjord.test')}`);
    expect(result.url.search).toBe('?ssoError=sso_refused');
    expect(result.cookies.get(new URL(server.url).host)?.get('outlay_session')).toBeUndefined();
  });

  it('refuses a signed response once a document type declaration is put before it, and a body over the limit', async () => {
    idp.signInAs({ email: 'mette@fjord.test', attributes: { groups: ['staff'] } });
    const start = await fetch(`${server.url}/api/v1/sso/start?email=mette@fjord.test`, { redirect: 'manual' });
    const pendingLine = start.headers.getSetCookie().find((line) => line.startsWith('outlay_sso='))!;
    // The provider's POST is cross-site: a browser sends only a SameSite=None (so Secure) cookie with it.
    expect(pendingLine).toMatch(/; SameSite=None/i);
    expect(pendingLine).toMatch(/; Secure/i);
    const pending = pendingLine.split(';')[0]!;
    // Without a key of ours, the AuthnRequest goes unsigned.
    expect(new URL(start.headers.get('location')!).searchParams.has('Signature')).toBe(false);
    const page = await fetch(start.headers.get('location')!);
    const form = selfSubmittingForm(await page.text(), new URL(idp.ssoUrl))!;
    // The signature covers the assertion only, so a declaration before the root leaves it valid.
    const xml = Buffer.from(form.fields.get('SAMLResponse')!, 'base64').toString('utf8');
    form.fields.set('SAMLResponse', Buffer.from(`<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>${xml}`).toString('base64'));
    const posted = await fetch(form.url, { method: 'POST', redirect: 'manual', body: form.fields, headers: { cookie: pending } });
    expect(posted.headers.get('location')).toBe('/?ssoError=sso_failed');
    expect(posted.headers.getSetCookie().some((line) => line.startsWith('outlay_session='))).toBe(false);
    const huge = await fetch(`${server.url}/api/v1/sso/saml/acs`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ SAMLResponse: 'A'.repeat(300 * 1024) }), headers: { cookie: pending } });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('single sign-on with SAML 2.0, on Outlay\'s clock', () => {
  it('refuses an assertion expired by Outlay\'s clock, though not yet by the system\'s', async () => {
    const clock = new ManualClock(new Date(Date.now() + 10 * 60_000));
    const later = await startTestServer({ clock, config: { dnsServers: [dns.address] } });
    try {
      const company = await createTenant(later, { name: 'Later Kaffe ApS', adminEmail: 'admin@later.test' });
      const added = await company.client.post('/api/v1/sso/domains', { domain: 'later.test' });
      dns.setTxt('_outlay-verification.later.test', [added.body.record.value]);
      expect((await company.client.post('/api/v1/sso/domains/later.test/verify')).status).toBe(200);
      expect((await company.client.request('PUT', '/api/v1/sso', connection())).status).toBe(200);
      idp.signInAs({ email: 'mette@later.test', attributes: { groups: ['staff'] } }, { validForMinutes: 5 });
      const result = await browse(`${later.url}/api/v1/sso/start?email=mette@later.test`);
      expect(result.url.pathname + result.url.search).toBe('/?ssoError=sso_failed');
      clock.set(new Date());
      idp.signInAs({ email: 'mette@later.test', attributes: { groups: ['staff'] } }, { validForMinutes: 5 });
      const now = await browse(`${later.url}/api/v1/sso/start?email=mette@later.test`);
      expect(now.url.pathname + now.url.search).toBe('/');
    } finally {
      await later.close();
    }
  });
});

describe('single sign-on with SAML 2.0, with a key of our own', () => {
  it('signs the AuthnRequest (redirect binding) and says so in the metadata', async () => {
    const ours = makeSigningKey('Outlay SP');
    const signing = await startTestServer({ config: { dnsServers: [dns.address], samlSigning: { privateKey: ours.privateKey, certificate: ours.certificate } } });
    try {
      const company = await createTenant(signing, { name: 'Signed Kaffe ApS', adminEmail: 'admin@signed.test' });
      const added = await company.client.post('/api/v1/sso/domains', { domain: 'signed.test' });
      dns.setTxt('_outlay-verification.signed.test', [added.body.record.value]);
      expect((await company.client.post('/api/v1/sso/domains/signed.test/verify')).status).toBe(200);
      expect((await company.client.request('PUT', '/api/v1/sso', connection())).status).toBe(200);
      const start = await fetch(`${signing.url}/api/v1/sso/start?email=mette@signed.test`, { redirect: 'manual' });
      const location = start.headers.get('location')!;
      expect(location.startsWith(`${idp.ssoUrl}?`)).toBe(true);
      // SAML Bindings 3.4.4.1: the signature is over SAMLRequest, RelayState and SigAlg as sent.
      const parameters = location.slice(location.indexOf('?') + 1).split('&');
      const signature = parameters.find((parameter) => parameter.startsWith('Signature='))!;
      const signed = parameters.filter((parameter) => parameter !== signature).join('&');
      expect(signed).toMatch(/^SAMLRequest=[^&]+&RelayState=[^&]+&SigAlg=/);
      expect(new URL(location).searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      const bytes = Buffer.from(decodeURIComponent(signature.slice('Signature='.length)), 'base64');
      expect(verify('sha256', Buffer.from(signed), ours.certificate, bytes)).toBe(true);
      expect(verify('sha256', Buffer.from(signed), idp.key.certificate, bytes)).toBe(false);
      const metadata = await (await fetch(`${signing.url}/api/v1/sso/saml/metadata/${company.company.id}`)).text();
      expect(metadata).toContain('AuthnRequestsSigned="true"');
      expect(metadata.replace(/\s/g, '')).toContain(ours.certificate.replace(/-----[A-Z ]+-----|\s/g, ''));
    } finally {
      await signing.close();
    }
  });
});

describe('removing a company\'s single sign-on', () => {
  it('tells the service provider\'s metadata URL before anything is set, keeps the certificates when saved without them, and after removal signs no one in by it, serves no metadata and keeps the domains', async () => {
    const removing = await createTenant(server, { name: 'Removing ApS', adminEmail: 'admin@removing.test' });
    const othersBefore = (await tenant.client.get('/api/v1/sso')).body.connection;
    const metadataUrl = `${server.url}/api/v1/sso/saml/metadata/${removing.company.id}`;
    const unset = await removing.client.get('/api/v1/sso');
    expect(unset.body).toMatchObject({ connection: null, samlMetadataUrl: metadataUrl, samlAcsUrl: `${server.url}/api/v1/sso/saml/acs` });
    expect((await removing.client.request('DELETE', '/api/v1/sso')).status).toBe(404);

    expect((await removing.client.post('/api/v1/sso/domains', { domain: 'removing.test' })).status).toBe(201);
    const withoutCertificates: Partial<ReturnType<typeof connection>> = connection();
    delete withoutCertificates.certificates;
    const firstWithout = await removing.client.request('PUT', '/api/v1/sso', withoutCertificates);
    expect({ status: firstWithout.status, code: firstWithout.body.code, field: firstWithout.body.field }).toEqual({ status: 400, code: 'validation_failed', field: 'certificates' });
    expect((await removing.client.request('PUT', '/api/v1/sso', connection())).status).toBe(200);
    // Saved again without certificates (a role mapping changed), the stored ones stay.
    const kept = await removing.client.request('PUT', '/api/v1/sso', { ...withoutCertificates, roleMap: { finance: 'admin' } });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.connection.saml.certificates.map((certificate: { subject: string }) => certificate.subject)).toEqual(['CN=Test SAML IdP']);
    expect((await fetch(metadataUrl)).status).toBe(200);

    const removed = await removing.client.request('DELETE', '/api/v1/sso');
    expect(removed.status, removed.text).toBe(204);
    const after = await removing.client.get('/api/v1/sso');
    expect(after.body.connection).toBeNull();
    expect(after.body.domains.map((domain: { domain: string }) => domain.domain)).toEqual(['removing.test']);
    expect((await fetch(metadataUrl)).status).toBe(404);
    const audit = await removing.client.get('/api/v1/audit-events?action=sso.removed');
    expect(audit.body.items[0].details).toMatchObject({ protocol: 'saml', issuer: idp.entityId });
    // Another company's connection is untouched.
    expect((await tenant.client.get('/api/v1/sso')).body.connection).toEqual(othersBefore);
  });
});
