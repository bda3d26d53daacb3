// HTTP for sessions, invitation links and API keys.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { getCompany } from '../companies/companies.service.js';
import { presentCompany } from '../companies/companies.routes.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import { principalOf, sessionCookie } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import * as people from '../people/people.service.js';
import { presentPerson } from '../people/people.routes.js';
import { DomainError } from '../shared/errors.js';
import * as apiKeys from './api-keys.service.js';
import { apiKeyScopes, permissions, permissionsOfRoles } from './permissions.js';
import { actorOf } from './principal.js';
import * as sessions from './sessions.service.js';

const PermissionSchema = Type.Union(permissions.map((permission) => Type.Literal(permission)), { $id: 'Permission' });

const SessionSchema = Type.Object(
  {
    person: Type.Ref('Person'),
    company: Type.Ref('Company'),
    permissions: Type.Array(Type.Ref('Permission'), { description: 'What the person\'s roles let them do; the server checks every request again' }),
    csrfToken: Type.String(),
    features: Type.Object({ simulator: Type.Boolean({ description: 'Whether admins may play card purchases' }) }),
  },
  { $id: 'Session' },
);

const ApiKeySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scopes: Type.Array(Type.Ref('Permission')),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'ApiKey' },
);

const ApiKeyCreatedSchema = Type.Object(
  { apiKey: Type.Ref('ApiKey'), secret: Type.Union([Type.String(), Type.Null()], { description: 'Shown in this response only; null in a replay of the request' }) },
  { $id: 'ApiKeyCreated' },
);

const InvitationPreviewSchema = Type.Object(
  { email: Type.String(), name: Type.String(), companyName: Type.String(), expiresAt: Type.String({ format: 'date-time' }) },
  { $id: 'InvitationPreview', description: 'Who an invitation link is for, and to which company' },
);

function presentApiKey(row: apiKeys.ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: iso(row.created_at),
    lastUsedAt: row.last_used_at ? iso(row.last_used_at) : null,
    revokedAt: row.revoked_at ? iso(row.revoked_at) : null,
  };
}

const featuresOf = (config: Config) => ({ simulator: config.simulatorEnabled });
/** In the order of the permission list, so that the same roles always read the same. */
const permissionsOf = (person: people.UserRow) => {
  const granted = permissionsOfRoles(person.roles);
  return permissions.filter((permission) => granted.has(permission));
};

async function sendSession(db: Db, config: Config, reply: FastifyReply, started: sessions.StartedSession) {
  reply.setCookie(sessionCookie, started.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    expires: started.expiresAt,
  });
  const company = await getCompany(db, started.person.company_id);
  return reply.send({
    person: presentPerson(started.person),
    company: presentCompany(company),
    permissions: permissionsOf(started.person),
    csrfToken: started.csrfToken,
    features: featuresOf(config),
  });
}

export function authRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(PermissionSchema);
  app.addSchema(SessionSchema);
  app.addSchema(ApiKeySchema);
  app.addSchema(ApiKeyCreatedSchema);
  app.addSchema(InvitationPreviewSchema);

  app.post('/api/v1/session', {
    // Replaying a login response would hand out its session cookie: never stored.
    config: { access: 'public', idempotent: false },
    schema: {
      operationId: 'signIn',
      tags: ['Session'],
      summary: 'Sign in with e-mail and password; sets the session cookie',
      body: Type.Object({ email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('Session'), ...problemResponses },
    },
  }, async (request, reply) => {
    const started = await sessions.login(db, config, request.body.email, request.body.password);
    return sendSession(db, config, reply, started);
  });

  app.get('/api/v1/session', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getSession', tags: ['Session'], summary: 'The signed-in person, their company and the CSRF token', response: { 200: Type.Ref('Session'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'API keys have no session');
    const [person, company] = await Promise.all([
      people.getPerson(db, principal.companyId, principal.userId),
      getCompany(db, principal.companyId),
    ]);
    return {
      person: presentPerson(person),
      company: presentCompany(company),
      permissions: permissionsOf(person),
      csrfToken: sessions.csrfTokenFor(config.sessionKey, principal.sessionId),
      features: featuresOf(config),
    };
  });

  app.delete('/api/v1/session', {
    config: { access: 'signed-in' },
    schema: { operationId: 'signOut', tags: ['Session'], summary: 'Sign out', response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    if (principal.kind === 'user') await sessions.endSession(db, principal.companyId, principal.sessionId);
    return reply.clearCookie(sessionCookie, { path: '/' }).status(204).send(null);
  });

  const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

  app.get('/api/v1/invitations/:token', {
    config: { access: 'public' },
    schema: {
      operationId: 'getInvitation',
      tags: ['Session'],
      summary: 'What an invitation link is for',
      params: TokenParams,
      response: { 200: Type.Ref('InvitationPreview'), ...problemResponses },
    },
  }, async (request) => {
    const { invitation, person } = await people.describeInvitation(db, config.sessionKey, request.params.token);
    const company = await getCompany(db, person.company_id);
    return { email: person.email, name: person.name, companyName: company.name, expiresAt: iso(invitation.expires_at) };
  });

  app.post('/api/v1/invitations/:token/accept', {
    config: { access: 'public', idempotent: false },
    schema: {
      operationId: 'acceptInvitation',
      tags: ['Session'],
      summary: 'Accept an invitation by choosing a password; signs the person in',
      params: TokenParams,
      body: Type.Object({ password: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('Session'), ...problemResponses },
    },
  }, async (request, reply) => {
    const person = await people.acceptInvitation(db, config.sessionKey, request.params.token, request.body.password);
    return sendSession(db, config, reply, await sessions.startSession(db, config, person));
  });

  const keyTags = ['API keys'];
  app.get('/api/v1/api-keys', {
    config: { access: 'api_keys:manage' },
    schema: { operationId: 'listApiKeys', tags: keyTags, summary: 'List API keys (never their secrets)', querystring: PageQuery, response: { 200: Page(Type.Ref('ApiKey')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    return toPage(await apiKeys.listApiKeys(db, principalOf(request).companyId, page.before, page.limit + 1), page, presentApiKey);
  });

  app.post('/api/v1/api-keys', {
    // A replay says the key exists but not its secret, which is never stored in clear.
    config: { access: 'api_keys:manage', idempotentReplay: (body) => ({ ...body, secret: null }) },
    schema: {
      operationId: 'createApiKey',
      tags: keyTags,
      summary: 'Create an API key; its secret is in this response only (a replay of the request returns secret null)',
      body: Type.Object({
        name: Type.String({ maxLength: 100 }),
        scopes: Type.Array(Type.Union(apiKeyScopes.map((scope) => Type.Literal(scope))), { minItems: 1, maxItems: apiKeyScopes.length }),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('ApiKeyCreated'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const created = await apiKeys.createApiKey(db, config.sessionKey, principal.companyId, request.body, actorOf(principal));
    return reply.status(201).header('cache-control', 'no-store').send({ apiKey: presentApiKey(created.apiKey), secret: created.secret });
  });

  app.post('/api/v1/api-keys/:id/revoke', {
    config: { access: 'api_keys:manage' },
    schema: { operationId: 'revokeApiKey', tags: keyTags, summary: 'Revoke an API key at once', params: IdParams, response: { 200: Type.Ref('ApiKey'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    return presentApiKey(await apiKeys.revokeApiKey(db, principal.companyId, request.params.id, actorOf(principal)));
  });
}
