// Company settings: an admin changes the company's name, time zone and locale; each is
// checked before anything is written, each change is in the audit trail, and the session and
// GET /api/v1/company show the locale. The other settings stay where they are and answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyScopes, permissionDescriptions, permissions } from '../../src/auth/permissions.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createApiKey, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';

let server: RunningServer;
let tenant: Tenant;
let books: SessionClient;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'Settings Co', adminEmail: 'admin@settings.test' });
  books = (await addPerson(tenant.client, { email: 'books@settings.test', name: 'Bo Books', roles: ['bookkeeper'] })).client;
});
afterAll(async () => {
  await server?.close();
});

describe('PATCH /api/v1/company', () => {
  it('changes the name, time zone and locale, shown by the company and the session, and audited with before and after', async () => {
    expect((await tenant.client.get('/api/v1/company')).body).toMatchObject({ timeZone: 'UTC', locale: 'en-GB' });
    const changed = await tenant.client.patch('/api/v1/company', { name: ' Indstillinger ApS ', timeZone: 'Europe/Copenhagen', locale: 'da-DK' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Indstillinger ApS', timeZone: 'Europe/Copenhagen', locale: 'da-DK', currency: 'EUR' });
    expect((await books.get('/api/v1/session')).body.company).toMatchObject({ name: 'Indstillinger ApS', locale: 'da-DK' });
    const audit = await tenant.client.get('/api/v1/audit-events?action=company.updated');
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actor: { type: 'user', id: tenant.admin.id, name: 'Admin of Settings Co' },
      subject: { type: 'company', id: tenant.company.id, label: 'The company' },
      details: { name: { from: 'Settings Co', to: 'Indstillinger ApS' }, time_zone: { from: 'UTC', to: 'Europe/Copenhagen' }, locale: { from: 'en-GB', to: 'da-DK' } },
    });
  });

  it('writes nothing and audits nothing when a value is refused or nothing changes', async () => {
    const before = (await tenant.client.get('/api/v1/company')).body;
    const refusals = [
      [{ name: 'Fine', timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ locale: 'fr-FR' }, 'locale'],
      [{ name: '   ' }, 'name'],
    ] as const;
    for (const [body, field] of refusals) {
      const response = await tenant.client.patch('/api/v1/company', body);
      expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status: 400, code: 'validation_failed', field });
    }
    expect((await tenant.client.patch('/api/v1/company', { locale: before.locale })).status).toBe(200);
    expect((await tenant.client.get('/api/v1/company')).body).toEqual(before);
    expect((await tenant.client.get('/api/v1/audit-events?action=company.updated')).body.items).toHaveLength(1);
  });

  it('is the admin\'s: a bookkeeper or an API key without company:manage is refused', async () => {
    expect((await books.patch('/api/v1/company', { name: 'Taken over' })).body.code).toBe('forbidden');
    const reader = await createApiKey(tenant.client, 'reader', ['company:read']);
    expect((await reader.client.patch('/api/v1/company', { name: 'Taken over' })).body.code).toBe('forbidden');
    const manager = await createApiKey(tenant.client, 'manager', ['company:manage']);
    expect((await manager.client.patch('/api/v1/company', { locale: 'sv-SE' })).body.locale).toBe('sv-SE');
    const audit = await tenant.client.get(`/api/v1/audit-events?actorId=${manager.id}`);
    expect(audit.body.items[0].actor).toEqual({ type: 'api_key', id: manager.id, name: 'API key manager' });
  });

  it('leaves card defaults, receipt rules and review rules at their own routes, each answering the admin', async () => {
    for (const url of ['/api/v1/card-settings', '/api/v1/receipt-settings', '/api/v1/review-rules']) {
      expect({ url, status: (await tenant.client.get(url)).status }).toEqual({ url, status: 200 });
    }
  });
});

describe('GET /api/v1/api-keys/scopes', () => {
  it('offers every scope the server knows, each with a description, in groups', async () => {
    const response = await tenant.client.get('/api/v1/api-keys/scopes');
    expect(response.status).toBe(200);
    const offered = (response.body.groups as { name: string; scopes: { scope: string; description: string }[] }[]).flatMap((group) => group.scopes);
    expect(offered.map((scope) => scope.scope)).toEqual(apiKeyScopes);
    expect(offered.every((scope) => scope.description.length > 10)).toBe(true);
    expect(response.body.groups.map((group: { name: string }) => group.name)).toContain('Expenses');
  });

  it('has a description for every permission and for nothing else', () => {
    expect(Object.keys(permissionDescriptions).sort()).toEqual([...permissions].sort());
  });

  it('is for those who manage API keys', async () => {
    expect((await books.get('/api/v1/api-keys/scopes')).status).toBe(403);
  });
});
