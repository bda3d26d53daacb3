// People and access, end to end over HTTP: invitations, roles and teams, the last admin,
// deactivation, what each role may do, CSRF protection of cookie sessions, API keys and
// sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOperator } from '../../src/demo/demo-banking.js';
import { demoLogins } from '../../src/demo/seed.js';
import type { RunningServer } from '../../src/server/server.js';
import {
  addPerson,
  anonymous,
  createApiKey,
  createTenant,
  invitationToken,
  sessionFrom,
  signIn,
  snapshotRows,
  testPassword,
  withApiKey,
  type ApiResponse,
  type SessionClient,
} from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';

let server: RunningServer;
let admin: SessionClient;
let bookkeeper: SessionClient;
let employee: SessionClient;

const demo = (role: string) => demoLogins.find((login) => login.role === role)!;
const employeeLogin = demo('employee');

beforeAll(async () => {
  // No receipt reading: the demo's receipts would change rows while tests compare snapshots.
  server = await startTestServer({ demo: true, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  admin = await signIn(server.app, demo('admin').email, demo('admin').password);
  bookkeeper = await signIn(server.app, demo('bookkeeper').email, demo('bookkeeper').password);
  employee = await signIn(server.app, employeeLogin.email, employeeLogin.password);
});

afterAll(async () => {
  await server?.close();
});

function expectProblem(response: ApiResponse, status: number, code: string, field?: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status, code, field });
}

const db = () => server.database.db;
const userByEmail = (email: string) => db().selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

describe('invitations', () => {
  const invitee = { email: 'grace@demo.outlay.test', name: 'Grace Hopper', roles: ['employee'] };
  let token: string;

  it('gives the admin an invitation link to share, and the person waits as invited', async () => {
    const response = await admin.post('/api/v1/people/invitations', invitee);
    expect(response.status).toBe(201);
    expect(response.body.person).toMatchObject({ email: invitee.email, name: invitee.name, roles: ['employee'], status: 'invited' });
    expect(response.body.invitation.url.startsWith(`${server.url}/invite/`)).toBe(true);
    expect(Date.parse(response.body.invitation.expiresAt)).toBeGreaterThan(Date.now());
    token = invitationToken(response.body.invitation.url);
  });

  it('shows the invitee what the link is for', async () => {
    const response = await anonymous(server.app).get(`/api/v1/invitations/${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ email: invitee.email, name: invitee.name, companyName: 'Nordlys Studio' });
  });

  it('refuses a password that is too short, naming the field, and keeps the link usable', async () => {
    expectProblem(await anonymous(server.app).post(`/api/v1/invitations/${token}/accept`, { password: 'short-pw' }), 400, 'validation_failed', 'password');
    expect((await userByEmail(invitee.email))?.status).toBe('invited');
    expect((await anonymous(server.app).get(`/api/v1/invitations/${token}`)).status).toBe(200);
  });

  it('accepting with a password activates the person and signs them in', async () => {
    const response = await anonymous(server.app).post(`/api/v1/invitations/${token}/accept`, { password: testPassword });
    expect(response.status).toBe(200);
    expect(response.body.person).toMatchObject({ email: invitee.email, status: 'active' });
    expect(response.body.permissions).toEqual(['company:read']);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^outlay_session=[^;]+;/);
    for (const attribute of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax']) expect(cookie).toContain(attribute);
    const signedIn = await signIn(server.app, invitee.email, testPassword);
    expect((await signedIn.get('/api/v1/session')).body.person.email).toBe(invitee.email);
  });

  it('refuses a link that was used already, and does not change the password', async () => {
    expectProblem(await anonymous(server.app).get(`/api/v1/invitations/${token}`), 404, 'invitation_invalid');
    const again = await anonymous(server.app).post(`/api/v1/invitations/${token}/accept`, { password: 'a-new-password-by-someone-else' });
    expectProblem(again, 404, 'invitation_invalid');
    expect(again.headers['set-cookie']).toBeUndefined();
    expectProblem(await anonymous(server.app).post('/api/v1/session', { email: invitee.email, password: 'a-new-password-by-someone-else' }), 401, 'invalid_credentials');
  });

  it('refuses a forged link', async () => {
    const fresh = await admin.post('/api/v1/people/invitations', { email: 'forged@demo.outlay.test', name: 'Forged', roles: ['admin'] });
    const real = invitationToken(fresh.body.invitation.url);
    const flipped = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
    for (const forged of [flipped, 'not-a-token', `${real.split('.').slice(0, 2).join('.')}.${'x'.repeat(32)}`]) {
      expectProblem(await anonymous(server.app).get(`/api/v1/invitations/${forged}`), 404, 'invitation_invalid');
      expectProblem(await anonymous(server.app).post(`/api/v1/invitations/${forged}/accept`, { password: testPassword }), 404, 'invitation_invalid');
    }
    expect((await userByEmail('forged@demo.outlay.test'))?.status).toBe('invited');
  });

  it('stops the link of a person deactivated before accepting', async () => {
    const invited = await admin.post('/api/v1/people/invitations', { email: 'withdrawn@demo.outlay.test', name: 'Withdrawn', roles: ['employee'] });
    const link = invitationToken(invited.body.invitation.url);
    expect((await admin.post(`/api/v1/people/${invited.body.person.id}/deactivate`)).status).toBe(200);
    expectProblem(await anonymous(server.app).get(`/api/v1/invitations/${link}`), 404, 'invitation_invalid');
    expectProblem(await anonymous(server.app).post(`/api/v1/invitations/${link}/accept`, { password: testPassword }), 404, 'invitation_invalid');
    expect((await userByEmail('withdrawn@demo.outlay.test'))?.status).toBe('deactivated');
  });

  it('refuses to invite an address that already has a login (409 email_taken)', async () => {
    expectProblem(await admin.post('/api/v1/people/invitations', { ...invitee, email: 'GRACE@demo.outlay.test' }), 409, 'email_taken', 'email');
  });
});

describe('signing in again', () => {
  it('works while an earlier session cookie is still sent, without a CSRF token', async () => {
    const login = demo('admin');
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      cookies: { outlay_session: admin.credentials.kind === 'session' ? admin.credentials.cookie : '' },
      payload: { email: login.email, password: login.password },
    });
    expect(response.statusCode).toBe(200);
    expect(response.cookies.find((cookie) => cookie.name === 'outlay_session')?.value).toBeTruthy();
  });
});

describe('roles and teams', () => {
  it('applies a change of roles from the person\'s next request', async () => {
    const person = await addPerson(admin, { email: 'promoted@demo.outlay.test', name: 'Promoted', roles: ['employee'] });
    expectProblem(await person.client.get('/api/v1/ledger/accounts'), 403, 'forbidden');
    const changed = await admin.patch(`/api/v1/people/${person.id}`, { roles: ['employee', 'bookkeeper'] });
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(['employee', 'bookkeeper']);
    expect((await person.client.get('/api/v1/ledger/accounts')).status).toBe(200);
  });

  it('assigns a person to a team of the company, and answers 404 for a team of another company', async () => {
    const team = await admin.post('/api/v1/teams', { name: 'Research' });
    const person = await addPerson(admin, { email: 'teamed@demo.outlay.test', name: 'Teamed', roles: ['employee'] });
    const assigned = await admin.patch(`/api/v1/people/${person.id}`, { teamId: team.body.id });
    expect({ status: assigned.status, teamId: assigned.body.teamId }).toEqual({ status: 200, teamId: team.body.id });

    const other = await createTenant(server, { name: 'Elsewhere Ltd', adminEmail: 'admin@elsewhere.test' });
    const foreignTeam = await other.client.post('/api/v1/teams', { name: 'Research' });
    expect(foreignTeam.status).toBe(201);
    expectProblem(await admin.patch(`/api/v1/people/${person.id}`, { teamId: foreignTeam.body.id }), 404, 'not_found', 'teamId');
    expect((await userByEmail('teamed@demo.outlay.test'))?.team_id).toBe(team.body.id);

    const unassigned = await admin.patch(`/api/v1/people/${person.id}`, { teamId: null });
    expect(unassigned.body.teamId).toBeNull();
  });

  it('refuses a second team of the same name (409 conflict on name), also when both are created at once', async () => {
    expect((await admin.post('/api/v1/teams', { name: 'Finance' })).status).toBe(201);
    expectProblem(await admin.post('/api/v1/teams', { name: ' Finance ' }), 409, 'conflict', 'name');
    const racing = await Promise.all(Array.from({ length: 5 }, () => admin.post('/api/v1/teams', { name: 'Logistics' })));
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
    for (const refused of racing.filter((r) => r.status !== 201)) expectProblem(refused, 409, 'conflict', 'name');
    expect(await db().selectFrom('teams').select('id').where('name', '=', 'Logistics').execute()).toHaveLength(1);
  });

  it('keeps the last active admin: neither demoted nor deactivated (409 last_admin)', async () => {
    const tenant = await createTenant(server, { name: 'Solo Admin GmbH', adminEmail: 'solo@solo.test' });
    const self = tenant.admin.id;
    expectProblem(await tenant.client.patch(`/api/v1/people/${self}`, { roles: ['employee'] }), 409, 'last_admin');
    expectProblem(await tenant.client.post(`/api/v1/people/${self}/deactivate`), 409, 'last_admin');
    expect(await userByEmail('solo@solo.test')).toMatchObject({ roles: ['admin'], status: 'active' });

    // With a second admin the first may step down; then the second is the last one.
    const second = await addPerson(tenant.client, { email: 'second@solo.test', name: 'Second', roles: ['admin'] });
    expect((await tenant.client.patch(`/api/v1/people/${self}`, { roles: ['employee'] })).status).toBe(200);
    expectProblem(await second.client.post(`/api/v1/people/${second.id}/deactivate`), 409, 'last_admin');
    expectProblem(await second.client.patch(`/api/v1/people/${second.id}`, { roles: ['bookkeeper'] }), 409, 'last_admin');
    expect(await userByEmail('second@solo.test')).toMatchObject({ roles: ['admin'], status: 'active' });
  });
});

describe('deactivation', () => {
  it('ends the person\'s session at once, and they cannot sign in again', async () => {
    const person = await addPerson(admin, { email: 'leaver@demo.outlay.test', name: 'Leaver', roles: ['employee'] });
    expect((await person.client.get('/api/v1/session')).status).toBe(200);

    const deactivated = await admin.post(`/api/v1/people/${person.id}/deactivate`);
    expect({ status: deactivated.status, personStatus: deactivated.body.status }).toEqual({ status: 200, personStatus: 'deactivated' });

    expectProblem(await person.client.get('/api/v1/session'), 401, 'unauthenticated');
    expectProblem(await person.client.get('/api/v1/company'), 401, 'unauthenticated');
    const signIn = await anonymous(server.app).post('/api/v1/session', { email: person.email, password: testPassword });
    expectProblem(signIn, 401, 'invalid_credentials');
    expect(signIn.headers['set-cookie']).toBeUndefined();
  });
});

describe('what each role may do', () => {
  it('lets an employee read their session and company, but not list people or read the ledger (403)', async () => {
    const session = await employee.get('/api/v1/session');
    expect(session.status).toBe(200);
    expect(session.body.person.email).toBe(employeeLogin.email);
    expect(session.body.permissions).toEqual(['company:read']);
    expect((await employee.get('/api/v1/company')).status).toBe(200);
    for (const url of ['/api/v1/people', '/api/v1/ledger/accounts', '/api/v1/ledger/entries', '/api/v1/wallet', '/api/v1/api-keys']) {
      expectProblem(await employee.get(url), 403, 'forbidden');
    }
  });

  it('lets a bookkeeper read the ledger accounts and entries, but not invite or create API keys', async () => {
    const accounts = await bookkeeper.get('/api/v1/ledger/accounts');
    expect(accounts.status).toBe(200);
    // The demo company's accounts: wallet, card spend, and those its approved expenses booked.
    const codes = accounts.body.items.map((account: { code: string }) => account.code);
    expect(codes).toEqual(expect.arrayContaining(['card_spend', 'wallet', 'wallet_funding', 'coa:6110', 'vat:6902', 'company_bank']));
    const entries = await bookkeeper.get('/api/v1/ledger/entries');
    expect(entries.status).toBe(200);
    expect(entries.body.items.length).toBeGreaterThan(0);

    const invite = await bookkeeper.post('/api/v1/people/invitations', { email: 'by-bookkeeper@demo.outlay.test', name: 'No', roles: ['admin'] });
    expectProblem(invite, 403, 'forbidden');
    expect(await userByEmail('by-bookkeeper@demo.outlay.test')).toBeUndefined();
    expectProblem(await bookkeeper.post('/api/v1/api-keys', { name: 'No', scopes: ['ledger:read'] }), 403, 'forbidden');
  });
});

describe('CSRF protection of cookie sessions', () => {
  it('refuses a cookie-authenticated write without the CSRF token (403 csrf_failed) and writes nothing', async () => {
    const before = await snapshotRows(db());
    expectProblem(await admin.post('/api/v1/teams', { name: 'No Token' }, { csrfToken: null }), 403, 'csrf_failed');
    expectProblem(await admin.patch(`/api/v1/people/${(await userByEmail(employeeLogin.email))!.id}`, { name: 'Renamed' }, { csrfToken: null }), 403, 'csrf_failed');
    expectProblem(await admin.delete('/api/v1/session', { csrfToken: null }), 403, 'csrf_failed');
    expect(await snapshotRows(db())).toEqual(before);
  });

  it('refuses a wrong CSRF token, also one of another session, and writes nothing', async () => {
    const before = await snapshotRows(db());
    for (const csrfToken of ['wrong', bookkeeper.credentials.csrfToken, admin.credentials.csrfToken.slice(0, -1)]) {
      expectProblem(await admin.post('/api/v1/teams', { name: 'Wrong Token' }, { csrfToken }), 403, 'csrf_failed');
    }
    expect(await snapshotRows(db())).toEqual(before);
  });

  it('refuses a write from a foreign Origin even with the right token, and accepts its own', async () => {
    expectProblem(await admin.post('/api/v1/teams', { name: 'Foreign' }, { headers: { origin: 'https://evil.example' } }), 403, 'csrf_failed');
    expectProblem(await admin.post('/api/v1/teams', { name: 'Foreign' }, { headers: { origin: 'null' } }), 403, 'csrf_failed');
    const key = await createApiKey(admin, 'Origin check', ['people:write']);
    expectProblem(await key.client.post('/api/v1/teams', { name: 'Foreign' }, { headers: { origin: 'https://evil.example' } }), 403, 'csrf_failed');
    expect((await db().selectFrom('teams').select('id').where('name', '=', 'Foreign').execute())).toEqual([]);
    expect((await admin.post('/api/v1/teams', { name: 'Same Origin' }, { headers: { origin: server.url } })).status).toBe(201);
  });

  it('needs no CSRF token to read', async () => {
    expect((await admin.get('/api/v1/people', { csrfToken: null })).status).toBe(200);
  });
});

describe('API keys', () => {
  it('shows the secret once, and the database keeps no trace of it', async () => {
    const created = await admin.post('/api/v1/api-keys', { name: 'Accounting sync', scopes: ['ledger:read'] });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^olk\.cmp_[0-9A-Z]{26}\.key_[0-9A-Z]{26}\.[A-Za-z0-9_-]{32}$/);
    expect(created.headers['cache-control']).toBe('no-store');

    const listed = await admin.get('/api/v1/api-keys');
    const item = listed.body.items.find((key: { id: string }) => key.id === created.body.apiKey.id);
    expect(item).toMatchObject({ name: 'Accounting sync', scopes: ['ledger:read'], revokedAt: null });
    expect(listed.text).not.toContain(secret.split('.').at(-1));

    const row = await db().selectFrom('api_keys').selectAll().where('id', '=', created.body.apiKey.id).executeTakeFirstOrThrow();
    const secretPart = secret.split('.').at(-1)!;
    expect(JSON.stringify(row)).not.toContain(secretPart);
    const everything = JSON.stringify(await snapshotRows(db()));
    expect(everything).not.toContain(secretPart);
    expect((await withApiKey(server.app, secret).get('/api/v1/ledger/accounts')).status).toBe(200);
  });

  it('limits a key to its scopes (403 outside them), and needs no CSRF token', async () => {
    const key = await createApiKey(admin, 'Treasury', ['wallet:read', 'wallet:write']);
    expect((await key.client.get('/api/v1/wallet')).status).toBe(200);
    expect((await key.client.request('PUT', '/api/v1/wallet/low-balance-alert', { lowBalanceBelow: '12.34' })).status).toBe(200);
    for (const url of ['/api/v1/people', '/api/v1/company', '/api/v1/ledger/entries']) {
      expectProblem(await key.client.get(url), 403, 'forbidden');
    }
    expectProblem(await key.client.post('/api/v1/teams', { name: 'Out Of Scope' }), 403, 'forbidden');
    expect(await db().selectFrom('teams').select('id').where('name', '=', 'Out Of Scope').execute()).toEqual([]);
  });

  it('refuses a revoked key with 401 at once', async () => {
    const key = await createApiKey(admin, 'Short-lived', ['company:read']);
    expect((await key.client.get('/api/v1/company')).status).toBe(200);
    const revoked = await admin.post(`/api/v1/api-keys/${key.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expectProblem(await key.client.get('/api/v1/company'), 401, 'unauthenticated');
  });

  it('does not let API keys manage API keys, and no key can be given that power', async () => {
    const key = await createApiKey(admin, 'Everything allowed', ['company:read', 'people:read', 'people:write', 'wallet:read', 'wallet:write', 'ledger:read']);
    expectProblem(await key.client.get('/api/v1/api-keys'), 403, 'forbidden');
    expectProblem(await key.client.post('/api/v1/api-keys', { name: 'Minted', scopes: ['company:read'] }), 403, 'forbidden');
    expectProblem(await key.client.post(`/api/v1/api-keys/${key.id}/revoke`), 403, 'forbidden');
    const escalated = await admin.post('/api/v1/api-keys', { name: 'Key manager', scopes: ['api_keys:manage'] });
    expect({ status: escalated.status, code: escalated.body.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(escalated.body.field).toMatch(/^scopes/);
    expect(await db().selectFrom('api_keys').select('id').where('name', 'in', ['Minted', 'Key manager']).execute()).toEqual([]);
  });

  it('refuses a made-up or mangled key with 401', async () => {
    const key = await createApiKey(admin, 'To mangle', ['company:read']);
    const mangled = key.secret.slice(0, -1) + (key.secret.endsWith('A') ? 'B' : 'A');
    for (const secret of [mangled, 'olk.nonsense', key.secret.replace(/^olk\./, '')]) {
      expectProblem(await withApiKey(server.app, secret).get('/api/v1/company'), 401, 'unauthenticated');
    }
  });
});

describe('the session\'s permissions', () => {
  it('says what each role lets the person do, the same at sign-in as when the session is read', async () => {
    const expected = [
      { email: demo('bookkeeper').email, permissions: ['company:read', 'people:read', 'wallet:read', 'ledger:read', 'cards:read', 'transactions:read', 'receipts:read', 'expenses:read', 'expenses:manage', 'analytics:read'] },
      { email: demoOperator.email, permissions: ['company:read', 'bank:operate', 'flags:operate'] },
    ];
    for (const { email, permissions } of expected) {
      const signedIn = await anonymous(server.app).post('/api/v1/session', { email, password: demo('admin').password });
      expect(signedIn.body.permissions).toEqual(permissions);
      expect((await sessionFrom(server.app, signedIn).get('/api/v1/session')).body.permissions).toEqual(permissions);
    }
    const admins = (await admin.get('/api/v1/session')).body.permissions;
    expect(admins).toContain('api_keys:manage');
    expect(admins).not.toContain('bank:operate');
    expect(admins).not.toContain('flags:operate');
  });

  it('follows a change of roles on the next read', async () => {
    const person = await addPerson(admin, { email: 'reviewing@demo.outlay.test', name: 'Reviewing', roles: ['employee'] });
    expect((await person.client.get('/api/v1/session')).body.permissions).not.toContain('expenses:review');
    expect((await admin.patch(`/api/v1/people/${person.id}`, { roles: ['employee', 'reviewer'] })).status).toBe(200);
    expect((await person.client.get('/api/v1/session')).body.permissions).toEqual(['company:read', 'people:read', 'transactions:read', 'receipts:read', 'expenses:read', 'expenses:review']);
  });
});

describe('signing in and out', () => {
  it('answers a wrong password and an unknown e-mail alike: 401 invalid_credentials', async () => {
    const wrongPassword = await anonymous(server.app).post('/api/v1/session', { email: demo('admin').email, password: 'not-the-password' });
    const unknownEmail = await anonymous(server.app).post('/api/v1/session', { email: 'nobody@demo.outlay.test', password: 'not-the-password' });
    expectProblem(wrongPassword, 401, 'invalid_credentials');
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
    expect(unknownEmail.headers['set-cookie']).toBeUndefined();
  });

  it('refuses an invited person who has not accepted yet, like a wrong password', async () => {
    await admin.post('/api/v1/people/invitations', { email: 'pending@demo.outlay.test', name: 'Pending', roles: ['employee'] });
    expectProblem(await anonymous(server.app).post('/api/v1/session', { email: 'pending@demo.outlay.test', password: testPassword }), 401, 'invalid_credentials');
  });

  it('signing out ends the session', async () => {
    const session = await signIn(server.app, demo('bookkeeper').email, demo('bookkeeper').password);
    expect((await session.delete('/api/v1/session')).status).toBe(204);
    expectProblem(await session.get('/api/v1/session'), 401, 'unauthenticated');
    expect((await bookkeeper.get('/api/v1/session')).status).toBe(200);
  });
});
