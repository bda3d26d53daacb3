// Passkeys (WebAuthn) as a second factor, end to end over HTTP with real ceremonies: a software
// authenticator (src/test-support/passkey-authenticator.ts, a P-256 key of node:crypto) makes
// the attestation and assertions a browser would send, and the server checks them. Adding,
// listing and removing passkeys, signing in and revealing a card with one, and what is refused:
// a replayed or unknown challenge, another origin or RP ID, a counter that goes back, another
// person's credential, a challenge of another sign-in, the attempt limit and the company's rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondFactorPerPerson } from '../../src/auth/attempt-limits.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, anonymous, createApiKey, createTenant, sessionFrom, signIn, testPassword, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { PasskeyAuthenticator } from '../../src/test-support/passkey-authenticator.js';
import { startTestServer } from '../../src/test-support/server.js';

const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
let server: RunningServer;
/** On its ephemeral port the test server's public URL is its own address: RP ID and origin. */
let relyingParty: { rpId: string; origin: string };
let acme: Tenant;

beforeAll(async () => {
  server = await startTestServer({ clock });
  relyingParty = { rpId: new URL(server.url).hostname, origin: new URL(server.url).origin };
  acme = await createTenant(server, { name: 'Acme', adminEmail: 'ada@acme.test' });
});

afterAll(async () => {
  await server?.close();
});

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body?.code }, response.text).toEqual({ status, code });
}

async function register(client: SessionClient, name = 'Work laptop', authenticator = new PasskeyAuthenticator(relyingParty)) {
  const options = await client.post('/api/v1/me/mfa/passkeys/registration-options');
  expect(options.status, options.text).toBe(200);
  const added = await client.post('/api/v1/me/mfa/passkeys', { name, response: authenticator.register(options.body) });
  expect(added.status, added.text).toBe(201);
  return { authenticator, passkey: added.body as { id: string; name: string } };
}

const passwordStep = async (email: string): Promise<string> => {
  const answer = await anonymous(server.app).post('/api/v1/session', { email, password: testPassword });
  expect(answer.body.mfaRequired, answer.text).toBe(true);
  return answer.body.challenge as string;
};
const signInOptions = async (challenge: string) => {
  const options = await anonymous(server.app).post('/api/v1/session/mfa/passkey-options', { challenge });
  expect(options.status, options.text).toBe(200);
  return options.body as { challenge: string; rpId: string; allowCredentials: { id: string }[] };
};
const completeWith = (challenge: string, passkey: unknown) => anonymous(server.app).post('/api/v1/session/mfa', { challenge, passkey });
const auditOf = async (userId: string) => (await server.database.db.selectFrom('audit_events').select(['action', 'details']).where('subject_id', '=', userId).orderBy('id').execute());

describe('adding and listing passkeys', () => {
  it('registers a named passkey with a real attestation, lists it, and asks for it at sign-in', async () => {
    const person = await addPerson(acme.client, { email: 'pia@acme.test', name: 'Pia Passkey', roles: ['employee'] });
    expect((await person.client.get('/api/v1/me/mfa/passkeys')).body).toEqual({ items: [] });
    const options = await person.client.post('/api/v1/me/mfa/passkeys/registration-options');
    expect(options.body).toMatchObject({ rp: { id: relyingParty.rpId, name: 'Outlay' }, user: { name: 'pia@acme.test', displayName: 'Pia Passkey' }, attestation: 'none', challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const authenticator = new PasskeyAuthenticator(relyingParty);
    const added = await person.client.post('/api/v1/me/mfa/passkeys', { name: ' Work laptop ', response: authenticator.register(options.body) });
    expect(added.status, added.text).toBe(201);
    expect(added.body).toMatchObject({ name: 'Work laptop', createdAt: clock.now().toISOString(), lastUsedAt: null });
    const listed = await person.client.get('/api/v1/me/mfa/passkeys');
    expect(listed.body.items).toEqual([added.body]);
    expect((await auditOf(person.id)).map((event) => event.action)).toContain('person.passkey_added');

    const challenge = await passwordStep(person.email);
    const request = await signInOptions(challenge);
    expect(request.rpId).toBe(relyingParty.rpId);
    expect(request.allowCredentials.map((credential) => credential.id)).toEqual([authenticator.id]);
    const completed = await completeWith(challenge, authenticator.assert(request));
    expect(completed.status, completed.text).toBe(200);
    const session = sessionFrom(server.app, completed);
    expect((await session.get('/api/v1/session')).body.person.email).toBe(person.email);
    expect((await session.get('/api/v1/me/mfa/passkeys')).body.items[0].lastUsedAt).toBe(clock.now().toISOString());
    const used = (await auditOf(person.id)).filter((event) => event.action === 'person.passkey_used');
    expect(used.map((event) => event.details)).toEqual([{ passkeyId: added.body.id, purpose: 'sign_in' }]);
  });

  it('refuses a registration answered twice, from another origin or for another RP ID, saving nothing', async () => {
    const person = await addPerson(acme.client, { email: 'rolf@acme.test', name: 'Rolf Refused', roles: ['employee'] });
    const authenticator = new PasskeyAuthenticator(relyingParty);
    const attempt = async (overrides: { origin?: string; rpId?: string }) => {
      const options = await person.client.post('/api/v1/me/mfa/passkeys/registration-options');
      return person.client.post('/api/v1/me/mfa/passkeys', { name: 'Phone', response: authenticator.register(options.body, overrides) });
    };
    expectProblem(await attempt({ origin: 'https://evil.example' }), 400, 'passkey_registration_invalid');
    expectProblem(await attempt({ rpId: 'evil.example' }), 400, 'passkey_registration_invalid');
    expectProblem(await person.client.post('/api/v1/me/mfa/passkeys', { name: 'Phone', response: authenticator.register({ challenge: 'bm90LWEtY2hhbGxlbmdlLW9mLW91cnM' }) }), 400, 'passkey_registration_invalid');
    const options = await person.client.post('/api/v1/me/mfa/passkeys/registration-options');
    const response = authenticator.register(options.body);
    expect((await person.client.post('/api/v1/me/mfa/passkeys', { name: 'Phone', response })).status).toBe(201);
    expectProblem(await person.client.post('/api/v1/me/mfa/passkeys', { name: 'Phone again', response }), 400, 'passkey_registration_invalid');
    expect((await person.client.get('/api/v1/me/mfa/passkeys')).body.items).toHaveLength(1);
  });

  it('refuses an empty name and a malformed answer as validation errors', async () => {
    const person = await addPerson(acme.client, { email: 'val@acme.test', name: 'Val Idation', roles: ['employee'] });
    const options = await person.client.post('/api/v1/me/mfa/passkeys/registration-options');
    const response = new PasskeyAuthenticator(relyingParty).register(options.body);
    expectProblem(await person.client.post('/api/v1/me/mfa/passkeys', { name: '   ', response }), 400, 'validation_failed');
    expectProblem(await person.client.post('/api/v1/me/mfa/passkeys', { name: 'x', response: { ...response, response: { clientDataJSON: 'not base64url!' } } }), 400, 'validation_failed');
    expectProblem(await person.client.post('/api/v1/me/mfa/passkeys', { name: 'x', response: { ...response, response: { ...response.response, clientDataJSON: 'e30' } } }), 400, 'passkey_registration_invalid');
  });

  it('is for people in a browser session, not API keys', async () => {
    const key = await createApiKey(acme.client, 'passkey probe', ['people:read']);
    expectProblem(await key.client.get('/api/v1/me/mfa/passkeys'), 403, 'forbidden');
    expectProblem(await key.client.post('/api/v1/me/mfa/passkeys/registration-options'), 403, 'forbidden');
  });
});

describe('signing in with a passkey', () => {
  it('refuses a replayed challenge, another origin, another RP ID and a challenge of another sign-in attempt', async () => {
    const person = await addPerson(acme.client, { email: 'rita@acme.test', name: 'Rita Replay', roles: ['employee'] });
    const { authenticator } = await register(person.client);

    const challenge = await passwordStep(person.email);
    const request = await signInOptions(challenge);
    const answer = authenticator.assert(request);
    expect((await completeWith(challenge, answer)).status).toBe(200);
    expectProblem(await completeWith(await passwordStep(person.email), answer), 401, 'passkey_invalid');
    expectProblem(await completeWith(challenge, authenticator.assert(request)), 401, 'passkey_invalid');

    const second = await passwordStep(person.email);
    expectProblem(await completeWith(second, authenticator.assert(await signInOptions(second), { origin: 'https://evil.example' })), 401, 'passkey_invalid');
    expectProblem(await completeWith(second, authenticator.assert(await signInOptions(second), { rpId: 'evil.example' })), 401, 'passkey_invalid');
    // Options asked for one attempt do not finish another attempt of the same person.
    const third = await passwordStep(person.email);
    expectProblem(await completeWith(third, authenticator.assert(await signInOptions(second))), 401, 'passkey_invalid');
    // Those were five failures: the person is locked out for a while (secondFactorPerPerson).
    clock.advance(secondFactorPerPerson.lockoutMs);
    const fourth = await passwordStep(person.email);
    expect((await completeWith(fourth, authenticator.assert(await signInOptions(fourth)))).status).toBe(200);
  });

  it('refuses a signature counter that goes back or stays, as from a cloned authenticator, and an expired challenge', async () => {
    const person = await addPerson(acme.client, { email: 'cleo@acme.test', name: 'Cleo Clone', roles: ['employee'] });
    const { authenticator } = await register(person.client);
    const challenge = await passwordStep(person.email);
    expect((await completeWith(challenge, authenticator.assert(await signInOptions(challenge), { signCount: 7 }))).status).toBe(200);
    expectProblem(await completeWith(challenge, authenticator.assert(await signInOptions(challenge), { signCount: 5 })), 401, 'passkey_invalid');
    expectProblem(await completeWith(challenge, authenticator.assert(await signInOptions(challenge), { signCount: 7 })), 401, 'passkey_invalid');
    const stored = await server.database.db.selectFrom('passkeys').select('sign_count').where('user_id', '=', person.id).executeTakeFirstOrThrow();
    expect(stored.sign_count).toBe(7n);

    const late = await passwordStep(person.email);
    const request = await signInOptions(late);
    clock.advance(5 * 60_000 - 1000);
    const fresh = await passwordStep(person.email);
    clock.advance(1000);
    expectProblem(await completeWith(fresh, authenticator.assert(request)), 401, 'passkey_invalid');
    expect((await completeWith(fresh, authenticator.assert(await signInOptions(fresh), { signCount: 8 }))).status).toBe(200);
  });

  it('refuses another person\'s passkey, also one of the same company with a challenge of theirs', async () => {
    const mine = await addPerson(acme.client, { email: 'mia@acme.test', name: 'Mia Mine', roles: ['employee'] });
    const theirs = await addPerson(acme.client, { email: 'theo@acme.test', name: 'Theo Theirs', roles: ['employee'] });
    await register(mine.client);
    const { authenticator: theirAuthenticator } = await register(theirs.client);
    const challenge = await passwordStep(mine.email);
    expectProblem(await completeWith(challenge, theirAuthenticator.assert(await signInOptions(challenge))), 401, 'passkey_invalid');
    // Their own challenge answered by their own passkey still does not finish my sign-in.
    const theirChallenge = await passwordStep(theirs.email);
    expectProblem(await completeWith(challenge, theirAuthenticator.assert(await signInOptions(theirChallenge))), 401, 'passkey_invalid');
  });

  it('counts failed answers in the second-factor limit: 429, the right answer too, until the lockout ends', async () => {
    const person = await addPerson(acme.client, { email: 'lars@acme.test', name: 'Lars Locked', roles: ['employee'] });
    const { authenticator } = await register(person.client);
    const challenge = await passwordStep(person.email);
    for (let attempt = 0; attempt < secondFactorPerPerson.failuresMax; attempt += 1) {
      expectProblem(await completeWith(challenge, authenticator.assert(await signInOptions(challenge), { origin: 'https://evil.example' })), 401, 'passkey_invalid');
    }
    expectProblem(await completeWith(challenge, authenticator.assert(await signInOptions(challenge))), 429, 'rate_limited');
    clock.advance(secondFactorPerPerson.lockoutMs);
    const again = await passwordStep(person.email);
    expect((await completeWith(again, authenticator.assert(await signInOptions(again)))).status).toBe(200);
  });

  it('refuses both a code and a passkey at once, and options for a person without a passkey', async () => {
    const person = await addPerson(acme.client, { email: 'bo@acme.test', name: 'Bo Both', roles: ['employee'] });
    const { authenticator } = await register(person.client);
    const challenge = await passwordStep(person.email);
    const answer = authenticator.assert(await signInOptions(challenge));
    expectProblem(await anonymous(server.app).post('/api/v1/session/mfa', { challenge, code: '123456', passkey: answer }), 400, 'validation_failed');
    expectProblem(await anonymous(server.app).post('/api/v1/session/mfa', { challenge }), 400, 'validation_failed');
    expectProblem(await anonymous(server.app).post('/api/v1/session/mfa/passkey-options', { challenge: 'not-a-challenge' }), 401, 'mfa_challenge_invalid');
    expect((await completeWith(challenge, answer)).status).toBe(200);
  });
});

describe('between companies', () => {
  it('refuses a passkey of another company\'s person, and does not find it to remove', async () => {
    const mine = await addPerson(acme.client, { email: 'ines@acme.test', name: 'Ines Isolated', roles: ['employee'] });
    const { authenticator, passkey } = await register(mine.client);
    const umbrella = await createTenant(server, { name: 'Umbrella', adminEmail: 'ulla@umbrella.test' });
    const other = await addPerson(umbrella.client, { email: 'ines@acme.test', name: 'Ines at Umbrella', roles: ['employee'] });
    await register(other.client);
    // The same address at Umbrella: its sign-in offers Umbrella's passkey only.
    const answer = await anonymous(server.app).post('/api/v1/session', { email: 'ines@acme.test', password: testPassword, companyId: umbrella.company.id });
    const challenge = answer.body.challenge as string;
    expect(answer.body.mfaRequired, answer.text).toBe(true);
    const request = await signInOptions(challenge);
    expect(request.allowCredentials.map((credential) => credential.id)).not.toContain(authenticator.id);
    expectProblem(await completeWith(challenge, authenticator.assert(request)), 401, 'passkey_invalid');
    expectProblem(await other.client.post(`/api/v1/me/mfa/passkeys/${passkey.id}/remove`, { password: testPassword }), 404, 'not_found');
    expectProblem(await umbrella.client.post(`/api/v1/me/mfa/passkeys/${passkey.id}/remove`, { password: testPassword }), 404, 'not_found');
    expect((await mine.client.get('/api/v1/me/mfa/passkeys')).body.items.map((item: { id: string }) => item.id)).toEqual([passkey.id]);
  });
});

describe('card reveal with a passkey', () => {
  it('accepts a passkey instead of a code, once per challenge, and not a sign-in\'s challenge', async () => {
    const holder = await addPerson(acme.client, { email: 'karl@acme.test', name: 'Karl Card', roles: ['employee'] });
    const issued = await acme.client.post('/api/v1/cards', { userId: holder.id, kind: 'virtual' });
    expect(issued.status, issued.text).toBe(201);
    const { authenticator } = await register(holder.client);
    const reveal = (body: Record<string, unknown>) => holder.client.post(`/api/v1/cards/${issued.body.id}/reveal`, body);
    expectProblem(await reveal({ password: testPassword }), 401, 'mfa_required');
    const options = await holder.client.post('/api/v1/me/mfa/passkeys/authentication-options');
    expect(options.status, options.text).toBe(200);
    const answer = authenticator.assert(options.body);
    expectProblem(await reveal({ password: 'not-my-password', passkey: answer }), 401, 'reauthentication_required');
    const shown = await reveal({ password: testPassword, passkey: answer });
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body.number).toMatch(/^[0-9]{16}$/);
    expectProblem(await reveal({ password: testPassword, passkey: answer }), 401, 'passkey_invalid');
    const signInChallenge = await passwordStep(holder.email);
    expectProblem(await reveal({ password: testPassword, passkey: authenticator.assert(await signInOptions(signInChallenge)) }), 401, 'passkey_invalid');
    const used = (await auditOf(holder.id)).filter((event) => event.action === 'person.passkey_used');
    expect(used.map((event) => (event.details as { purpose: string }).purpose)).toEqual(['confirmation']);
  });
});

describe('removing passkeys', () => {
  it('removes one with the password, audited; afterwards the password alone signs in', async () => {
    const person = await addPerson(acme.client, { email: 'remy@acme.test', name: 'Remy Remove', roles: ['employee'] });
    const { passkey } = await register(person.client);
    expectProblem(await person.client.post(`/api/v1/me/mfa/passkeys/${passkey.id}/remove`, { password: 'not-my-password' }), 401, 'reauthentication_required');
    expect((await person.client.get('/api/v1/me/mfa/passkeys')).body.items).toHaveLength(1);
    expect((await person.client.post(`/api/v1/me/mfa/passkeys/${passkey.id}/remove`, { password: testPassword })).status).toBe(204);
    expect((await person.client.get('/api/v1/me/mfa/passkeys')).body.items).toEqual([]);
    expectProblem(await person.client.post(`/api/v1/me/mfa/passkeys/${passkey.id}/remove`, { password: testPassword }), 404, 'not_found');
    const answer = await anonymous(server.app).post('/api/v1/session', { email: person.email, password: testPassword });
    expect(answer.body.csrfToken).toEqual(expect.any(String));
    expect((await auditOf(person.id)).map((event) => event.action)).toEqual(expect.arrayContaining(['person.passkey_added', 'person.passkey_removed']));
  });

  it('keeps the last second factor of an admin whose company requires one, and lets a passkey stand for it', async () => {
    const globex = await createTenant(server, { name: 'Globex', adminEmail: 'gail@globex.test' });
    expect((await globex.client.patch('/api/v1/company', { requireMfaForAdmins: true })).status).toBe(200);
    const fresh = await signIn(server.app, 'gail@globex.test', testPassword);
    expect((await fresh.get('/api/v1/session')).body.mfaEnrollmentRequired).toBe(true);
    const first = await register(fresh, 'Laptop');
    expect((await fresh.get('/api/v1/session')).body.mfaEnrollmentRequired).toBe(false);
    expect((await fresh.get('/api/v1/people')).status).toBe(200);
    const second = await register(fresh, 'Phone');
    expect((await fresh.post(`/api/v1/me/mfa/passkeys/${first.passkey.id}/remove`, { password: testPassword })).status).toBe(204);
    expectProblem(await fresh.post(`/api/v1/me/mfa/passkeys/${second.passkey.id}/remove`, { password: testPassword }), 409, 'mfa_state_invalid');
    expect((await fresh.get('/api/v1/me/mfa/passkeys')).body.items.map((item: { name: string }) => item.name)).toEqual(['Phone']);
  });
});
