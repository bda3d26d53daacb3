// Password reset by e-mailed link, end to end over HTTP with a real SMTP server: the link is
// read from the delivered message, sets the password once, ends the person's sessions; spent
// and expired links are refused; an unknown address answers the same and gets nothing; asking
// is limited; and a sign-in lockout e-mails the person once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordResetPerAddress, passwordResetPerClient, signInPerAddress } from '../../src/auth/attempt-limits.js';
import type { RunningServer } from '../../src/server/server.js';
import { passwordResetValidMinutes } from '../../src/sessions/password-reset.service.js';
import { addPerson, anonymous, createTenant, testPassword, type ApiResponse, type Tenant } from '../../src/test-support/api-client.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { eventually } from '../../src/test-support/eventually.js';
import { startTestServer } from '../../src/test-support/server.js';
import { startTestSmtpServer, type TestSmtpServer } from '../../src/test-support/smtp-server.js';

const clock = new ManualClock(new Date());
const newPassword = 'a-new-password-from-the-link';
let smtp: TestSmtpServer;
let server: RunningServer;
let fjord: Tenant;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  // One proxy hop is believed, so each test chooses its client address with X-Forwarded-For.
  server = await startTestServer({ clock, config: { trustProxy: 1, mail: { smtpUrl: smtp.url, from: 'Outlay <outlay@fjord.test>' } } });
  fjord = await createTenant(server, { name: 'Fjord Kaffe ApS', currency: 'DKK', adminEmail: 'ada@fjord.test' });
  expect((await fjord.client.patch('/api/v1/company', { locale: 'da-DK' })).status).toBe(200);
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
const askReset = (email: string, ip = '192.0.2.10') => anonymous(server.app).post('/api/v1/password-resets', { email }, from(ip));
const resetLink = (token: string) => `/api/v1/password-resets/${token}`;
const mailTo = (address: string) => smtp.received.filter((entry) => entry.envelopeTo.includes(address));
const outboxTo = (address: string) => server.database.db.selectFrom('outgoing_mail').selectAll().where('to_address', '=', address).execute();

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body?.code }, response.text).toEqual({ status, code });
}

/** Asks for a reset and reads the token from the link in the delivered e-mail. */
async function tokenFromMail(address: string): Promise<string> {
  const resetMails = () => mailTo(address).filter((entry) => entry.mail.subject === 'Nulstil din adgangskode til Outlay');
  const before = resetMails().length;
  expect((await askReset(address)).status).toBe(202);
  const message = await eventually('the reset e-mail', async () => resetMails()[before]);
  expect(message.mail.text).toContain(`inden for ${passwordResetValidMinutes} minutter`);
  const link = /Åbn i Outlay: (\S+)/.exec(message.mail.text ?? '')?.[1];
  expect(link).toMatch(new RegExp(`^${server.url}/reset-password/`));
  return new URL(link!).pathname.split('/').at(-1)!;
}

describe('a reset link', () => {
  it('arrives in the company\'s language and sets the password once: old sessions end, the old password no longer works', async () => {
    const { email, id, client: oldSession } = await addPerson(fjord.client, { email: 'mette@fjord.test', name: 'Mette', roles: ['employee'] });
    expect((await oldSession.get('/api/v1/session')).status).toBe(200);
    const token = await tokenFromMail(email);

    const described = await anonymous(server.app).get(resetLink(token));
    expect(described.status, described.text).toBe(200);
    expect(described.body.companyName).toBe('Fjord Kaffe ApS');
    expectProblem(await anonymous(server.app).post(resetLink(token), { password: 'short' }), 400, 'validation_failed');

    expect((await anonymous(server.app).post(resetLink(token), { password: newPassword })).status).toBe(204);
    expect((await oldSession.get('/api/v1/session')).status).toBe(401);
    expectProblem(await anonymous(server.app).post('/api/v1/session', { email, password: testPassword }), 401, 'invalid_credentials');
    expect((await anonymous(server.app).post('/api/v1/session', { email, password: newPassword })).status).toBe(200);

    expectProblem(await anonymous(server.app).post(resetLink(token), { password: 'yet-another-password' }), 410, 'password_reset_used');
    expectProblem(await anonymous(server.app).get(resetLink(token)), 410, 'password_reset_used');
    expect((await anonymous(server.app).post('/api/v1/session', { email, password: newPassword })).status).toBe(200);

    const audit = await server.database.db.selectFrom('audit_events').select('action').where('subject_id', '=', id).where('action', '=', 'person.password_reset').execute();
    expect(audit).toHaveLength(1);
    // The link signs nobody in, but sets a password: like an invitation's, not kept once sent.
    const sent = await eventually('the reset e-mail marked sent', async () => (await outboxTo(email)).find((row) => row.kind === 'password_reset' && row.status === 'sent'));
    expect(sent.link_path).toBeNull();
  });

  it('is refused once expired, and the password stays as it was', async () => {
    const { email } = await addPerson(fjord.client, { email: 'jonas@fjord.test', name: 'Jonas', roles: ['employee'] });
    const token = await tokenFromMail(email);
    clock.advance(passwordResetValidMinutes * 60_000 + 1_000);
    expectProblem(await anonymous(server.app).get(resetLink(token)), 410, 'password_reset_expired');
    expectProblem(await anonymous(server.app).post(resetLink(token), { password: newPassword }), 410, 'password_reset_expired');
    expect((await anonymous(server.app).post('/api/v1/session', { email, password: testPassword })).status).toBe(200);
  });

  it('is refused when made up or tampered with', async () => {
    const { email } = await addPerson(fjord.client, { email: 'karl@fjord.test', name: 'Karl', roles: ['employee'] });
    const token = await tokenFromMail(email);
    const [companyId, id] = token.split('.');
    expectProblem(await anonymous(server.app).get(resetLink(`${companyId}.${id}.${'A'.repeat(43)}`)), 404, 'password_reset_invalid');
    expectProblem(await anonymous(server.app).post(resetLink('not-a-token'), { password: newPassword }), 404, 'password_reset_invalid');
  });
});

describe('asking for a reset', () => {
  it('answers an unknown address the same 202 and sends nothing', async () => {
    const unknown = await askReset('nobody@fjord.test', '192.0.2.20');
    const { email } = await addPerson(fjord.client, { email: 'known@fjord.test', name: 'Known', roles: ['employee'] });
    const known = await askReset(email, '192.0.2.20');
    expect({ status: unknown.status, body: unknown.text }).toEqual({ status: known.status, body: known.text });
    expect(unknown.status).toBe(202);
    // Once the known address's e-mail is delivered, the unknown one's would have been too.
    await eventually('the known address\'s e-mail', async () => mailTo(email).find((entry) => entry.mail.subject === 'Nulstil din adgangskode til Outlay'));
    expect(mailTo('nobody@fjord.test')).toEqual([]);
    expect(await outboxTo('nobody@fjord.test')).toEqual([]);
  });

  it('e-mails each company the address is a person of its own link, in that company\'s language', async () => {
    const other = await createTenant(server, { name: 'Other Co', adminEmail: 'olga@other.test' });
    const email = 'two-jobs@fjord.test';
    await addPerson(fjord.client, { email, name: 'Two Jobs', roles: ['employee'] });
    await addPerson(other.client, { email, name: 'Two Jobs', roles: ['employee'] });
    expect((await askReset(email, '192.0.2.30')).status).toBe(202);
    const subjects = await eventually('both reset e-mails', async () => {
      const found = mailTo(email).map((entry) => entry.mail.subject).filter((subject) => subject?.includes('Outlay') && !subject.includes('invit'));
      return found.length === 2 ? found : undefined;
    });
    expect(subjects.sort()).toEqual(['Nulstil din adgangskode til Outlay', 'Reset your Outlay password']);
    const links = await server.database.db.selectFrom('password_resets').select('company_id').where('user_id', 'in', (await server.database.db.selectFrom('users').select('id').where('email', '=', email).execute()).map((row) => row.id)).execute();
    expect(new Set(links.map((link) => link.company_id))).toEqual(new Set([fjord.company.id, other.company.id]));
  });

  it('is limited per address and per client address with 429 and Retry-After, known or not', async () => {
    for (const address of ['ada@fjord.test', 'ghost@fjord.test']) {
      for (let ask = 1; ask <= passwordResetPerAddress.failuresMax; ask += 1) expect((await askReset(address, `198.51.100.${ask}`)).status).toBe(202);
      const refused = await askReset(address, '198.51.100.99');
      expectProblem(refused, 429, 'rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    for (let ask = 1; ask <= passwordResetPerClient.failuresMax; ask += 1) expect((await askReset(`crowd-${ask}@elsewhere.test`, '203.0.113.50')).status).toBe(202);
    expectProblem(await askReset('crowd-last@elsewhere.test', '203.0.113.50'), 429, 'rate_limited');
    // Writes nothing for a refused ask: no link.
    expect(await outboxTo('crowd-last@elsewhere.test')).toEqual([]);
  });
});

describe('a sign-in lockout', () => {
  it('e-mails the person once, in the company\'s language, pointing to the reset page; a reset lifts it', async () => {
    const { email } = await addPerson(fjord.client, { email: 'lars@fjord.test', name: 'Lars', roles: ['employee'] });
    for (let attempt = 1; attempt <= signInPerAddress.failuresMax; attempt += 1) {
      expectProblem(await anonymous(server.app).post('/api/v1/session', { email, password: `wrong-${attempt}` }, from(`198.18.0.${attempt}`)), 401, 'invalid_credentials');
    }
    for (const attempt of [1, 2]) expectProblem(await anonymous(server.app).post('/api/v1/session', { email, password: `wrong-again-${attempt}` }, from('198.18.1.1')), 429, 'rate_limited');
    const message = await eventually('the lockout e-mail', async () => mailTo(email).find((entry) => entry.mail.subject === 'For mange loginforsøg på din Outlay-konto'));
    expect(message.mail.text).toContain('Hvis det ikke var dig, så nulstil din adgangskode');
    expect(message.mail.text).toContain(`Åbn i Outlay: ${server.url}/forgot-password`);
    expect((await outboxTo(email)).filter((row) => row.kind === 'sign_in_locked_out')).toHaveLength(1);

    const token = await tokenFromMail(email);
    expect((await anonymous(server.app).post(resetLink(token), { password: newPassword })).status).toBe(204);
    expect((await anonymous(server.app).post('/api/v1/session', { email, password: newPassword }, from('198.18.1.1'))).status).toBe(200);
  });
});
