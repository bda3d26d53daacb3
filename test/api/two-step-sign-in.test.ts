// Issue 15 item 3, end to end over HTTP: enrolling an authenticator (TOTP, RFC 6238) with codes
// computed by otplib from the secret the enrolment answered, signing in with the second factor,
// codes accepted once, recovery codes, the limit on guessing, the company's rule for admins
// and bookkeepers, and the card reveal asking for a code.
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondFactorPerPerson } from '../../src/auth/attempt-limits.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, anonymous, createApiKey, createTenant, sessionFrom, signIn, testPassword, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { startTestServer } from '../../src/test-support/server.js';

const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
let server: RunningServer;
let acme: Tenant;

beforeAll(async () => {
  server = await startTestServer({ clock });
  acme = await createTenant(server, { name: 'Acme', adminEmail: 'ada@acme.test' });
});

afterAll(async () => {
  await server?.close();
});

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body?.code }, response.text).toEqual({ status, code });
}

/** The code an authenticator app shows at the test clock's now (otplib, as the app would). */
const codeNow = (secret: string) => authenticator.clone({ epoch: clock.now().getTime() }).generate(secret);
/** Moves to the next 30-second step, so that a new code is shown. */
const nextStep = () => clock.advance(30_000);

async function enrol(client: SessionClient): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await client.post('/api/v1/me/mfa/totp');
  expect(started.status, started.text).toBe(200);
  const secret = started.body.secret as string;
  expect(started.body.otpauthUri).toMatch(new RegExp(`^otpauth://totp/.*secret=${secret}`));
  const confirmed = await client.post('/api/v1/me/mfa/totp/confirm', { code: codeNow(secret) });
  expect(confirmed.status, confirmed.text).toBe(200);
  nextStep();
  return { secret, recoveryCodes: confirmed.body.recoveryCodes };
}

const passwordStep = (email: string) => anonymous(server.app).post('/api/v1/session', { email, password: testPassword });

describe('enrolling and signing in with a second factor', () => {
  it('asks for a code after the right password (no cookie yet), starts the session with the code, and refuses a wrong one', async () => {
    const person = await addPerson(acme.client, { email: 'tess@acme.test', name: 'Tess Totp', roles: ['employee'] });
    expect((await person.client.get('/api/v1/me/mfa')).body).toEqual({ totp: false, recoveryCodesLeft: 0, required: false });
    const { secret, recoveryCodes } = await enrol(person.client);
    expect(recoveryCodes).toHaveLength(10);
    expect((await person.client.get('/api/v1/me/mfa')).body).toEqual({ totp: true, recoveryCodesLeft: 10, required: false });

    const first = await passwordStep(person.email);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ mfaRequired: true, challenge: expect.any(String) });
    expect(first.headers['set-cookie']).toBeUndefined();

    const wrongCode = codeNow(secret) === '000000' ? '111111' : '000000';
    expectProblem(await anonymous(server.app).post('/api/v1/session/mfa', { challenge: first.body.challenge, code: wrongCode }), 401, 'mfa_code_invalid');
    const completed = await anonymous(server.app).post('/api/v1/session/mfa', { challenge: first.body.challenge, code: codeNow(secret) });
    const session = sessionFrom(server.app, completed);
    expect((await session.get('/api/v1/session')).body.person.email).toBe(person.email);
  });

  it('refuses a code used once already, also within its step, and takes the next step\'s code', async () => {
    const person = await addPerson(acme.client, { email: 'ronja@acme.test', name: 'Ronja Replay', roles: ['employee'] });
    const { secret } = await enrol(person.client);
    const code = codeNow(secret);
    expect((await anonymous(server.app).post('/api/v1/session/mfa', { challenge: (await passwordStep(person.email)).body.challenge, code })).status).toBe(200);
    expectProblem(await anonymous(server.app).post('/api/v1/session/mfa', { challenge: (await passwordStep(person.email)).body.challenge, code }), 401, 'mfa_code_invalid');
    nextStep();
    expect((await anonymous(server.app).post('/api/v1/session/mfa', { challenge: (await passwordStep(person.email)).body.challenge, code: codeNow(secret) })).status).toBe(200);
  });

  it('accepts a code of the step before or after (clock drift), not two steps away', async () => {
    const person = await addPerson(acme.client, { email: 'drift@acme.test', name: 'Dina Drift', roles: ['employee'] });
    const { secret } = await enrol(person.client);
    const at = (offsetMs: number) => authenticator.clone({ epoch: clock.now().getTime() + offsetMs }).generate(secret);
    const complete = async (code: string) => anonymous(server.app).post('/api/v1/session/mfa', { challenge: (await passwordStep(person.email)).body.challenge, code });
    clock.advance(60_000);
    expectProblem(await complete(at(-60_000)), 401, 'mfa_code_invalid');
    expect((await complete(at(-30_000))).status).toBe(200);
    expect((await complete(at(30_000))).status).toBe(200);
    clock.advance(120_000);
  });

  it('takes a recovery code once, in any case and without its dash', async () => {
    const person = await addPerson(acme.client, { email: 'rico@acme.test', name: 'Rico Recovery', roles: ['employee'] });
    const { recoveryCodes } = await enrol(person.client);
    const code = recoveryCodes[3]!.replace('-', '').toUpperCase();
    expect((await anonymous(server.app).post('/api/v1/session/mfa', { challenge: (await passwordStep(person.email)).body.challenge, code })).status).toBe(200);
    expectProblem(await anonymous(server.app).post('/api/v1/session/mfa', { challenge: (await passwordStep(person.email)).body.challenge, code: recoveryCodes[3] }), 401, 'mfa_code_invalid');
    expect((await person.client.get('/api/v1/me/mfa')).body.recoveryCodesLeft).toBe(9);
  });

  it('refuses an altered or expired challenge', async () => {
    const person = await addPerson(acme.client, { email: 'chad@acme.test', name: 'Chad Challenge', roles: ['employee'] });
    const { secret } = await enrol(person.client);
    const { challenge } = (await passwordStep(person.email)).body;
    const altered = `${challenge.slice(0, -2)}${challenge.endsWith('AA') ? 'BB' : 'AA'}`;
    expectProblem(await anonymous(server.app).post('/api/v1/session/mfa', { challenge: altered, code: codeNow(secret) }), 401, 'mfa_challenge_invalid');
    clock.advance(5 * 60_000);
    expectProblem(await anonymous(server.app).post('/api/v1/session/mfa', { challenge, code: codeNow(secret) }), 401, 'mfa_challenge_invalid');
  });

  it('limits code guessing per person: 429 with Retry-After, the right code too, until the lockout ends', async () => {
    const person = await addPerson(acme.client, { email: 'gus@acme.test', name: 'Gus Guesser', roles: ['employee'] });
    const { secret } = await enrol(person.client);
    const { challenge } = (await passwordStep(person.email)).body;
    const wrong = () => (codeNow(secret) === '123456' ? '654321' : '123456');
    for (let attempt = 0; attempt < secondFactorPerPerson.failuresMax; attempt += 1) {
      expectProblem(await anonymous(server.app).post('/api/v1/session/mfa', { challenge, code: wrong() }), 401, 'mfa_code_invalid');
    }
    const refused = await anonymous(server.app).post('/api/v1/session/mfa', { challenge, code: codeNow(secret) });
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers['retry-after'])).toBe(secondFactorPerPerson.lockoutMs / 1000);
    clock.advance(secondFactorPerPerson.lockoutMs);
    const again = (await passwordStep(person.email)).body.challenge;
    expect((await anonymous(server.app).post('/api/v1/session/mfa', { challenge: again, code: codeNow(secret) })).status).toBe(200);
  });

  it('turns off with the password and a code, and signs in with the password alone afterwards', async () => {
    const person = await addPerson(acme.client, { email: 'otto@acme.test', name: 'Otto Off', roles: ['employee'] });
    const { secret } = await enrol(person.client);
    expectProblem(await person.client.post('/api/v1/me/mfa/totp/disable', { password: 'not-my-password', code: codeNow(secret) }), 401, 'reauthentication_required');
    expectProblem(await person.client.post('/api/v1/me/mfa/totp/disable', { password: testPassword, code: '000000' === codeNow(secret) ? '111111' : '000000' }), 401, 'mfa_code_invalid');
    expect((await person.client.post('/api/v1/me/mfa/totp/disable', { password: testPassword, code: codeNow(secret) })).status).toBe(204);
    expect((await passwordStep(person.email)).body.csrfToken).toEqual(expect.any(String));
    const audit = await server.database.db.selectFrom('audit_events').select('action').where('subject_id', '=', person.id).execute();
    expect(audit.map((event) => event.action)).toEqual(expect.arrayContaining(['person.mfa_enabled', 'person.mfa_disabled']));
  });

  it('replaces the recovery codes with the password and a code; the old ones stop working', async () => {
    const person = await addPerson(acme.client, { email: 'nina@acme.test', name: 'Nina New Codes', roles: ['employee'] });
    const { secret, recoveryCodes: old } = await enrol(person.client);
    const replaced = await person.client.post('/api/v1/me/mfa/recovery-codes', { password: testPassword, code: codeNow(secret) });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.body.recoveryCodes).toHaveLength(10);
    expectProblem(await anonymous(server.app).post('/api/v1/session/mfa', { challenge: (await passwordStep(person.email)).body.challenge, code: old[0] }), 401, 'mfa_code_invalid');
    expect((await anonymous(server.app).post('/api/v1/session/mfa', { challenge: (await passwordStep(person.email)).body.challenge, code: replaced.body.recoveryCodes[0] })).status).toBe(200);
  });

  it('keeps the secret encrypted at rest, and refuses enrolling twice', async () => {
    const person = await addPerson(acme.client, { email: 'enc@acme.test', name: 'Enno Encrypted', roles: ['employee'] });
    const { secret } = await enrol(person.client);
    const row = await server.database.db.selectFrom('totp_factors').selectAll().where('user_id', '=', person.id).executeTakeFirstOrThrow();
    expect(row.secret_ciphertext).not.toContain(secret);
    expect(row.secret_ciphertext).toMatch(/^v2\./);
    expectProblem(await person.client.post('/api/v1/me/mfa/totp'), 409, 'mfa_state_invalid');
  });

  it('is for people in a browser session, not API keys', async () => {
    const key = await createApiKey(acme.client, 'mfa probe', ['people:read']);
    expectProblem(await key.client.get('/api/v1/me/mfa'), 403, 'forbidden');
    expectProblem(await key.client.post('/api/v1/me/mfa/totp'), 403, 'forbidden');
  });
});

describe('the company\'s rule for admins and bookkeepers', () => {
  it('lets an admin without a second factor do nothing but enrol, and everything once enrolled; employees are not asked', async () => {
    const globex = await createTenant(server, { name: 'Globex', adminEmail: 'gus@globex.test' });
    const rule = await globex.client.patch('/api/v1/company', { requireMfaForAdmins: true });
    expect(rule.status, rule.text).toBe(200);
    expect(rule.body.requireMfaForAdmins).toBe(true);
    const audit = await server.database.db.selectFrom('audit_events').select('details').where('company_id', '=', globex.company.id).where('action', '=', 'company.updated').execute();
    expect(audit.map((event) => event.details)).toContainEqual({ require_mfa_for_admins: { from: false, to: true } });

    // The admin's session (started before the rule) may now only enrol.
    expectProblem(await globex.client.get('/api/v1/people'), 403, 'mfa_enrollment_required');
    expectProblem(await globex.client.patch('/api/v1/company', { requireMfaForAdmins: false }), 403, 'mfa_enrollment_required');
    expect((await globex.client.get('/api/v1/session')).body.mfaEnrollmentRequired).toBe(true);
    const fresh = await signIn(server.app, 'gus@globex.test', testPassword);
    expect((await fresh.get('/api/v1/session')).body.mfaEnrollmentRequired).toBe(true);
    expectProblem(await fresh.get('/api/v1/cards'), 403, 'mfa_enrollment_required');
    expect((await fresh.get('/api/v1/me/mfa')).body).toMatchObject({ totp: false, required: true });

    const { secret } = await enrol(fresh);
    expect((await fresh.get('/api/v1/people')).status).toBe(200);
    expect((await fresh.get('/api/v1/session')).body.mfaEnrollmentRequired).toBe(false);
    // Required of them: it cannot be turned off.
    expectProblem(await fresh.post('/api/v1/me/mfa/totp/disable', { password: testPassword, code: codeNow(secret) }), 409, 'mfa_state_invalid');
    expect((await passwordStep('gus@globex.test')).body.mfaRequired).toBe(true);
  });

  it('does not ask it of employees', async () => {
    const initech = await createTenant(server, { name: 'Initech', adminEmail: 'bill@initech.test' });
    const employee = await addPerson(initech.client, { email: 'milton@initech.test', name: 'Milton', roles: ['employee'] });
    expect((await initech.client.patch('/api/v1/company', { requireMfaForAdmins: true })).status).toBe(200);
    expect((await employee.client.get('/api/v1/expenses')).status).toBe(200);
    expect((await employee.client.get('/api/v1/session')).body.mfaEnrollmentRequired).toBe(false);
  });
});

describe('card reveal', () => {
  it('asks a cardholder with a second factor for a code besides the password', async () => {
    const holder = await addPerson(acme.client, { email: 'carla@acme.test', name: 'Carla Card', roles: ['employee'] });
    const issued = await acme.client.post('/api/v1/cards', { userId: holder.id, kind: 'virtual' });
    expect(issued.status, issued.text).toBe(201);
    const reveal = (body: Record<string, string>) => holder.client.post(`/api/v1/cards/${issued.body.id}/reveal`, body);
    expect((await reveal({ password: testPassword })).status).toBe(200);
    const { secret } = await enrol(holder.client);
    expectProblem(await reveal({ password: testPassword }), 401, 'mfa_required');
    expectProblem(await reveal({ password: testPassword, code: codeNow(secret) === '000000' ? '111111' : '000000' }), 401, 'mfa_code_invalid');
    expectProblem(await reveal({ password: 'not-my-password', code: codeNow(secret) }), 401, 'reauthentication_required');
    const shown = await reveal({ password: testPassword, code: codeNow(secret) });
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body.number).toMatch(/^[0-9]{16}$/);
    expectProblem(await reveal({ password: testPassword, code: codeNow(secret) }), 401, 'mfa_code_invalid');
  });
});
