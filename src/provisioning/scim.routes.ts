// SCIM 2.0 (RFC 7643 and 7644) at /scim/v2, for an identity provider holding an API key with
// people:provision: Users are the company's people, Groups its teams. Bodies and answers are
// application/scim+json; errors are SCIM's own error resource (RFC 7644, 3.12) with Outlay's
// stable `code` beside it, since SCIM clients read that form. The routes are left out of the
// OpenAPI document: SCIM describes itself at /scim/v2/ServiceProviderConfig, /ResourceTypes and
// /Schemas.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { toProblem } from '../http/problem.js';
import type { EndAccess } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { parseScimFilter, type ScimCondition } from './scim-filter.js';
import { groupChangeOf, userChangeOf } from './scim-patch.js';
import { groupResource, listResponse, nameOf, rolesOf, booleanOf, ScimInputError, scimContentType, scimGroupSchema, scimUserSchema, userResource } from './scim-resources.js';
import * as scim from './scim.service.js';

const scimErrorSchema = 'urn:ietf:params:scim:api:messages:2.0:Error';
/** A SCIM body: a User or Group, or a PATCH of up to 100 operations. */
const scimBodyBytesMax = 256 * 1024;
const access = { access: 'people:provision' as const };
const hidden = { hide: true };

export interface ScimRouteDeps {
  endAccess: EndAccess;
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.status(status).header('content-type', scimContentType).send(JSON.stringify(body));
}

function sendScimError(reply: FastifyReply, request: FastifyRequest, error: unknown): FastifyReply {
  if (error instanceof ScimInputError) {
    return send(reply, 400, { schemas: [scimErrorSchema], status: '400', scimType: error.scimType, detail: error.message, code: 'validation_failed' });
  }
  const problem = toProblem(error, request);
  if (problem.status >= 500) request.log.error({ err: error }, 'SCIM request failed');
  const scimType = problem.code === 'last_admin' ? 'mutability' : problem.status === 409 ? 'uniqueness' : problem.status === 400 ? 'invalidValue' : undefined;
  return send(reply, problem.status, { schemas: [scimErrorSchema], status: String(problem.status), ...(scimType ? { scimType } : {}), detail: problem.detail, code: problem.code });
}

function pageOf(query: Record<string, unknown>): { startIndex: number; count: number } {
  const number = (value: unknown, fallback: number) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : fallback);
  return { startIndex: Math.max(1, number(query.startIndex, 1)), count: Math.min(scim.scimPageSizeMax, number(query.count, scim.scimPageSizeMax)) };
}

function conditionsOf(query: Record<string, unknown>): ScimCondition[] {
  if (query.filter === undefined) return [];
  if (typeof query.filter !== 'string') throw new ScimInputError('one filter is given', 'invalidFilter', 'filter');
  const parsed = parseScimFilter(query.filter);
  if (!parsed.ok) throw new ScimInputError(parsed.reason, 'invalidFilter', 'filter');
  return parsed.conditions;
}

function objectBody(request: FastifyRequest, schema: string): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ScimInputError('the body is a JSON object', 'invalidSyntax');
  const schemas = (body as { schemas?: unknown }).schemas;
  if (!Array.isArray(schemas) || !schemas.includes(schema)) throw new ScimInputError(`the body names the schema ${schema}`, 'invalidSyntax', 'schemas');
  return body as Record<string, unknown>;
}

function userInputOf(body: Record<string, unknown>) {
  const email = typeof body.userName === 'string' ? body.userName.trim() : '';
  if (email === '') throw new ScimInputError('userName, the person\'s e-mail, is required', 'invalidValue', 'userName');
  const name = nameOf(body) ?? email;
  return { email, name, roles: rolesOf(body.roles), active: body.active === undefined ? true : booleanOf(body.active, 'active') };
}

export function scimRoutes(context: AppContext, deps: ScimRouteDeps): void {
  context.app.register(async (scope) => registerScim(scope, context, deps), { prefix: '/scim/v2' });
}

async function registerScim(app: FastifyInstance, { database: { db }, config }: AppContext, deps: ScimRouteDeps): Promise<void> {
  const provisioning: scim.ProvisioningDeps = { db, invitations: config, endAccess: deps.endAccess };
  const base = () => `${config.publicUrl}/scim/v2`;
  app.addContentTypeParser(scimContentType, { parseAs: 'string', bodyLimit: scimBodyBytesMax }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new ScimInputError('the body is not JSON', 'invalidSyntax'), undefined);
    }
  });
  app.setErrorHandler((error, request, reply) => sendScimError(reply, request, error));
  discoveryRoutes(app);
  userRoutes(app, provisioning, base);
  groupRoutes(app, provisioning, base);
}

const company = (request: FastifyRequest) => principalOf(request).companyId;
const actor = (request: FastifyRequest) => actorOf(principalOf(request));
const provisioner = (request: FastifyRequest): scim.Provisioner => ({ actor: actorOf(principalOf(request)), grantor: principalOf(request).permissions });
const idOf = (request: FastifyRequest) => {
  const { id } = request.params as { id: string };
  if (id.length > 40) throw new DomainError('not_found', 'no such resource');
  return id;
};

function discoveryRoutes(app: FastifyInstance): void {
  app.get('/ServiceProviderConfig', { config: access, schema: hidden }, async (_request, reply) =>
    send(reply, 200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: scim.scimPageSizeMax },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken', name: 'API key', description: 'Authorization: Bearer <an Outlay API key with people:provision>', primary: true }],
    }),
  );
  app.get('/ResourceTypes', { config: access, schema: hidden }, async (_request, reply) =>
    send(reply, 200, listResponse([
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'User', name: 'User', endpoint: '/Users', schema: scimUserSchema },
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'Group', name: 'Group', endpoint: '/Groups', schema: scimGroupSchema },
    ], 2, 1)),
  );
  app.get('/Schemas', { config: access, schema: hidden }, async (_request, reply) =>
    send(reply, 200, listResponse([
      { id: scimUserSchema, name: 'User', attributes: ['userName', 'name', 'displayName', 'emails', 'active', 'roles', 'groups'].map((name) => ({ name, mutability: name === 'userName' || name === 'emails' ? 'immutable' : name === 'groups' ? 'readOnly' : 'readWrite' })) },
      { id: scimGroupSchema, name: 'Group', attributes: [{ name: 'displayName', mutability: 'immutable' }, { name: 'members', mutability: 'readWrite' }] },
    ], 2, 1)),
  );
}

function userRoutes(app: FastifyInstance, provisioning: scim.ProvisioningDeps, base: () => string): void {
  const { db } = provisioning;
  app.get('/Users', { config: access, schema: hidden }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const page = pageOf(query);
    const found = await scim.listUsers(db, company(request), conditionsOf(query), page);
    return send(reply, 200, listResponse(found.people.map((person) => userResource(person, base())), found.total, page.startIndex));
  });
  app.get('/Users/:id', { config: access, schema: hidden }, async (request, reply) => send(reply, 200, userResource(await scim.getUser(db, company(request), idOf(request)), base())));
  app.post('/Users', { config: access, schema: hidden, bodyLimit: scimBodyBytesMax }, async (request, reply) => {
    const created = await scim.createUser(provisioning, company(request), userInputOf(objectBody(request, scimUserSchema)), provisioner(request), request.now);
    return send(reply.header('location', `${base()}/Users/${created.id}`), 201, userResource(created, base()));
  });
  app.put('/Users/:id', { config: access, schema: hidden, bodyLimit: scimBodyBytesMax }, async (request, reply) => {
    const id = idOf(request);
    const input = userInputOf(objectBody(request, scimUserSchema));
    const before = await scim.userBefore(db, company(request), id);
    if (input.email.toLowerCase() !== before.email) throw new ScimInputError('the e-mail (userName) of a person is their login and cannot be changed here', 'mutability', 'userName');
    return send(reply, 200, userResource(await scim.changeUser(provisioning, company(request), id, { name: input.name, roles: input.roles, active: input.active }, provisioner(request), request.now), base()));
  });
  app.patch('/Users/:id', { config: access, schema: hidden, bodyLimit: scimBodyBytesMax }, async (request, reply) => {
    const id = idOf(request);
    const change = userChangeOf(request.body, await scim.userBefore(db, company(request), id));
    return send(reply, 200, userResource(await scim.changeUser(provisioning, company(request), id, change, provisioner(request), request.now), base()));
  });
  // Outlay keeps a person's history: deleting deactivates them.
  app.delete('/Users/:id', { config: access, schema: hidden }, async (request, reply) => {
    await scim.changeUser(provisioning, company(request), idOf(request), { active: false }, provisioner(request), request.now);
    return reply.status(204).send();
  });
}

function groupRoutes(app: FastifyInstance, provisioning: scim.ProvisioningDeps, base: () => string): void {
  const { db } = provisioning;
  app.get('/Groups', { config: access, schema: hidden }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const page = pageOf(query);
    const found = await scim.listGroups(db, company(request), conditionsOf(query), page);
    return send(reply, 200, listResponse(found.teams.map((team) => groupResource(team.team, team.members, base())), found.total, page.startIndex));
  });
  app.get('/Groups/:id', { config: access, schema: hidden }, async (request, reply) => {
    const found = await scim.getGroup(db, company(request), idOf(request));
    return send(reply, 200, groupResource(found.team, found.members, base()));
  });
  app.post('/Groups', { config: access, schema: hidden, bodyLimit: scimBodyBytesMax }, async (request, reply) => {
    const body = objectBody(request, scimGroupSchema);
    if (typeof body.displayName !== 'string' || body.displayName.trim() === '') throw new ScimInputError('displayName is required', 'invalidValue', 'displayName');
    const memberIds = Array.isArray(body.members) ? body.members.map((member: unknown) => String((member as { value?: unknown } | null)?.value ?? '')) : [];
    const created = await scim.createGroup(provisioning, company(request), { name: body.displayName, memberIds }, actor(request));
    return send(reply.header('location', `${base()}/Groups/${created.team.id}`), 201, groupResource(created.team, created.members, base()));
  });
  app.patch('/Groups/:id', { config: access, schema: hidden, bodyLimit: scimBodyBytesMax }, async (request, reply) => {
    const id = idOf(request);
    const change = groupChangeOf(request.body);
    const current = await scim.getGroup(db, company(request), id);
    if (change.displayName !== undefined && change.displayName !== current.team.name) throw new ScimInputError('a team keeps its name in Outlay', 'mutability', 'displayName');
    const changed = await scim.changeMembers(db, company(request), id, change.members, actor(request));
    return send(reply, 200, groupResource(changed.team, changed.members, base()));
  });
  app.delete('/Groups/:id', { config: access, schema: hidden }, async () => {
    throw new ScimInputError('teams are not deleted in Outlay; remove their members instead', 'mutability');
  });
}
