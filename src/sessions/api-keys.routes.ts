// HTTP for API keys: integrators' credentials, limited to scopes, shown once.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { apiKeyScopes } from '../auth/permissions.js';
import { actorOf } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { scopeGroups } from './api-key-scopes.js';
import * as apiKeys from './api-keys.service.js';

const ScopeGroupsSchema = Type.Object(
  {
    groups: Type.Array(
      Type.Object({
        name: Type.String({ description: 'e.g. Cards, Expenses' }),
        scopes: Type.Array(Type.Object({ scope: Type.Ref('Permission'), description: Type.String() })),
      }),
    ),
  },
  { $id: 'ApiKeyScopes' },
);

const ApiKeySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scopes: Type.Array(Type.Ref('Permission')),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    suspendedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the key stopped working because the person who made it was deactivated' }),
  },
  { $id: 'ApiKey' },
);

const ApiKeyCreatedSchema = Type.Object(
  { apiKey: Type.Ref('ApiKey'), secret: Type.Union([Type.String(), Type.Null()], { description: 'Shown in this response only; null in a replay of the request' }) },
  { $id: 'ApiKeyCreated' },
);

function presentApiKey(row: apiKeys.ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: iso(row.created_at),
    lastUsedAt: row.last_used_at ? iso(row.last_used_at) : null,
    revokedAt: row.revoked_at ? iso(row.revoked_at) : null,
    suspendedAt: row.suspended_at ? iso(row.suspended_at) : null,
  };
}

export function apiKeysRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ApiKeySchema);
  app.addSchema(ApiKeyCreatedSchema);
  app.addSchema(ScopeGroupsSchema);
  const keyTags = ['API keys'];
  app.get('/api/v1/api-keys/scopes', {
    config: { access: 'api_keys:manage' },
    schema: { operationId: 'listApiKeyScopes', tags: keyTags, summary: 'Every scope an API key may hold, with what it allows, grouped', response: { 200: Type.Ref('ApiKeyScopes'), ...problemResponses } },
  }, async () => ({ groups: scopeGroups() }));

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
    return presentApiKey(await apiKeys.revokeApiKey(db, principal.companyId, request.params.id, actorOf(principal), request.now));
  });
}
