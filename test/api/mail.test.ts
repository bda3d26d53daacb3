// Outgoing e-mail through the API: a review's decision reaches the employee's mailbox on a
// real SMTP server, in the company's language, linking to the expense; admins read the
// delivery log of their own company only; in development without an SMTP server the outbox
// shows what each message says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { eventually } from '../../src/test-support/eventually.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { startTestSmtpServer, type TestSmtpServer } from '../../src/test-support/smtp-server.js';

const today = () => new Date().toISOString().slice(0, 10);

async function approvedExpense(tenant: Tenant, employee: SessionClient): Promise<string> {
  const categoryId = (await tenant.client.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Rejser' })).body.id as string;
  const filed = await employee.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'Taxa 4x35', amount: '120.00', categoryId });
  expect(filed.status, filed.text).toBe(201);
  const id = filed.body.id as string;
  expect((await employee.post(`/api/v1/expenses/${id}/submit`)).status).toBe(200);
  const approved = await tenant.client.post(`/api/v1/expenses/${id}/approve`, {});
  expect(approved.status, approved.text).toBe(200);
  return id;
}

describe('with an SMTP server', () => {
  let smtp: TestSmtpServer;
  let server: RunningServer;
  let tenant: Tenant;
  let other: Tenant;
  let employee: SessionClient;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    server = await startTestServer({ config: { mail: { smtpUrl: smtp.url, from: 'Outlay <outlay@fjord.test>' }, receipts: { ...testConfig().receipts, readers: 0 } } });
    tenant = await createTenant(server, { name: 'Fjord Kaffe ApS', currency: 'DKK', adminEmail: 'ada@fjord.test' });
    other = await createTenant(server, { name: 'Other Co', adminEmail: 'olga@other.test' });
    expect((await tenant.client.patch('/api/v1/company', { locale: 'da-DK' })).status).toBe(200);
    employee = (await addPerson(tenant.client, { email: 'mette@fjord.test', name: 'Mette', roles: ['employee'] })).client;
  });

  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it('mails the employee the decision on their expense, in Danish, with its link', async () => {
    const id = await approvedExpense(tenant, employee);
    const message = await eventually('the approval e-mail', async () => smtp.received.find((entry) => entry.envelopeTo.includes('mette@fjord.test') && entry.mail.subject === 'Din udgift er godkendt'));
    expect(message.mail.text).toContain(`Åbn i Outlay: ${server.url}/expenses/${id}`);
    expect(message.mail.html).toContain(`href="${server.url}/expenses/${id}"`);

    const log = await eventually('the log to say sent', async () => {
      const items = (await tenant.client.get('/api/v1/mail')).body.items as { to: string; subject: string; status: string; content: unknown }[];
      return items.find((item) => item.to === 'mette@fjord.test' && item.status === 'sent');
    });
    expect(log).toMatchObject({ subject: 'Din udgift er godkendt', content: null });
  });

  it('e-mails an invitation with its link, which then signs the invitee up, and keeps no usable copy of the link once sent', async () => {
    const invited = await tenant.client.post('/api/v1/people/invitations', { email: 'jonas@fjord.test', name: 'Jonas', roles: ['employee'] });
    expect(invited.status, invited.text).toBe(201);
    const message = await eventually('the invitation e-mail', async () => smtp.received.find((entry) => entry.envelopeTo.includes('jonas@fjord.test')));
    expect(message.mail.subject).toBe('Du er inviteret til Fjord Kaffe ApS på Outlay');
    expect(message.mail.text).toContain('Admin of Fjord Kaffe ApS har inviteret dig');
    const link = /Åbn i Outlay: (\S+)/.exec(message.mail.text ?? '')?.[1];
    expect(link).toBe(invited.body.invitation.url);
    const token = new URL(link!).pathname.split('/').at(-1)!;
    const accepted = await tenant.client.app.inject({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, payload: { password: 'a-long-enough-password' } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const row = await eventually('the invitation marked sent', async () => server.database.db.selectFrom('outgoing_mail').selectAll().where('to_address', '=', 'jonas@fjord.test').where('status', '=', 'sent').executeTakeFirst());
    expect(row.link_path).toBeNull();
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('shows the delivery log to the company\'s admins only', async () => {
    expect((await employee.get('/api/v1/mail')).status).toBe(403);
    const others = (await other.client.get('/api/v1/mail')).body.items as { to: string }[];
    expect(others.filter((item) => item.to.endsWith('@fjord.test'))).toEqual([]);
  });
});

describe('in development without an SMTP server', () => {
  let server: RunningServer;
  let tenant: Tenant;

  beforeAll(async () => {
    server = await startTestServer({ config: { receipts: { ...testConfig().receipts, readers: 0 } } });
    tenant = await createTenant(server, { name: 'Outbox Ltd', adminEmail: 'ada@outbox.test' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('keeps the messages in the outbox and shows what they say', async () => {
    const employee = (await addPerson(tenant.client, { email: 'eve@outbox.test', name: 'Eve', roles: ['employee'] })).client;
    const id = await approvedExpense(tenant, employee);
    const items = (await tenant.client.get('/api/v1/mail')).body.items as { to: string; subject: string; status: string; content: { text: string; html: string } | null }[];
    const approval = items.find((item) => item.to === 'eve@outbox.test' && item.subject === 'Your expense was approved');
    expect(approval).toMatchObject({ subject: 'Your expense was approved', status: 'queued' });
    expect(approval?.content?.text).toContain(`Open in Outlay: ${server.url}/expenses/${id}`);
  });
});
