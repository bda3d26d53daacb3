// Tenants never see each other. Companies A and B each have people, a team, an open
// invitation, an API key, top-ups and ledger entries. For every route of the API, a person
// and an API key of A try to read or change B's rows by their ids: each attempt is 404 (as
// if the id did not exist, never 403, which would confirm it does), lists show A's rows
// only, and at the end every row of B in the database is exactly as it was.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyScopes } from '../../src/auth/permissions.js';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import {
  addPerson,
  anonymous,
  createApiKey,
  createTenant,
  invitationToken,
  signIn,
  testPassword,
  withApiKey,
  withSession,
  type ApiClient,
  type SessionClient,
  type Tenant,
} from '../../src/test-support/api-client.js';
import { openEventStream } from '../../src/test-support/live-events.js';
import { PasskeyAuthenticator } from '../../src/test-support/passkey-authenticator.js';
import { startTestServer } from '../../src/test-support/server.js';
import { sweepReceipts } from '../../src/receipts/receipt-sweep.js';
import { merchantKeyOf, subscriptionKey } from '../../src/subscriptions/subscription-detection.js';
import {
  describeTenancy,
  expectEachNotFound,
  expectForbidden,
  expectNotFound,
  expectOnlyCompany,
  expectRowsIn,
  idsOf,
  type CompanyTable,
  type TenancyCases,
} from '../../src/test-support/tenancy.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);

interface TenantWorld {
  tenant: Tenant;
  companyId: string;
  currency: string;
  adminId: string;
  adminSessionId: string;
  employeeId: string;
  teamId: string;
  teamName: string;
  invitedId: string;
  invitationId: string;
  invitationToken: string;
  apiKeyId: string;
  apiKey: ApiClient;
  topUpIds: string[];
  bankReferences: string[];
  entryIds: string[];
  accountIds: string[];
  cardId: string;
  cardTransactionId: string;
  /** A webhook endpoint (disabled once its delivery of the purchase was written, so nothing sends it) and that delivery. */
  webhookEndpointId: string;
  webhookDeliveryId: string;
  /** An enforced budget of the team, owned by the admin. */
  budgetId: string;
  /** The company's single sign-on domain, asked for and not verified. */
  ssoDomain: string;
  /** A password reset link of the employee's, open, read from the outbox. */
  passwordResetToken: string;
  /** The employee's passkey and its authenticator (B's only: A's people sign in again). */
  passkey: { id: string; authenticator: PasskeyAuthenticator } | null;
}

let server: RunningServer;
let a: TenantWorld;
let b: TenantWorld;

const today = () => new Date().toISOString().slice(0, 10);
const emailOf = async (companyId: string, userId: string) =>
  (await server.database.db.selectFrom('users').select('email').where('company_id', '=', companyId).where('id', '=', userId).executeTakeFirstOrThrow()).email;

async function populate(tenant: Tenant, label: string, currency: string): Promise<TenantWorld> {
  const admin = tenant.client;
  const teamName = `${label} Field Team`;
  const team = await admin.post('/api/v1/teams', { name: teamName });
  expect(team.status).toBe(201);
  const employee = await addPerson(admin, { email: `employee@${label}.test`, name: `${label} Employee`, roles: ['employee'], teamId: team.body.id });
  const invited = await admin.post('/api/v1/people/invitations', { email: `invitee@${label}.test`, name: `${label} Invitee`, roles: ['bookkeeper'] });
  expect(invited.status).toBe(201);
  const key = await createApiKey(admin, `${label} integration`, apiKeyScopes);
  const bankReferences = [`${label.toUpperCase()}-REF-1`, `${label.toUpperCase()}-REF-2`];
  const topUpIds: string[] = [];
  for (const [index, bankReference] of bankReferences.entries()) {
    const topUp = await fundWallet(server, tenant.company.id, { amount: index === 0 ? '1500.00' : '250.25', currency, bankReference, receivedOn: today() });
    topUpIds.push(topUp.id);
  }
  const db = server.database.db;
  const companyId = tenant.company.id;
  // Port 9 (discard) refuses: nothing of either company is ever received.
  const endpoint = await admin.post('/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/outlay', eventTypes: ['card_authorization.approved'] });
  expect(endpoint.status, endpoint.text).toBe(201);
  const webhookEndpointId = endpoint.body.endpoint.id as string;
  const card = await issueCard(db, encryptionKey, companyId, { userId: employee.id, kind: 'virtual' }, { actorType: 'system', actorId: null }, new Date());
  const network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  // The same purchase every month: a subscription (src/subscriptions), the last one now.
  for (const daysAgo of [62, 31]) {
    await network.authorize({
      id: networkId('auth'), cardId: card.id, amount: '12.00', currency, channel: 'online',
      merchant: { name: `${label} Supplies`, mcc: '5943', country: 'DK' }, occurredAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
    });
  }
  const authorization = await network.authorize({
    id: networkId('auth'), cardId: card.id, amount: '12.00', currency, channel: 'online',
    merchant: { name: `${label} Supplies`, mcc: '5943', country: 'DK' },
  });
  expect(authorization.body.approved).toBe(true);
  expect((await admin.post(`/api/v1/webhooks/endpoints/${webhookEndpointId}/disable`)).status).toBe(200);
  const budget = await admin.post('/api/v1/budgets', { name: `${label} travel`, scope: 'team', subjectId: team.body.id, period: 'month', amount: '900.00', enforced: true, ownerId: tenant.admin.id });
  expect(budget.status, budget.text).toBe(201);
  const delivery = await db.selectFrom('webhook_deliveries').select('id').where('company_id', '=', companyId).where('endpoint_id', '=', webhookEndpointId).executeTakeFirstOrThrow();
  const session = await db.selectFrom('sessions').select('id').where('company_id', '=', companyId).where('user_id', '=', tenant.admin.id).executeTakeFirstOrThrow();
  const entries = await db.selectFrom('journal_entries').select('id').where('company_id', '=', companyId).execute();
  const accounts = await db.selectFrom('ledger_accounts').select('id').where('company_id', '=', companyId).execute();
  return {
    tenant,
    companyId,
    currency,
    adminId: tenant.admin.id,
    adminSessionId: session.id,
    employeeId: employee.id,
    teamId: team.body.id,
    teamName,
    ssoDomain: await askForSsoDomain(admin, label),
    passwordResetToken: await askForPasswordReset(companyId, employee.email),
    passkey: label === 'birch' ? await registerPasskey(employee.client) : null,
    invitedId: invited.body.person.id,
    invitationId: invited.body.invitation.id,
    invitationToken: invitationToken(invited.body.invitation.url),
    apiKeyId: key.id,
    apiKey: key.client,
    topUpIds,
    bankReferences,
    entryIds: entries.map((row) => row.id),
    accountIds: accounts.map((row) => row.id),
    cardId: card.id,
    cardTransactionId: authorization.body.transactionId as string,
    webhookEndpointId,
    webhookDeliveryId: delivery.id,
    budgetId: budget.body.id as string,
  };
}

async function registerPasskey(client: SessionClient): Promise<NonNullable<TenantWorld['passkey']>> {
  const url = new URL(server.url);
  const authenticator = new PasskeyAuthenticator({ rpId: url.hostname, origin: url.origin });
  const options = await client.post('/api/v1/me/mfa/passkeys/registration-options');
  const added = await client.post('/api/v1/me/mfa/passkeys', { name: 'Birch laptop', response: authenticator.register(options.body) });
  expect(added.status, added.text).toBe(201);
  return { id: added.body.id, authenticator };
}

async function askForSsoDomain(admin: Tenant['client'], label: string): Promise<string> {
  const domain = `${label}-sso.test`;
  const asked = await admin.post('/api/v1/sso/domains', { domain });
  expect(asked.status, asked.text).toBe(201);
  return domain;
}

async function askForPasswordReset(companyId: string, email: string): Promise<string> {
  expect((await anonymous(server.app).post('/api/v1/password-resets', { email })).status).toBe(202);
  const mail = await server.database.db.selectFrom('outgoing_mail').select('link_path').where('company_id', '=', companyId).where('kind', '=', 'password_reset').where('to_address', '=', email).executeTakeFirstOrThrow();
  return mail.link_path!.split('/').at(-1)!;
}

const expectOnlyCompanyA = (table: CompanyTable, ids: string[]) => expectOnlyCompany(server.database.db, a.companyId, table, ids);

/** Replaces the company part of a `<company>.<id>.<secret>` bearer token. */
function renameCompany(token: string, companyId: string, prefix = ''): string {
  const [company, ...rest] = token.slice(prefix.length).split('.');
  expect(company).toMatch(/^cmp_/);
  return `${prefix}${[companyId, ...rest].join('.')}`;
}

function secretOf(token: string): string {
  return token.split('.').at(-1)!;
}

const bPeople = () => [b.adminId, b.employeeId, b.invitedId];

// One case per route: what a person or API key of company A tries against company B.
const cases: TenancyCases = {
  'GET /api/v1/company': async ({ client }) => {
    const response = await client.get('/api/v1/company');
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(a.companyId);
  },

  'PATCH /api/v1/company': async ({ client }) => {
    const response = await client.patch('/api/v1/company', { locale: 'da-DK' });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ id: a.companyId, locale: 'da-DK' });
  },

  // The platform's feature flags are its operators' alone: a company's admin and keys are refused.
  'GET /api/v1/feature-flags': async ({ client }) => expectForbidden(await client.get('/api/v1/feature-flags')),
  'GET /api/v1/feature-flags/:key': async ({ client }) => expectForbidden(await client.get('/api/v1/feature-flags/simulator')),
  'PATCH /api/v1/feature-flags/:key': async ({ client }) => expectForbidden(await client.patch('/api/v1/feature-flags/simulator', { enabled: false })),

  'GET /api/v1/audit-events': async ({ client }) => {
    const response = await client.get('/api/v1/audit-events?limit=200');
    expect(response.status, response.text).toBe(200);
    expect(idsOf(response).length).toBeGreaterThan(0);
    await expectOnlyCompanyA('audit_events', idsOf(response));
    for (const query of [`subjectId=${b.adminId}`, `actorId=${b.adminId}`, `subjectId=${b.companyId}`]) {
      expect(idsOf(await client.get(`/api/v1/audit-events?${query}`))).toEqual([]);
    }
    const csv = await client.get(`/api/v1/audit-events?format=csv&actorId=${b.adminId}`);
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength(1);
  },

  'GET /api/v1/events': async ({ client, kind }) => {
    if (kind === 'apiKey') return expectForbidden(await client.get('/api/v1/events'));
    // A's admin hears A's purchase (events.test.ts shows another company's is not heard; a
    // purchase of B's here would change B's rows, which this suite keeps as they were).
    const stream = await openEventStream(server.url, (client as SessionClient).credentials.cookie);
    expect(await stream.next()).toEqual({ type: 'ready' });
    const network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
    const ours = await network.authorize({ id: networkId('auth'), cardId: a.cardId, amount: '1.00', currency: a.currency, channel: 'online', merchant: { name: 'Live check', mcc: '5943', country: 'DK' } });
    expect(await stream.next()).toEqual({ type: 'card_transaction.authorized', subject: { type: 'card_transaction', id: ours.body.transactionId } });
    stream.close();
  },

  'GET /api/v1/people': async ({ client }) => {
    const response = await client.get('/api/v1/people');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('users', idsOf(response));
  },

  'GET /api/v1/people/:id': async ({ client }) => {
    await expectEachNotFound(bPeople(), (id) => client.get(`/api/v1/people/${id}`));
  },

  'PATCH /api/v1/people/:id': async ({ client }) => {
    for (const id of bPeople()) {
      expectNotFound(await client.patch(`/api/v1/people/${id}`, { name: 'Taken Over', roles: ['employee'], teamId: null }));
    }
    // A's own person cannot be put into B's team either.
    const intoB = await client.patch(`/api/v1/people/${a.employeeId}`, { teamId: b.teamId });
    expectNotFound(intoB);
    expect(intoB.body.field).toBe('teamId');
  },

  'POST /api/v1/people/:id/deactivate': async ({ client }) => {
    await expectEachNotFound(bPeople(), (id) => client.post(`/api/v1/people/${id}/deactivate`));
  },

  'POST /api/v1/people/invitations': async ({ client, kind }) => {
    const email = `into-b-team-${kind}@a.test`;
    const response = await client.post('/api/v1/people/invitations', { email, name: 'Nobody', roles: ['employee'], teamId: b.teamId });
    expectNotFound(response);
    expect(response.body.field).toBe('teamId');
    const written = await server.database.db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(written).toEqual([]);
  },

  'GET /api/v1/teams': async ({ client }) => {
    const response = await client.get('/api/v1/teams');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('teams', idsOf(response));
  },

  'POST /api/v1/teams': async ({ client, kind }) => {
    // Team names are unique within a company only: B's name is free in A, and lands in A.
    const name = kind === 'user' ? b.teamName : `${b.teamName} (via API)`;
    const response = await client.post('/api/v1/teams', { name });
    expect(response.status).toBe(201);
    await expectOnlyCompanyA('teams', [response.body.id]);
  },

  'GET /api/v1/session': async ({ client, kind }) => {
    const response = await client.get('/api/v1/session');
    if (kind === 'apiKey') {
      expectForbidden(response);
      return;
    }
    expect(response.status).toBe(200);
    expect({ person: response.body.person.id, company: response.body.company.id }).toEqual({ person: a.adminId, company: a.companyId });
  },

  'POST /api/v1/session': async ({ client }) => {
    // A's password does not open B's admin, and signing in as A's admin lands in A.
    const intoB = await client.post('/api/v1/session', { email: b.tenant.adminEmail, password: testPassword.toUpperCase() });
    expect({ status: intoB.status, code: intoB.body.code }).toEqual({ status: 401, code: 'invalid_credentials' });
    const own = await client.post('/api/v1/session', { email: a.tenant.adminEmail, password: testPassword });
    expect(own.status).toBe(200);
    expect(own.body.company.id).toBe(a.companyId);
  },

  'DELETE /api/v1/session': async ({ client, kind }) => {
    if (kind === 'apiKey') {
      // An API key has no session to end, and certainly not one of B's.
      expect((await client.delete('/api/v1/session')).status).toBe(204);
      return;
    }
    // A's session secret under B's session id and company: not B's session.
    const forged = `${b.companyId}.${b.adminSessionId}.${secretOf(a.tenant.client.credentials.cookie)}`;
    const response = await withSession(server.app, forged, a.tenant.client.credentials.csrfToken).delete('/api/v1/session');
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'unauthenticated' });
  },

  'GET /api/v1/mail': async ({ client }) => {
    const response = await client.get('/api/v1/mail?limit=200');
    expect(response.status, response.text).toBe(200);
    // The invitations each company sent are e-mails of its own.
    const ids = idsOf(response);
    expect(ids.length).toBeGreaterThan(0);
    await expectOnlyCompanyA('outgoing_mail', ids);
    expect(response.text).not.toContain('birch');
  },

  'GET /api/v1/sso': async ({ client }) => {
    const response = await client.get('/api/v1/sso');
    expect(response.status).toBe(200);
    expect((response.body.domains as { domain: string }[]).map((domain) => domain.domain)).toEqual([a.ssoDomain]);
  },

  'PUT /api/v1/sso': async ({ client }) => {
    const response = await client.request('PUT', '/api/v1/sso', { issuer: 'https://idp.a.test', clientId: 'outlay', clientSecret: 'secret-of-a', provisionPeople: false, defaultRoles: ['employee'], roleClaim: null, roleMap: {}, enabled: true });
    expect(response.status, response.text).toBe(200);
    expect(response.body.connection.issuer).toBe('https://idp.a.test');
  },

  'DELETE /api/v1/sso': async ({ client }) => {
    // A's own connection goes; B's rows are compared unchanged after every case.
    const set = await client.request('PUT', '/api/v1/sso', { issuer: 'https://idp.a.test', clientId: 'outlay', clientSecret: 'secret-of-a', provisionPeople: false, defaultRoles: ['employee'], roleClaim: null, roleMap: {}, enabled: true });
    expect(set.status, set.text).toBe(200);
    expect((await client.request('DELETE', '/api/v1/sso')).status).toBe(204);
    expect((await client.get('/api/v1/sso')).body.connection).toBeNull();
    expectNotFound(await client.request('DELETE', '/api/v1/sso'));
  },

  'POST /api/v1/sso/domains': async ({ client }) => {
    // Asking for B's domain gives A a request of its own and blocks B in nothing.
    const response = await client.post('/api/v1/sso/domains', { domain: b.ssoDomain });
    expect(response.status).toBe(201);
    expect(response.body.verifiedAt).toBeNull();
    expect((await client.request('DELETE', `/api/v1/sso/domains/${b.ssoDomain}`)).status).toBe(204);
  },

  'POST /api/v1/sso/domains/:domain/verify': async ({ client }) => {
    expectNotFound(await client.post(`/api/v1/sso/domains/${b.ssoDomain}/verify`));
  },

  'DELETE /api/v1/sso/domains/:domain': async ({ client }) => {
    expectNotFound(await client.request('DELETE', `/api/v1/sso/domains/${b.ssoDomain}`));
  },

  'GET /api/v1/sso/start': async ({ client }) => {
    const response = await client.get(`/api/v1/sso/start?email=${encodeURIComponent(`admin@${b.ssoDomain}`)}`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/?ssoError=sso_not_configured');
  },

  'GET /api/v1/sso/callback': async ({ client }) => {
    const response = await client.get('/api/v1/sso/callback?code=from-b&state=of-b');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/?ssoError=sso_failed');
  },

  'GET /api/v1/sso/saml/metadata/:companyId': async ({ client }) => {
    // Public by design (a provider reads it; it holds nothing secret), and only a company with
    // a SAML connection has one: B has none.
    expectNotFound(await client.get(`/api/v1/sso/saml/metadata/${b.companyId}`));
  },

  'POST /api/v1/sso/saml/acs': async () => {
    // A SAML response without the pending sign-in this browser started signs nobody in.
    const response = await fetch(`${server.url}/api/v1/sso/saml/acs`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ SAMLResponse: Buffer.from('<samlp:Response/>').toString('base64'), RelayState: 'of-b' }) });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/?ssoError=sso_failed');
    expect(response.headers.getSetCookie().some((line) => line.startsWith('outlay_session='))).toBe(false);
  },

  'GET /api/v1/me/sessions': async ({ client, kind }) => {
    const response = await client.get('/api/v1/me/sessions');
    if (kind === 'apiKey') return expectForbidden(response);
    expect(response.status).toBe(200);
    const ids = (response.body.items as { id: string }[]).map((item) => item.id);
    expect(ids).not.toContain(b.adminSessionId);
    await expectOnlyCompanyA('sessions', ids);
  },

  'DELETE /api/v1/me/sessions/:id': async ({ client, kind }) => {
    const response = await client.delete(`/api/v1/me/sessions/${b.adminSessionId}`);
    if (kind === 'apiKey') return expectForbidden(response);
    expectNotFound(response);
  },

  'DELETE /api/v1/me/sessions': async ({ client, kind }) => {
    if (kind === 'apiKey') return expectForbidden(await client.delete('/api/v1/me/sessions'));
    // A's employee signs out everywhere (A's admin's session goes on serving the other cases);
    // B's sessions stay, as the snapshot of B at the end checks.
    const employee = await signIn(server.app, await emailOf(a.companyId, a.employeeId), testPassword);
    expect((await employee.delete('/api/v1/me/sessions')).status).toBe(204);
    expect((await employee.get('/api/v1/session')).status).toBe(401);
  },

  'POST /api/v1/me/password': async ({ client, kind }) => {
    const response = await client.post('/api/v1/me/password', { currentPassword: 'not-the-password', newPassword: 'a-brand-new-passphrase' });
    if (kind === 'apiKey') return expectForbidden(response);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'reauthentication_required' });
  },

  'POST /api/v1/session/mfa': async ({ client }) => {
    // A challenge is sealed with the server's key: one made up (or altered) names nobody.
    const response = await client.post('/api/v1/session/mfa', { challenge: `v2.${b.companyId}.${b.adminId}`, code: '123456' });
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'mfa_challenge_invalid' });
  },

  'GET /api/v1/me/mfa': async ({ client, kind }) => {
    const response = await client.get('/api/v1/me/mfa');
    if (kind === 'apiKey') return expectForbidden(response);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ totp: false, required: false });
  },

  'POST /api/v1/me/mfa/totp': async ({ client, kind }) => {
    const response = await client.post('/api/v1/me/mfa/totp');
    if (kind === 'apiKey') return expectForbidden(response);
    // A's admin starts enrolling (not confirmed: sign-in stays as it was); the URI names A.
    expect(response.status).toBe(200);
    expect(decodeURIComponent(response.body.otpauthUri)).toContain(a.tenant.adminEmail);
    expect(decodeURIComponent(response.body.otpauthUri)).not.toContain(b.tenant.adminEmail);
  },

  'POST /api/v1/me/mfa/totp/confirm': async ({ client, kind }) => {
    const response = await client.post('/api/v1/me/mfa/totp/confirm', { code: 'not-a-code' });
    if (kind === 'apiKey') return expectForbidden(response);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'mfa_code_invalid' });
  },

  'POST /api/v1/me/mfa/totp/disable': async ({ client, kind }) => {
    const response = await client.post('/api/v1/me/mfa/totp/disable', { password: testPassword, code: '123456' });
    if (kind === 'apiKey') return expectForbidden(response);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 409, code: 'mfa_state_invalid' });
  },

  'POST /api/v1/me/mfa/recovery-codes': async ({ client, kind }) => {
    const response = await client.post('/api/v1/me/mfa/recovery-codes', { password: testPassword, code: '123456' });
    if (kind === 'apiKey') return expectForbidden(response);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 409, code: 'mfa_state_invalid' });
  },

  'GET /api/v1/me/mfa/passkeys': async ({ client, kind }) => {
    const response = await client.get('/api/v1/me/mfa/passkeys');
    if (kind === 'apiKey') return expectForbidden(response);
    expect(response.status).toBe(200);
    expect(idsOf(response)).not.toContain(b.passkey!.id);
  },

  'POST /api/v1/me/mfa/passkeys/registration-options': async ({ client, kind }) => {
    const response = await client.post('/api/v1/me/mfa/passkeys/registration-options');
    if (kind === 'apiKey') return expectForbidden(response);
    // Options for A's admin: B's credential is not among those to leave out.
    expect(response.status).toBe(200);
    expect(response.body.user.name).toBe(a.tenant.adminEmail);
    expect(response.body.excludeCredentials.map((credential: { id: string }) => credential.id)).not.toContain(b.passkey!.authenticator.id);
  },

  'POST /api/v1/me/mfa/passkeys': async ({ client, kind }) => {
    // B's credential answering a challenge A was never given: nothing is saved.
    const response = await client.post('/api/v1/me/mfa/passkeys', { name: 'Taken', response: b.passkey!.authenticator.register({ challenge: 'bm90LWdpdmVuLXRvLWE' }) });
    if (kind === 'apiKey') return expectForbidden(response);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'passkey_registration_invalid' });
  },

  'POST /api/v1/me/mfa/passkeys/:id/remove': async ({ client, kind }) => {
    const response = await client.post(`/api/v1/me/mfa/passkeys/${b.passkey!.id}/remove`, { password: testPassword });
    if (kind === 'apiKey') return expectForbidden(response);
    expectNotFound(response);
  },

  'POST /api/v1/me/mfa/passkeys/authentication-options': async ({ client, kind }) => {
    const response = await client.post('/api/v1/me/mfa/passkeys/authentication-options');
    if (kind === 'apiKey') return expectForbidden(response);
    // A's admin has no passkey; B's are not offered.
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 409, code: 'mfa_state_invalid' });
  },

  'POST /api/v1/session/mfa/passkey-options': async ({ client }) => {
    const response = await client.post('/api/v1/session/mfa/passkey-options', { challenge: `v2.${b.companyId}.${b.employeeId}` });
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'mfa_challenge_invalid' });
  },

  'GET /api/v1/invitations/:token': async ({ client }) => {
    // B's invitation id with A's invitation secret, under either company: not B's invitation.
    const secret = secretOf(a.invitationToken);
    for (const company of [a.companyId, b.companyId]) {
      expectNotFound(await client.get(`/api/v1/invitations/${company}.${b.invitationId}.${secret}`), { code: 'invitation_invalid' });
    }
  },

  'POST /api/v1/invitations/:token/accept': async ({ client }) => {
    const secret = secretOf(a.invitationToken);
    for (const company of [a.companyId, b.companyId]) {
      const response = await client.post(`/api/v1/invitations/${company}.${b.invitationId}.${secret}/accept`, { password: testPassword });
      expectNotFound(response, { code: 'invitation_invalid' });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  },

  'POST /api/v1/password-resets': async ({ client }) => {
    // Anyone may ask for any address (the link goes to its mailbox only): A's own address
    // gets A a link, and B gets nothing from it, as the snapshot of B at the end checks.
    const email = await emailOf(a.companyId, a.employeeId);
    expect((await client.post('/api/v1/password-resets', { email })).status).toBe(202);
    const links = await server.database.db.selectFrom('password_resets').select('company_id').where('user_id', '=', a.employeeId).execute();
    expect(new Set(links.map((link) => link.company_id))).toEqual(new Set([a.companyId]));
  },

  'GET /api/v1/password-resets/:token': async ({ client }) => {
    // B's link id with A's link secret, under either company: not B's link.
    const [, id] = b.passwordResetToken.split('.');
    for (const company of [a.companyId, b.companyId]) {
      expectNotFound(await client.get(`/api/v1/password-resets/${company}.${id}.${secretOf(a.passwordResetToken)}`), { code: 'password_reset_invalid' });
    }
  },

  'POST /api/v1/password-resets/:token': async ({ client }) => {
    const [, id] = b.passwordResetToken.split('.');
    for (const company of [a.companyId, b.companyId]) {
      const response = await client.post(`/api/v1/password-resets/${company}.${id}.${secretOf(a.passwordResetToken)}`, { password: 'a-password-for-b-employee' });
      expectNotFound(response, { code: 'password_reset_invalid' });
    }
  },

  'GET /api/v1/api-keys': async ({ client, kind }) => {
    const response = await client.get('/api/v1/api-keys');
    if (kind === 'apiKey') return expectForbidden(response);
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('api_keys', idsOf(response));
  },

  'POST /api/v1/api-keys': async ({ client, kind }) => {
    const response = await client.post('/api/v1/api-keys', { name: 'Reaches for B', scopes: ['people:read'] });
    if (kind === 'apiKey') return expectForbidden(response);
    expect(response.status).toBe(201);
    await expectOnlyCompanyA('api_keys', [response.body.apiKey.id]);
    expectNotFound(await withApiKey(server.app, response.body.secret).get(`/api/v1/people/${b.adminId}`));
  },

  'GET /api/v1/api-keys/scopes': async ({ client, kind }) => {
    const response = await client.get('/api/v1/api-keys/scopes');
    if (kind === 'apiKey') return expectForbidden(response);
    expect(response.status).toBe(200);
  },

  'POST /api/v1/api-keys/:id/revoke': async ({ client, kind }) => {
    const response = await client.post(`/api/v1/api-keys/${b.apiKeyId}/revoke`);
    if (kind === 'apiKey') return expectForbidden(response);
    expectNotFound(response);
  },

  'GET /api/v1/webhooks/event-types': async ({ client }) => {
    const response = await client.get('/api/v1/webhooks/event-types');
    expect(response.status).toBe(200);
    expect(response.body.items.length).toBeGreaterThan(0);
  },

  'GET /api/v1/webhooks/endpoints': async ({ client }) => {
    const response = await client.get('/api/v1/webhooks/endpoints');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('webhook_endpoints', idsOf(response));
  },

  'POST /api/v1/webhooks/endpoints': async ({ client }) => {
    const response = await client.post('/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/reaches-for-b', eventTypes: ['payout.paid'] });
    expect(response.status, response.text).toBe(201);
    await expectOnlyCompanyA('webhook_endpoints', [response.body.endpoint.id]);
    expect((await client.post(`/api/v1/webhooks/endpoints/${response.body.endpoint.id as string}/disable`)).status).toBe(200);
  },

  'GET /api/v1/webhooks/endpoints/:id': async ({ client }) => expectNotFound(await client.get(`/api/v1/webhooks/endpoints/${b.webhookEndpointId}`)),
  'PATCH /api/v1/webhooks/endpoints/:id': async ({ client }) => expectNotFound(await client.patch(`/api/v1/webhooks/endpoints/${b.webhookEndpointId}`, { url: 'http://127.0.0.1:9/stolen' })),
  'POST /api/v1/webhooks/endpoints/:id/enable': async ({ client }) => expectNotFound(await client.post(`/api/v1/webhooks/endpoints/${b.webhookEndpointId}/enable`)),
  'POST /api/v1/webhooks/endpoints/:id/disable': async ({ client }) => expectNotFound(await client.post(`/api/v1/webhooks/endpoints/${b.webhookEndpointId}/disable`)),
  'POST /api/v1/webhooks/endpoints/:id/rotate-secret': async ({ client }) => expectNotFound(await client.post(`/api/v1/webhooks/endpoints/${b.webhookEndpointId}/rotate-secret`)),
  'POST /api/v1/webhooks/endpoints/:id/reveal-secret': async ({ client }) => expectNotFound(await client.post(`/api/v1/webhooks/endpoints/${b.webhookEndpointId}/reveal-secret`)),
  'GET /api/v1/webhooks/endpoints/:id/deliveries': async ({ client }) => {
    expectNotFound(await client.get(`/api/v1/webhooks/endpoints/${b.webhookEndpointId}/deliveries`));
    const own = await client.get(`/api/v1/webhooks/endpoints/${a.webhookEndpointId}/deliveries`);
    expect(own.status).toBe(200);
    await expectOnlyCompanyA('webhook_deliveries', idsOf(own));
  },
  'POST /api/v1/webhooks/deliveries/:id/replay': async ({ client }) => expectNotFound(await client.post(`/api/v1/webhooks/deliveries/${b.webhookDeliveryId}/replay`)),

  'GET /api/v1/budgets': async ({ client }) => {
    const response = await client.get('/api/v1/budgets');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('budgets', idsOf(response));
  },
  'POST /api/v1/budgets': async ({ client }) => {
    // B's team, B's person as owner: neither is found in A, and nothing is written.
    const forTeamOfB = await client.post('/api/v1/budgets', { name: 'Reach', scope: 'team', subjectId: b.teamId, period: 'year', amount: '1.00' });
    expect(forTeamOfB.status).toBe(400);
    const ownedByB = await client.post('/api/v1/budgets', { name: 'Reach', scope: 'person', subjectId: a.employeeId, period: 'year', amount: '1.00', ownerId: b.employeeId });
    expect(ownedByB.status).toBe(400);
    const rows = await server.database.db.selectFrom('budgets').select('id').where('name', '=', 'Reach').execute();
    expect(rows).toEqual([]);
  },
  'GET /api/v1/budgets/:id': async ({ client }) => expectNotFound(await client.get(`/api/v1/budgets/${b.budgetId}`)),
  'PATCH /api/v1/budgets/:id': async ({ client }) => expectNotFound(await client.patch(`/api/v1/budgets/${b.budgetId}`, { amount: '1.00', enforced: false })),
  'DELETE /api/v1/budgets/:id': async ({ client }) => expectNotFound(await client.delete(`/api/v1/budgets/${b.budgetId}`)),

  'GET /api/v1/wallet': async ({ client }) => {
    const response = await client.get('/api/v1/wallet');
    expect(response.status).toBe(200);
    const recorded = await server.database.db
      .selectFrom('wallet_top_ups')
      .select((eb) => eb.fn.sum<bigint>('amount').as('total'))
      .where('company_id', '=', a.companyId)
      .executeTakeFirstOrThrow();
    expect(response.body.balance.currency).toBe(a.currency);
    expect(BigInt(response.body.balance.amount.replace('.', ''))).toBe(BigInt(recorded.total));
  },

  'GET /api/v1/wallet/top-ups': async ({ client }) => {
    const response = await client.get('/api/v1/wallet/top-ups');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('wallet_top_ups', idsOf(response));
  },

  'GET /api/v1/ledger/accounts': async ({ client }) => {
    const response = await client.get('/api/v1/ledger/accounts');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('ledger_accounts', idsOf(response));
  },

  'GET /api/v1/ledger/accounts/:id': async ({ client }) => {
    await expectEachNotFound(b.accountIds, (id) => client.get(`/api/v1/ledger/accounts/${id}`));
  },

  'GET /api/v1/ledger/entries': async ({ client }) => {
    const response = await client.get('/api/v1/ledger/entries');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('journal_entries', idsOf(response));
    // Filtering by B's account finds nothing of B's.
    for (const id of b.accountIds) {
      const filtered = await client.get(`/api/v1/ledger/entries?accountId=${id}`);
      expect(filtered.status).toBe(200);
      expect(filtered.body.items).toEqual([]);
    }
  },

  'GET /api/v1/ledger/entries/:id': async ({ client }) => {
    await expectEachNotFound(b.entryIds, (id) => client.get(`/api/v1/ledger/entries/${id}`));
  },

  // The overview of A counts A's purchases (alder Supplies, and what other cases file) and
  // never B's (birch Supplies); filtered by B's team, person or card it finds nothing at all.
  'GET /api/v1/analytics/spend': async ({ client }) => {
    const merchants = await client.get('/api/v1/analytics/spend?by=merchant');
    expect(merchants.status, merchants.text).toBe(200);
    const merchantNames = merchants.body.items.map((item: { key: string }) => item.key);
    expect(merchantNames).toContain('alder Supplies');
    expect(merchantNames).not.toContain('birch Supplies');
    expect(merchants.body.currency).toBe(a.currency);
    await expectOnlyCompanyA('users', (await client.get('/api/v1/analytics/spend?by=person')).body.items.map((item: { key: string }) => item.key));
    for (const query of [`teamId=${b.teamId}`, `userId=${b.employeeId}`, `cardId=${b.cardId}`]) {
      expect((await client.get(`/api/v1/analytics/spend?by=person&${query}`)).body.items).toEqual([]);
      expect((await client.get(`/api/v1/analytics/spend?by=merchant&${query}&format=csv`)).text).toBe('key,name,amount,currency,count\r\n');
    }
  },

  'GET /api/v1/analytics/comparison': async ({ client }) => {
    const mine = await client.get('/api/v1/analytics/comparison');
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.thisMonth.amount.currency).toBe(a.currency);
    expect(mine.body.thisMonth.count).toBeGreaterThan(0);
    for (const query of [`teamId=${b.teamId}`, `userId=${b.employeeId}`, `cardId=${b.cardId}`]) {
      expect((await client.get(`/api/v1/analytics/comparison?${query}`)).body.thisMonth.count).toBe(0);
    }
  },

  // The home figures are A's: its wallet's balance, its spend this month (B's purchases never
  // count) and its own reviews.
  'GET /api/v1/analytics/home': async ({ client }) => {
    const home = await client.get('/api/v1/analytics/home');
    expect(home.status, home.text).toBe(200);
    expect(home.body.currency).toBe(a.currency);
    expect(home.body.balance).toEqual((await client.get('/api/v1/wallet')).body.balance);
    expect(home.body.spentThisMonth.amount).toEqual((await client.get('/api/v1/analytics/comparison')).body.thisMonth.amount);
  },

  'GET /api/v1/analytics/declines': async ({ client }) => {
    for (const query of ['', `teamId=${b.teamId}`, `userId=${b.employeeId}`, `cardId=${b.cardId}`]) {
      const response = await client.get(`/api/v1/analytics/declines?${query}`);
      expect(response.status, response.text).toBe(200);
      expect(response.body.items).toEqual([]);
    }
  },

  'GET /api/v1/analytics/missing-receipts': async ({ client }) => {
    const mine = await client.get('/api/v1/analytics/missing-receipts');
    expect(mine.status, mine.text).toBe(200);
    await expectOnlyCompanyA('users', mine.body.items.map((item: { key: string }) => item.key));
    for (const query of [`teamId=${b.teamId}`, `userId=${b.employeeId}`, `cardId=${b.cardId}`]) {
      expect((await client.get(`/api/v1/analytics/missing-receipts?${query}`)).body.items).toEqual([]);
    }
  },

  'GET /api/v1/card-transactions': async ({ client }) => {
    const response = await client.get('/api/v1/card-transactions');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('card_transactions', idsOf(response));
    for (const filter of [`cardId=${b.cardId}`, `userId=${b.employeeId}`]) {
      const filtered = await client.get(`/api/v1/card-transactions?${filter}`);
      expect(filtered.body.items).toEqual([]);
    }
  },

  'GET /api/v1/card-transactions/:id': async ({ client }) => {
    expectNotFound(await client.get(`/api/v1/card-transactions/${b.cardTransactionId}`));
  },

  'GET /api/v1/subscriptions': async ({ client }) => {
    const response = await client.get('/api/v1/subscriptions');
    expect(response.status).toBe(200);
    const items = response.body.items as { userId: string; cardId: string }[];
    expect(items).toHaveLength(1);
    await expectOnlyCompanyA('users', items.map((item) => item.userId));
    await expectOnlyCompanyA('cards', items.map((item) => item.cardId));
  },

  // B's cardholder and merchant give the key B's subscription would have: A finds nothing there.
  'POST /api/v1/subscriptions/:key/card': async ({ client }) => {
    const key = subscriptionKey(b.employeeId, merchantKeyOf({ merchantId: null, merchantName: 'birch Supplies' }));
    expectNotFound(await client.post(`/api/v1/subscriptions/${key}/card`, {}));
  },

  // The processor endpoints answer to the processor's signature only: a company's session
  // or API key opens nothing there.
  'GET /api/v1/processor/cards': async ({ client }) => {
    const response = await client.get('/api/v1/processor/cards?last4=1234');
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'signature_invalid' });
  },

  'POST /api/v1/processor/authorizations': async ({ client }) => {
    const response = await client.post('/api/v1/processor/authorizations', {
      id: networkId('auth'), cardId: b.cardId, amount: '1.00', currency: b.currency, channel: 'online', merchant: { name: 'X', mcc: '5999', country: 'DK' },
    });
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'signature_invalid' });
  },

  'POST /api/v1/simulator/purchases': async ({ client }) => {
    expectNotFound(await client.post('/api/v1/simulator/purchases', {
      cardId: b.cardId, amount: '1.00', currency: b.currency, channel: 'online', merchant: { name: 'X', mcc: '5999', country: 'DK' },
    }));
  },

  'POST /api/v1/simulator/events': async ({ client }) => {
    for (const type of ['clearing', 'reversal', 'refund', 'expiry']) {
      expectNotFound(await client.post('/api/v1/simulator/events', { transactionId: b.cardTransactionId, type }));
    }
  },

  'POST /api/v1/processor/events': async ({ client }) => {
    const response = await client.post('/api/v1/processor/events', { id: networkId('rev'), type: 'reversal', cardId: b.cardId, transactionId: 'x' });
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'signature_invalid' });
  },
};

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey } });
  const tenantA = await createTenant(server, { name: 'Alder Works', currency: 'EUR', adminEmail: 'admin@alder.test' });
  const tenantB = await createTenant(server, { name: 'Birch & Co', currency: 'DKK', adminEmail: 'admin@birch.test' });
  a = await populate(tenantA, 'alder', 'EUR');
  b = await populate(tenantB, 'birch', 'DKK');
  // The purchases are weeks old, so the receipt sweep reminds of them: once, whenever it runs.
  // Run now, before B's rows are taken as they were, so the server's own run cannot land
  // between that and the check after (it sends no reminder twice).
  await sweepReceipts(server.database.db, new Date());
});

afterAll(async () => {
  await server?.close();
});

describe('tenancy', () => {
  it('sets up two companies that each hold rows of every kind', async () => {
    for (const world of [a, b]) {
      await expectRowsIn(server.database.db, world.companyId, ['users', 'teams', 'invitations', 'sessions', 'api_keys', 'wallet_top_ups', 'journal_entries', 'postings', 'ledger_accounts']);
    }
  });

  // The routes of cards, receipts, expenses and banking have their cases in the suites of
  // those names (see tenancySuiteOf); this suite holds every other route's.
  describeTenancy({
    suite: 'general',
    server: () => server,
    actors: () => ({ user: a.tenant.client, apiKey: a.apiKey }),
    untouched: { 'company B': () => b.companyId },
    cases,
    moreAttempts: {
      'refuses session and API key tokens rewritten to name company B': async () => {
        const forgedSession = withSession(server.app, renameCompany(a.tenant.client.credentials.cookie, b.companyId), a.tenant.client.credentials.csrfToken);
        const apiKeySecret = a.apiKey.credentials.kind === 'api_key' ? a.apiKey.credentials.secret : '';
        const forgedKey = withApiKey(server.app, renameCompany(apiKeySecret, b.companyId, 'olk.'));
        for (const client of [forgedSession, forgedKey]) {
          for (const url of ['/api/v1/company', '/api/v1/people', `/api/v1/people/${b.adminId}`]) {
            const response = await client.get(url);
            expect({ url, status: response.status, code: response.body.code }).toEqual({ url, status: 401, code: 'unauthenticated' });
          }
        }
      },
    },
  });

  it('still serves company B its own people, unchanged, afterwards', async () => {
    const people = await b.tenant.client.get('/api/v1/people');
    expect(people.status).toBe(200);
    const byId = new Map((people.body.items as { id: string; status: string; name: string }[]).map((p) => [p.id, p]));
    expect([...byId.keys()].sort()).toEqual(bPeople().sort());
    expect(byId.get(b.adminId)?.status).toBe('active');
    expect(byId.get(b.employeeId)?.name).toBe('birch Employee');
    expect(byId.get(b.invitedId)?.status).toBe('invited');
    const invitation = await anonymous(server.app).get(`/api/v1/invitations/${b.invitationToken}`);
    expect(invitation.status).toBe(200);
    expect(invitation.body.companyName).toBe('Birch & Co');
  });
});
