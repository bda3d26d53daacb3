// Issue 15's security probe, end to end over HTTP: brute-force limits at sign-in, card reveal
// and invitations; password hashing cost; password change and sessions their owner sees and
// ends; deactivation ending API keys; API keys that cannot grant more than they hold; and
// logins that no longer tell one company about another's people.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import {
  addPerson,
  anonymous,
  createApiKey,
  createTenant,
  invitationToken,
  sessionFrom,
  signIn,
  testPassword,
  type ApiClient,
  type ApiResponse,
  type SessionClient,
  type Tenant,
} from '../../src/test-support/api-client.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { startTestServer, testPasswordCost } from '../../src/test-support/server.js';
import { addActivePerson } from '../../src/people/people.service.js';
import { signInPerAddress, signInPerClient, passwordRecheckPerPerson, invitationsPerInviter } from '../../src/auth/attempt-limits.js';

const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
let server: RunningServer;
let acme: Tenant;
let globex: Tenant;

beforeAll(async () => {
  // One proxy hop is believed, so each test chooses its client address with X-Forwarded-For.
  server = await startTestServer({ clock, config: { trustProxy: 1 } });
  acme = await createTenant(server, { name: 'Acme', adminEmail: 'ada@acme.test' });
  globex = await createTenant(server, { name: 'Globex', adminEmail: 'gus@globex.test' });
});

afterAll(async () => {
  await server?.close();
});

function expectProblem(response: ApiResponse, status: number, code: string, field?: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body?.code }, response.text).toEqual({ status, code });
  if (field) expect(response.body.field).toBe(field);
}

const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
const signInFrom = (ip: string, email: string, password: string) => anonymous(server.app).post('/api/v1/session', { email, password }, from(ip));
const db = () => server.database.db;
const storedHash = async (email: string) => (await db().selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()).password_hash!;

describe('sign-in limits', () => {
  it('refuses the 11th wrong password for an address with 429 and Retry-After, the right one too during the lockout, and lets it in after the backoff', async () => {
    const { email } = await addPerson(acme.client, { email: 'brute@acme.test', name: 'Brute Target', roles: ['employee'] });
    expect(signInPerAddress.failuresMax).toBe(10);
    for (let attempt = 1; attempt <= signInPerAddress.failuresMax; attempt += 1) {
      // Each from another client address: the address alone is counted here.
      expectProblem(await signInFrom(`198.51.100.${attempt}`, email, `wrong-password-${attempt}`), 401, 'invalid_credentials');
    }
    const eleventh = await signInFrom('198.51.100.99', email, 'wrong-password-11');
    expectProblem(eleventh, 429, 'rate_limited');
    const retryAfter = Number(eleventh.headers['retry-after']);
    expect(retryAfter).toBe(signInPerAddress.lockoutMs / 1000);

    expectProblem(await signInFrom('198.51.100.99', email, testPassword), 429, 'rate_limited');
    const audit = await db().selectFrom('audit_events').selectAll().where('action', '=', 'person.locked_out').where('company_id', '=', acme.company.id).execute();
    expect(audit.map((event) => event.details)).toContainEqual(expect.objectContaining({ limit: signInPerAddress.scope }));

    clock.advance(retryAfter * 1000);
    expect((await signInFrom('198.51.100.99', email, testPassword)).status).toBe(200);
  });

  it('doubles the lockout each time in a row', async () => {
    const { email } = await addPerson(acme.client, { email: 'twice@acme.test', name: 'Twice Locked', roles: ['employee'] });
    const lockOut = async () => {
      for (let attempt = 0; attempt < signInPerAddress.failuresMax; attempt += 1) await signInFrom('203.0.113.7', email, 'not-the-password');
      return Number((await signInFrom('203.0.113.7', email, 'not-the-password')).headers['retry-after']);
    };
    const first = await lockOut();
    expect(first).toBe(signInPerAddress.lockoutMs / 1000);
    clock.advance(first * 1000);
    expect(await lockOut()).toBe(first * 2);
    clock.advance(first * 2 * 1000);
  });

  it('counts a client address apart from the e-mail addresses: its lockout does not lock the addresses it tried out for others', async () => {
    const victim = await addPerson(acme.client, { email: 'victim@acme.test', name: 'Victim', roles: ['employee'] });
    const attacker = '192.0.2.66';
    // Fewer tries per address than lock one, over enough addresses to lock the client address.
    const perAddress = signInPerAddress.failuresMax - 1;
    let tried = 0;
    for (let n = 0; tried < signInPerClient.failuresMax; n += 1) {
      const email = n === 0 ? victim.email : `nobody${n}@acme.test`;
      for (let attempt = 0; attempt < perAddress && tried < signInPerClient.failuresMax; attempt += 1, tried += 1) {
        expectProblem(await signInFrom(attacker, email, 'guess-guess-guess'), 401, 'invalid_credentials');
      }
    }
    const locked = await signInFrom(attacker, 'someone-else@acme.test', 'guess-guess-guess');
    expectProblem(locked, 429, 'rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The victim, from their own address, is not locked out by the attacker's client address.
    expect((await signInFrom('198.18.0.1', victim.email, testPassword)).status).toBe(200);
  });
});

describe('card reveal limits', () => {
  it('refuses the 6th wrong password with 429 and Retry-After, the right one too, and shows the card after the backoff', async () => {
    const holder = await addPerson(acme.client, { email: 'holder@acme.test', name: 'Card Holder', roles: ['employee'] });
    const issued = await acme.client.post('/api/v1/cards', { userId: holder.id, kind: 'virtual' });
    expect(issued.status, issued.text).toBe(201);
    const reveal = (password: string) => holder.client.post(`/api/v1/cards/${issued.body.id}/reveal`, { password });
    for (let attempt = 0; attempt < passwordRecheckPerPerson.failuresMax; attempt += 1) expectProblem(await reveal('not-my-password'), 401, 'reauthentication_required');
    const refused = await reveal('not-my-password');
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers['retry-after'])).toBe(passwordRecheckPerPerson.lockoutMs / 1000);
    expectProblem(await reveal(testPassword), 429, 'rate_limited');
    clock.advance(passwordRecheckPerPerson.lockoutMs);
    expect((await reveal(testPassword)).status).toBe(200);
  });
});

describe('invitation limits', () => {
  it('refuses an inviter\'s invitations past the hourly limit with 429 and Retry-After', async () => {
    const hiring = await createTenant(server, { name: 'Hiring', adminEmail: 'hr@hiring.test' });
    for (let n = 0; n < invitationsPerInviter.failuresMax; n += 1) {
      const response = await hiring.client.post('/api/v1/people/invitations', { email: `hire${n}@hiring.test`, name: `Hire ${n}`, roles: ['employee'] });
      expect(response.status, response.text).toBe(201);
    }
    const refused = await hiring.client.post('/api/v1/people/invitations', { email: 'one-more@hiring.test', name: 'One More', roles: ['employee'] });
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await db().selectFrom('users').select('id').where('email', '=', 'one-more@hiring.test').executeTakeFirst()).toBeUndefined();
  });
});

describe('password hashing', () => {
  it('hashes at the configured cost, and hashes a password stored at a lower cost again at the next sign-in', async () => {
    const cost = testPasswordCost;
    await addActivePerson(db(), acme.company.id, { email: 'old-hash@acme.test', name: 'Old Hash', roles: ['employee'], password: testPassword }, { N: cost.N / 2, r: cost.r, p: cost.p });
    expect((await storedHash('old-hash@acme.test')).split('$').slice(0, 4)).toEqual(['scrypt', String(cost.N / 2), String(cost.r), String(cost.p)]);
    await signIn(server.app, 'old-hash@acme.test', testPassword);
    expect((await storedHash('old-hash@acme.test')).split('$').slice(0, 4)).toEqual(['scrypt', String(cost.N), String(cost.r), String(cost.p)]);
    await signIn(server.app, 'old-hash@acme.test', testPassword);
  });
});

describe('password change and sessions', () => {
  let person: { id: string; email: string; client: SessionClient };
  let laptop: SessionClient;

  beforeAll(async () => {
    person = await addPerson(acme.client, { email: 'owner@acme.test', name: 'Session Owner', roles: ['employee'] });
    laptop = sessionFrom(server.app, await anonymous(server.app).post('/api/v1/session', { email: person.email, password: testPassword }, { headers: { 'x-forwarded-for': '203.0.113.50', 'user-agent': 'Laptop Browser/1.0' } }));
  });

  it('lists the person\'s own live sessions with when, where and what started them', async () => {
    const listed = await laptop.get('/api/v1/me/sessions');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    const mine = listed.body.items.find((session: { current: boolean }) => session.current);
    expect(mine).toMatchObject({ ipAddress: '203.0.113.50', userAgent: 'Laptop Browser/1.0', createdAt: clock.now().toISOString() });
    expect(mine.lastUsedAt).not.toBeNull();
    const other = await acme.client.get('/api/v1/me/sessions');
    expect(other.body.items.map((session: { id: string }) => session.id)).not.toContain(mine.id);
  });

  it('ends one session of the person\'s own, and answers 404 for another person\'s', async () => {
    const listed = await laptop.get('/api/v1/me/sessions');
    const first = listed.body.items.find((session: { current: boolean }) => !session.current);
    expectProblem(await acme.client.delete(`/api/v1/me/sessions/${first.id}`), 404, 'not_found');
    expect((await person.client.get('/api/v1/session')).status).toBe(200);
    expect((await laptop.delete(`/api/v1/me/sessions/${first.id}`)).status).toBe(204);
    expectProblem(await person.client.get('/api/v1/session'), 401, 'unauthenticated');
    expect((await laptop.get('/api/v1/session')).status).toBe(200);
  });

  it('changes the password only with the current one, and ends the person\'s other sessions', async () => {
    const phone = await signIn(server.app, person.email, testPassword);
    expectProblem(await laptop.post('/api/v1/me/password', { currentPassword: 'not-the-password', newPassword: 'a-brand-new-passphrase' }), 401, 'reauthentication_required', 'currentPassword');
    expectProblem(await laptop.post('/api/v1/me/password', { currentPassword: testPassword, newPassword: 'short' }), 400, 'validation_failed', 'newPassword');
    expect((await laptop.post('/api/v1/me/password', { currentPassword: testPassword, newPassword: 'a-brand-new-passphrase' })).status).toBe(204);
    expectProblem(await phone.get('/api/v1/session'), 401, 'unauthenticated');
    expect((await laptop.get('/api/v1/session')).status).toBe(200);
    expectProblem(await anonymous(server.app).post('/api/v1/session', { email: person.email, password: testPassword }), 401, 'invalid_credentials');
    await signIn(server.app, person.email, 'a-brand-new-passphrase');
  });

  it('signs out everywhere', async () => {
    const other = await signIn(server.app, person.email, 'a-brand-new-passphrase');
    expect((await laptop.delete('/api/v1/me/sessions')).status).toBe(204);
    expectProblem(await laptop.get('/api/v1/session'), 401, 'unauthenticated');
    expectProblem(await other.get('/api/v1/session'), 401, 'unauthenticated');
  });

  it('gives API keys no sessions and no password', async () => {
    const key = await createApiKey(acme.client, 'Sessions probe', ['company:read', 'people:read']);
    expectProblem(await key.client.get('/api/v1/me/sessions'), 403, 'forbidden');
    expectProblem(await key.client.post('/api/v1/me/password', { currentPassword: testPassword, newPassword: 'a-brand-new-passphrase' }), 403, 'forbidden');
  });
});

describe('deactivation', () => {
  it('suspends the API keys the person made: they stop working at once', async () => {
    const second = await addPerson(acme.client, { email: 'keymaker@acme.test', name: 'Key Maker', roles: ['admin'] });
    const key = await createApiKey(second.client, 'Made by the key maker', ['company:read', 'people:read']);
    expect((await key.client.get('/api/v1/people')).status).toBe(200);
    expect((await acme.client.post(`/api/v1/people/${second.id}/deactivate`)).status).toBe(200);
    expectProblem(await key.client.get('/api/v1/people'), 401, 'unauthenticated');
    const listed = await acme.client.get('/api/v1/api-keys');
    expect(listed.body.items.find((item: { id: string }) => item.id === key.id)).toMatchObject({ suspendedAt: expect.any(String), revokedAt: null });
  });
});

describe('what an API key may grant', () => {
  it('stops the probe\'s path: a people:write key cannot invite an admin, so no admin mints keys', async () => {
    const key = await createApiKey(acme.client, 'Probe', ['people:write']);
    const invited = await key.client.post('/api/v1/people/invitations', { email: 'mallory@acme.test', name: 'Mallory', roles: ['admin'] });
    expectProblem(invited, 403, 'forbidden');
    expect(invited.text).not.toContain('/invite/');
    expect(await db().selectFrom('users').select('id').where('email', '=', 'mallory@acme.test').executeTakeFirst()).toBeUndefined();
  });

  it('lets a key invite a role within its scopes, without the link in the response', async () => {
    const key = await createApiKey(acme.client, 'Onboarding', ['company:read', 'people:write']);
    const invited = await key.client.post('/api/v1/people/invitations', { email: 'newbie@acme.test', name: 'Newbie', roles: ['employee'] });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.body.invitation.url).toBeNull();
    expect(invited.text).not.toContain('/invite/');
  });

  it('does not let a key raise a person to a role above its scopes', async () => {
    const key = await createApiKey(acme.client, 'Roles', ['company:read', 'people:read', 'people:write']);
    const person = await addPerson(acme.client, { email: 'promote@acme.test', name: 'Promote Me', roles: ['employee'] });
    expectProblem(await key.client.patch(`/api/v1/people/${person.id}`, { roles: ['admin'] }), 403, 'forbidden');
    expect((await key.client.patch(`/api/v1/people/${person.id}`, { roles: ['employee'], name: 'Promoted Not' })).status).toBe(200);
  });
});

describe('logins of several companies', () => {
  let client: ApiClient;
  beforeAll(() => {
    client = globex.client;
  });

  it('invites an address that is a person of another company as if it were new, and each company\'s login works with its own password', async () => {
    const fresh = await client.post('/api/v1/people/invitations', { email: 'fresh@nowhere.test', name: 'Fresh', roles: ['employee'] });
    const taken = await client.post('/api/v1/people/invitations', { email: 'ADA@acme.test', name: 'Ada Elsewhere', roles: ['employee'] });
    expect(taken.status, taken.text).toBe(fresh.status);
    expect(Object.keys(taken.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(taken.body.person).toMatchObject({ email: 'ada@acme.test', status: 'invited' });

    const accepted = await anonymous(server.app).post(`/api/v1/invitations/${invitationToken(taken.body.invitation.url)}/accept`, { password: 'globex-only-passphrase' });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.company.id).toBe(globex.company.id);
    expect((await signIn(server.app, 'ada@acme.test', testPassword).then((session) => session.get('/api/v1/session'))).body.company.id).toBe(acme.company.id);
    expect((await signIn(server.app, 'ada@acme.test', 'globex-only-passphrase').then((session) => session.get('/api/v1/session'))).body.company.id).toBe(globex.company.id);
  });

  it('lets an address whose password is right in two companies choose which to sign in to', async () => {
    const invited = await client.post('/api/v1/people/invitations', { email: 'accountant@books.test', name: 'Alex Accountant', roles: ['bookkeeper'] });
    expect((await anonymous(server.app).post(`/api/v1/invitations/${invitationToken(invited.body.invitation.url)}/accept`, { password: 'one-passphrase-for-clients' })).status).toBe(200);
    const second = await acme.client.post('/api/v1/people/invitations', { email: 'accountant@books.test', name: 'Alex Accountant', roles: ['bookkeeper'] });
    expect((await anonymous(server.app).post(`/api/v1/invitations/${invitationToken(second.body.invitation.url)}/accept`, { password: 'one-passphrase-for-clients' })).status).toBe(200);

    const first = await anonymous(server.app).post('/api/v1/session', { email: 'accountant@books.test', password: 'one-passphrase-for-clients' });
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(first.body.chooseCompany).toBe(true);
    expect((first.body.companies as { id: string }[]).map((company) => company.id).sort()).toEqual([acme.company.id, globex.company.id].sort());

    const chosen = await anonymous(server.app).post('/api/v1/session', { email: 'accountant@books.test', password: 'one-passphrase-for-clients', companyId: acme.company.id });
    expect(chosen.status, chosen.text).toBe(200);
    expect(chosen.body.company.id).toBe(acme.company.id);
    expect(chosen.headers['set-cookie']).toBeDefined();
    // A company the address has no person in, or whose password is another, signs nobody in.
    expectProblem(await anonymous(server.app).post('/api/v1/session', { email: 'accountant@books.test', password: 'one-passphrase-for-clients', companyId: 'cmp_nowhere' }), 401, 'invalid_credentials');
  });

  it('still refuses an address that is already a person of the same company', async () => {
    expectProblem(await client.post('/api/v1/people/invitations', { email: 'gus@globex.test', name: 'Gus Again', roles: ['employee'] }), 409, 'email_taken');
  });
});
