// SCIM 2.0 provisioning as an identity provider does it (RFC 7644): look a person up by
// userName, create them, put them in a team, change their roles, deactivate them; every
// answer application/scim+json, errors SCIM's error resource. A key of another company finds
// nothing of this one, and a key without people:provision or a person gets no SCIM at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyScopes } from '../../src/auth/permissions.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createApiKey, createTenant, type ApiClient, type ApiResponse, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';

const scimJson = 'application/scim+json';
const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const patchSchema = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const errorSchema = 'urn:ietf:params:scim:api:messages:2.0:Error';

let server: RunningServer;
let tenant: Tenant;
let other: Tenant;
let idp: ApiClient;
let otherIdp: ApiClient;

/** A request as an identity provider sends it: SCIM's content type, JSON it parses itself. */
async function scim(client: ApiClient, method: string, path: string, body?: unknown): Promise<ApiResponse> {
  const response = await client.request(method, `/scim/v2${path}`, undefined, body === undefined ? {} : { rawBody: JSON.stringify(body), headers: { 'content-type': scimJson } });
  if (response.status !== 204 && response.status !== 401 && response.status !== 403) expect(response.contentType, `${method} ${path}: ${response.text}`).toMatch(/^application\/scim\+json/);
  return response.status === 204 ? response : { ...response, body: JSON.parse(response.text) };
}

beforeAll(async () => {
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'Provisioned Co', adminEmail: 'admin@provisioned.test' });
  other = await createTenant(server, { name: 'Elsewhere Co', adminEmail: 'admin@elsewhere.test' });
  // A provider's key holds what the roles it gives hold: a key grants no role beyond its scopes.
  idp = (await createApiKey(tenant.client, 'Entra ID', apiKeyScopes)).client;
  otherIdp = (await createApiKey(other.client, 'Okta', ['people:provision'])).client;
});

afterAll(async () => {
  await server?.close();
});

describe('SCIM 2.0', () => {
  let userId: string;
  let groupId: string;

  it('describes itself', async () => {
    const config = await scim(idp, 'GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true }, bulk: { supported: false } });
    const types = await scim(idp, 'GET', '/ResourceTypes');
    expect(types.body.Resources.map((type: { id: string }) => type.id)).toEqual(['User', 'Group']);
  });

  it('finds nobody by an unknown userName, then creates the person as invited', async () => {
    const lookup = await scim(idp, 'GET', `/Users?filter=${encodeURIComponent('userName eq "Mia.Holm@provisioned.test"')}`);
    expect(lookup.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] });
    const created = await scim(idp, 'POST', '/Users', {
      schemas: [userSchema],
      userName: 'Mia.Holm@provisioned.test',
      name: { givenName: 'Mia', familyName: 'Holm' },
      emails: [{ value: 'Mia.Holm@provisioned.test', type: 'work', primary: true }],
      active: true,
      roles: [{ value: 'bookkeeper' }],
    });
    expect(created.status, created.text).toBe(201);
    userId = created.body.id;
    expect(created.headers.location).toBe(`${server.url}/scim/v2/Users/${userId}`);
    expect(created.body).toMatchObject({ schemas: [userSchema], userName: 'mia.holm@provisioned.test', displayName: 'Mia Holm', active: true, roles: [{ value: 'bookkeeper' }], groups: [] });
    const person = await tenant.client.get(`/api/v1/people/${userId}`);
    expect(person.body).toMatchObject({ email: 'mia.holm@provisioned.test', name: 'Mia Holm', roles: ['bookkeeper'], status: 'invited' });
    const audit = (await tenant.client.get(`/api/v1/audit-events?subjectId=${userId}`)).body.items as { action: string; actor: { type: string; name: string } }[];
    expect(audit).toEqual([expect.objectContaining({ action: 'person.invited', actor: expect.objectContaining({ type: 'api_key', name: 'API key Entra ID' }) })]);
    const found = await scim(idp, 'GET', `/Users?filter=${encodeURIComponent('userName eq "mia.holm@provisioned.test"')}`);
    expect(found.body).toMatchObject({ totalResults: 1, startIndex: 1, Resources: [{ id: userId }] });
  });

  it('answers a second person with the same userName as a uniqueness conflict', async () => {
    const again = await scim(idp, 'POST', '/Users', { schemas: [userSchema], userName: 'mia.holm@provisioned.test', displayName: 'Mia Again' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ schemas: [errorSchema], status: '409', scimType: 'uniqueness' });
  });

  it('puts people in a team as a Group, and takes them out again', async () => {
    const created = await scim(idp, 'POST', '/Groups', { schemas: [groupSchema], displayName: 'Finance', members: [{ value: userId }] });
    expect(created.status, created.text).toBe(201);
    groupId = created.body.id;
    expect(created.body).toMatchObject({ displayName: 'Finance', members: [{ value: userId, display: 'Mia Holm' }] });
    expect((await scim(idp, 'GET', `/Users/${userId}`)).body.groups).toEqual([expect.objectContaining({ value: groupId, display: 'Finance' })]);
    expect((await tenant.client.get(`/api/v1/people/${userId}`)).body.teamId).toBe(groupId);
    const removed = await scim(idp, 'PATCH', `/Groups/${groupId}`, { schemas: [patchSchema], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.members).toEqual([]);
    expect((await tenant.client.get(`/api/v1/people/${userId}`)).body.teamId).toBeNull();
    const added = await scim(idp, 'PATCH', `/Groups/${groupId}`, { schemas: [patchSchema], Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] });
    expect(added.body.members.map((member: { value: string }) => member.value)).toEqual([userId]);
  });

  it('changes roles and names by PATCH, and refuses what it cannot change', async () => {
    const changed = await scim(idp, 'PATCH', `/Users/${userId}`, { schemas: [patchSchema], Operations: [{ op: 'add', path: 'roles', value: [{ value: 'reviewer' }] }, { op: 'replace', value: { displayName: 'Mia H. Holm' } }] });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ displayName: 'Mia H. Holm', roles: [{ value: 'bookkeeper' }, { value: 'reviewer' }] });
    const email = await scim(idp, 'PATCH', `/Users/${userId}`, { schemas: [patchSchema], Operations: [{ op: 'replace', path: 'userName', value: 'someone.else@provisioned.test' }] });
    expect(email.status).toBe(400);
    expect(email.body).toMatchObject({ schemas: [errorSchema], status: '400', scimType: 'mutability' });
    const filter = await scim(idp, 'GET', `/Users?filter=${encodeURIComponent('userName co "mia"')}`);
    expect(filter.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    const broken = await idp.request('POST', '/scim/v2/Users', undefined, { rawBody: '{"schemas": [', headers: { 'content-type': scimJson } });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text)).toMatchObject({ scimType: 'invalidSyntax' });
    expect((await tenant.client.get(`/api/v1/people/${userId}`)).body.email).toBe('mia.holm@provisioned.test');
  });

  it('deactivates a person when the provider says active is False, and lists them inactive', async () => {
    const deactivated = await scim(idp, 'PATCH', `/Users/${userId}`, { schemas: [patchSchema], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(deactivated.status, deactivated.text).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect((await tenant.client.get(`/api/v1/people/${userId}`)).body.status).toBe('deactivated');
    const again = await scim(idp, 'PATCH', `/Users/${userId}`, { schemas: [patchSchema], Operations: [{ op: 'replace', path: 'active', value: true }] });
    expect(again.body).toMatchObject({ status: '400', scimType: 'mutability' });
    expect((await scim(idp, 'GET', `/Groups/${groupId}`)).body.members).toEqual([]);
  });

  it('keeps the last active admin, as the app does', async () => {
    const admins = await scim(idp, 'GET', `/Users?filter=${encodeURIComponent('userName eq "admin@provisioned.test"')}`);
    const adminId = admins.body.Resources[0].id as string;
    const removed = await scim(idp, 'DELETE', `/Users/${adminId}`);
    expect(removed.status).toBe(409);
    expect(removed.body).toMatchObject({ status: '409', code: 'last_admin', scimType: 'mutability' });
    expect((await tenant.client.get(`/api/v1/people/${adminId}`)).body.status).toBe('active');
  });

  it('shows another company\'s provider nothing of this company, and changes nothing of it', async () => {
    expect((await scim(otherIdp, 'GET', `/Users/${userId}`)).status).toBe(404);
    expect((await scim(otherIdp, 'GET', `/Groups/${groupId}`)).status).toBe(404);
    const list = await scim(otherIdp, 'GET', '/Users');
    expect(list.body.Resources.map((user: { userName: string }) => user.userName)).toEqual(['admin@elsewhere.test']);
    expect((await scim(otherIdp, 'GET', '/Groups')).body.totalResults).toBe(0);
    expect((await scim(otherIdp, 'PATCH', `/Users/${tenant.admin.id}`, { schemas: [patchSchema], Operations: [{ op: 'replace', path: 'displayName', value: 'Taken over' }] })).status).toBe(404);
    const own = await scim(otherIdp, 'POST', '/Groups', { schemas: [groupSchema], displayName: 'Raiders', members: [{ value: tenant.admin.id }] });
    expect(own.status).toBe(400);
    expect((await tenant.client.get(`/api/v1/people/${tenant.admin.id}`)).body).toMatchObject({ name: tenant.admin.name, teamId: null });
  });

  it('gives no role beyond the key\'s own scopes', async () => {
    const narrow = (await createApiKey(tenant.client, 'Narrow IdP', ['people:provision', 'company:read'])).client;
    const employee = await scim(narrow, 'POST', '/Users', { schemas: [userSchema], userName: 'staff@provisioned.test', displayName: 'Staff' });
    expect(employee.status, employee.text).toBe(201);
    const admin = await scim(narrow, 'POST', '/Users', { schemas: [userSchema], userName: 'boss@provisioned.test', displayName: 'Boss', roles: [{ value: 'admin' }] });
    expect(admin.status).toBe(403);
    const promoted = await scim(narrow, 'PATCH', `/Users/${employee.body.id}`, { schemas: [patchSchema], Operations: [{ op: 'add', path: 'roles', value: [{ value: 'admin' }] }] });
    expect(promoted.status).toBe(403);
    expect((await tenant.client.get(`/api/v1/people/${employee.body.id}`)).body.roles).toEqual(['employee']);
  });

  it('is for keys with people:provision only', async () => {
    const peopleWriter = (await createApiKey(tenant.client, 'HR sync', ['people:read', 'people:write'])).client;
    expect((await peopleWriter.get('/scim/v2/Users')).status).toBe(403);
    const employee = await addPerson(tenant.client, { email: 'emp@provisioned.test', name: 'Emp', roles: ['employee'] });
    expect((await employee.client.get('/scim/v2/Users')).status).toBe(403);
    expect((await tenant.client.get('/scim/v2/ServiceProviderConfig')).status).toBe(200);
  });
});
