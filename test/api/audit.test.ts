// The audit trail over the API: newest first, filtered by actor, action, subject and the
// company's dates, each row with its actor's name and a readable subject, as CSV too; for
// admins only, and never another company's.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';

let server: RunningServer;
let tenant: Tenant;
let other: Tenant;
let books: { id: string; client: SessionClient };
let teamId: string;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'Audit Co', adminEmail: 'admin@audit.test', adminName: 'Ada Admin' });
  other = await createTenant(server, { name: 'Other Audit Co', adminEmail: 'admin@other-audit.test' });
  teamId = (await tenant.client.post('/api/v1/teams', { name: 'Finance' })).body.id;
  books = await addPerson(tenant.client, { email: 'books@audit.test', name: 'Bo Books', roles: ['bookkeeper'], teamId });
  expect((await tenant.client.patch(`/api/v1/people/${books.id}`, { roles: ['bookkeeper', 'reviewer'] })).status).toBe(200);
  expect((await tenant.client.patch('/api/v1/company', { locale: 'de-DE' })).status).toBe(200);
  expect((await other.client.patch('/api/v1/company', { locale: 'sv-SE' })).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

describe('GET /api/v1/audit-events', () => {
  it('lists the company\'s changes newest first, with the actor\'s name and a readable subject', async () => {
    const response = await tenant.client.get('/api/v1/audit-events');
    expect(response.status, response.text).toBe(200);
    const items = response.body.items as { id: string; action: string; actor: { name: string }; subject: { type: string; id: string; label: string } }[];
    expect(items[0]).toMatchObject({ action: 'company.updated', actor: { name: 'Ada Admin' }, subject: { label: 'The company' } });
    expect(items.map((item) => item.id)).toEqual([...items.map((item) => item.id)].sort().reverse());
    const aboutBo = items.filter((item) => item.subject.id === books.id);
    expect(aboutBo.length).toBeGreaterThan(0);
    expect(aboutBo.every((item) => item.subject.label === 'Person Bo Books')).toBe(true);
    expect(items.find((item) => item.subject.type === 'team')?.subject.label).toBe('Team Finance');
  });

  it('filters by subject, actor, action and dates, and pages', async () => {
    const bySubject = await tenant.client.get(`/api/v1/audit-events?subjectType=user&subjectId=${books.id}`);
    expect(bySubject.body.items.length).toBeGreaterThan(0);
    expect(bySubject.body.items.every((item: { subject: { id: string } }) => item.subject.id === books.id)).toBe(true);
    const byBo = (await tenant.client.get(`/api/v1/audit-events?actorId=${books.id}`)).body.items as { actor: { id: string; name: string } }[];
    expect(byBo.every((item) => item.actor.id === books.id && item.actor.name === 'Bo Books')).toBe(true);
    const byAda = (await tenant.client.get(`/api/v1/audit-events?actorId=${tenant.admin.id}&action=company.updated`)).body.items;
    expect(byAda).toHaveLength(1);
    expect((await tenant.client.get('/api/v1/audit-events?from=2000-01-01&to=2000-12-31')).body.items).toEqual([]);
    const first = await tenant.client.get('/api/v1/audit-events?limit=1');
    const second = await tenant.client.get(`/api/v1/audit-events?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id < first.body.items[0].id).toBe(true);
    expect((await tenant.client.get('/api/v1/audit-events?from=2026-02-01&to=2026-01-01')).body.field).toBe('from');
  });

  it('downloads the trail as CSV', async () => {
    const csv = await tenant.client.get('/api/v1/audit-events?format=csv&action=company.updated');
    expect(csv.contentType).toMatch(/^text\/csv/);
    const [header, row, ...rest] = csv.text.trimEnd().split('\r\n');
    expect(header).toBe('event_id,at,action,actor,actor_id,subject,subject_type,subject_id,details,ip,user_agent');
    expect(rest).toEqual([]);
    expect(row).toContain(',company.updated,Ada Admin,');
    expect(row).toContain('""locale"":{');
    expect(row).toContain('""to"":""de-DE""');
  });

  it('says where each change came from: the client\'s address and user agent, none for Outlay\'s own work', async () => {
    const renamed = await tenant.client.request('PATCH', '/api/v1/company', { name: 'Audit Co (renamed)' }, { headers: { 'user-agent': 'FinanceTool/2.1 (+https://example.test)' } });
    expect(renamed.status, renamed.text).toBe(200);
    const [latest] = (await tenant.client.get('/api/v1/audit-events?action=company.updated&limit=1')).body.items as { origin: unknown; details: Record<string, unknown> }[];
    expect(latest).toMatchObject({ origin: { ip: '127.0.0.1', userAgent: 'FinanceTool/2.1 (+https://example.test)' }, details: { name: { to: 'Audit Co (renamed)' } } });
    // The admin was made by the services directly (createTenant), as the command line does.
    const created = (await tenant.client.get(`/api/v1/audit-events?action=person.created&subjectId=${tenant.admin.id}`)).body.items as { origin: unknown }[];
    expect(created).toEqual([expect.objectContaining({ origin: null })]);
  });

  it('holds the changes of every module: a card issued, an expense filed and submitted', async () => {
    const card = await tenant.client.post('/api/v1/cards', { userId: books.id, kind: 'virtual' });
    expect(card.status, card.text).toBe(201);
    const categoryId = (await tenant.client.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id as string;
    const filed = await books.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: new Date().toISOString().slice(0, 10), merchant: 'Train', amount: '42.00', categoryId });
    expect(filed.status, filed.text).toBe(201);
    expect((await books.client.post(`/api/v1/expenses/${filed.body.id}/submit`)).status).toBe(200);
    const aboutCard = (await tenant.client.get(`/api/v1/audit-events?subjectType=card&subjectId=${card.body.id}`)).body.items as { action: string; actor: { id: string } }[];
    expect(aboutCard).toEqual([expect.objectContaining({ action: 'card.issued', actor: expect.objectContaining({ id: tenant.admin.id }) })]);
    const aboutExpense = (await tenant.client.get(`/api/v1/audit-events?subjectType=expense&subjectId=${filed.body.id}`)).body.items as { action: string; actor: { id: string }; subject: { label: string }; origin: unknown }[];
    expect(aboutExpense.map((item) => item.action)).toEqual(expect.arrayContaining(['expense.filed', 'expense.submitted']));
    expect(aboutExpense.filter((item) => item.action !== 'expense.booked').every((item) => item.actor.id === books.id && item.origin !== null)).toBe(true);
    expect(aboutExpense[0]!.subject.label).toBe(`Expense ${filed.body.id}`);
  });

  it('records each sign-in and sign-out with where it came from', async () => {
    const signedIn = (await tenant.client.get(`/api/v1/audit-events?action=person.signed_in&actorId=${books.id}`)).body.items as { subject: { id: string }; origin: { ip: string } | null; details: { sessionId?: string } }[];
    expect(signedIn.length).toBeGreaterThan(0);
    expect(signedIn[0]).toMatchObject({ subject: { id: books.id }, origin: { ip: '127.0.0.1' }, details: { sessionId: expect.stringMatching(/^ses_/) } });
    const session = await addPerson(tenant.client, { email: 'leaving@audit.test', name: 'Lea Leaving', roles: ['employee'] });
    expect((await session.client.request('DELETE', '/api/v1/session')).status).toBe(204);
    const signedOut = (await tenant.client.get(`/api/v1/audit-events?action=person.signed_out&actorId=${session.id}`)).body.items;
    expect(signedOut).toHaveLength(1);
  });

  it('cannot be changed or removed, not even by a statement in the database', async () => {
    const { db } = server.database;
    const before = await db.selectFrom('audit_events').select(['id', 'action']).where('company_id', '=', tenant.company.id).orderBy('id').execute();
    await expect(db.updateTable('audit_events').set({ action: 'nothing.happened' }).where('company_id', '=', tenant.company.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_events').where('company_id', '=', tenant.company.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/append-only/);
    expect(await db.selectFrom('audit_events').select(['id', 'action']).where('company_id', '=', tenant.company.id).orderBy('id').execute()).toEqual(before);
  });

  it('is the admin\'s alone, and shows another company nothing of this one', async () => {
    expect((await books.client.get('/api/v1/audit-events')).status).toBe(403);
    const others = await other.client.get(`/api/v1/audit-events?subjectId=${books.id}`);
    expect(others.body.items).toEqual([]);
    const all = await other.client.get('/api/v1/audit-events');
    const subjects = new Set(all.body.items.map((item: { subject: { id: string } }) => item.subject.id));
    expect(subjects).toEqual(new Set([other.company.id, other.admin.id]));
  });
});
