// HTTP for webhooks: an admin's endpoints, the events they may subscribe to, the delivery log,
// replay, secret rotation, and switching an endpoint off and on.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { fieldKeysOf } from '../config/config.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import * as webhooks from './webhooks.service.js';

const DateTime = Type.String({ format: 'date-time' });
const DateTimeOrNull = Type.Union([DateTime, Type.Null()]);
const EventTypeSchema = Type.Union(webhooks.webhookEventTypes.map((type) => Type.Literal(type)), { $id: 'WebhookEventType' });

const WebhookEndpointSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    description: Type.String(),
    eventTypes: Type.Array(Type.Ref('WebhookEventType')),
    status: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
    disabledReason: Type.Union([Type.Literal('failing'), Type.Literal('by_hand'), Type.Null()], { description: 'failing: disabled by Outlay after a day of failed deliveries; by_hand: by an admin' }),
    failingSince: Type.Union([DateTime, Type.Null()], { description: 'Since when every delivery failed; null after a success' }),
    previousSecretUntil: Type.Union([DateTime, Type.Null()], { description: 'After a rotation: until when the previous secret still signs beside the new one' }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'WebhookEndpoint' },
);

const WebhookDeliverySchema = Type.Object(
  {
    id: Type.String(),
    endpointId: Type.String(),
    eventId: Type.String({ description: 'The webhook-id header: the same for every attempt and replay' }),
    eventType: Type.Ref('WebhookEventType'),
    payload: Type.Object({}, { additionalProperties: true, description: 'The body sent: type, timestamp and data' }),
    status: Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('delivered'), Type.Literal('failed')]),
    attempts: Type.Integer({ description: 'Attempts since it was written or last replayed' }),
    nextAttemptAt: Type.Union([DateTime, Type.Null()], { description: 'When a queued delivery is tried next' }),
    lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    createdAt: DateTime,
    deliveredAt: DateTimeOrNull,
    attemptLog: Type.Array(
      Type.Object({
        id: Type.String(),
        attemptedAt: DateTime,
        statusCode: Type.Union([Type.Integer(), Type.Null()]),
        responseBody: Type.Union([Type.String(), Type.Null()], { description: 'The start of the answer (at most 2,000 characters)' }),
        error: Type.Union([Type.String(), Type.Null()]),
        durationMs: Type.Integer(),
      }),
      { description: 'The latest attempts, newest first' },
    ),
  },
  { $id: 'WebhookDelivery' },
);

function presentEndpoint(row: webhooks.WebhookEndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types as webhooks.WebhookEventType[],
    status: row.status,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since ? iso(row.failing_since) : null,
    previousSecretUntil: row.previous_secret_until ? iso(row.previous_secret_until) : null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function presentDelivery(row: webhooks.WebhookDeliveryRow & { attemptLog?: readonly webhooks.WebhookAttemptRow[] }) {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type as webhooks.WebhookEventType,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'queued' ? iso(row.next_attempt_at) : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: iso(row.created_at),
    deliveredAt: row.delivered_at ? iso(row.delivered_at) : null,
    attemptLog: (row.attemptLog ?? []).map((attempt) => ({
      id: attempt.id,
      attemptedAt: iso(attempt.attempted_at),
      statusCode: attempt.status_code,
      responseBody: attempt.response_body,
      error: attempt.error,
      durationMs: attempt.duration_ms,
    })),
  };
}

const EndpointBody = {
  url: Type.String({ maxLength: 2000, description: 'Where deliveries are posted: https, and a public address, in production' }),
  description: Type.String({ maxLength: 200 }),
  eventTypes: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: webhooks.webhookEventTypes.length, description: 'Event types, from GET /api/v1/webhooks/event-types' }),
};

export function webhooksRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(EventTypeSchema);
  app.addSchema(WebhookEndpointSchema);
  app.addSchema(WebhookDeliverySchema);
  const settings = { keys: fieldKeysOf(config), production: config.production };
  const tags = ['Webhooks'];
  const access = 'webhooks:manage' as const;

  app.get('/api/v1/webhooks/event-types', {
    config: { access },
    schema: {
      operationId: 'listWebhookEventTypes',
      tags,
      summary: 'Every event an endpoint may subscribe to, with what it tells of',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ type: Type.Ref('WebhookEventType'), description: Type.String() })) }), ...problemResponses },
    },
  }, async () => ({ items: webhooks.webhookEventTypes.map((type) => ({ type, description: webhooks.webhookEventDescriptions[type] })) }));

  app.get('/api/v1/webhooks/endpoints', {
    config: { access },
    schema: { operationId: 'listWebhookEndpoints', tags, summary: 'The company\'s webhook endpoints (never their secrets)', response: { 200: Type.Object({ items: Type.Array(Type.Ref('WebhookEndpoint')) }), ...problemResponses } },
  }, async (request) => ({ items: (await webhooks.listEndpoints(db, principalOf(request).companyId)).map(presentEndpoint) }));

  app.post('/api/v1/webhooks/endpoints', {
    // A replay says the endpoint exists but not its secret (POST .../reveal-secret shows it).
    config: { access, idempotentReplay: (body) => ({ ...body, secret: null }) },
    schema: {
      operationId: 'createWebhookEndpoint',
      tags,
      summary: 'Add a webhook endpoint; its signing secret is in the answer (and at POST .../reveal-secret)',
      body: Type.Object({ url: EndpointBody.url, description: Type.Optional(EndpointBody.description), eventTypes: EndpointBody.eventTypes }, { additionalProperties: false }),
      response: { 201: Type.Object({ endpoint: Type.Ref('WebhookEndpoint'), secret: Type.Union([Type.String(), Type.Null()]) }), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const created = await webhooks.createEndpoint(db, settings, principal.companyId, request.body, actorOf(principal), request.now);
    return reply.status(201).header('cache-control', 'no-store').send({ endpoint: presentEndpoint(created.endpoint), secret: created.secret });
  });

  app.get('/api/v1/webhooks/endpoints/:id', {
    config: { access },
    schema: { operationId: 'getWebhookEndpoint', tags, summary: 'A webhook endpoint', params: IdParams, response: { 200: Type.Ref('WebhookEndpoint'), ...problemResponses } },
  }, async (request) => presentEndpoint(await webhooks.getEndpoint(db, principalOf(request).companyId, request.params.id)));

  app.patch('/api/v1/webhooks/endpoints/:id', {
    config: { access },
    schema: {
      operationId: 'updateWebhookEndpoint',
      tags,
      summary: 'Change an endpoint\'s URL, description or events',
      params: IdParams,
      body: Type.Object({ url: Type.Optional(EndpointBody.url), description: Type.Optional(EndpointBody.description), eventTypes: Type.Optional(EndpointBody.eventTypes) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: Type.Ref('WebhookEndpoint'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return presentEndpoint(await webhooks.updateEndpoint(db, settings, principal.companyId, request.params.id, request.body, actorOf(principal), request.now));
  });

  secretAndDeliveryRoutes(app, db, settings);
}

/** Switching an endpoint off and on, its secret, and its delivery log with replay. */
function secretAndDeliveryRoutes(base: AppContext['app'], db: AppContext['database']['db'], settings: webhooks.WebhookSettings): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { keys } = settings;
  const tags = ['Webhooks'];
  const access = 'webhooks:manage' as const;
  for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post(`/api/v1/webhooks/endpoints/:id/${action}`, {
      config: { access },
      schema: {
        operationId: enabled ? 'enableWebhookEndpoint' : 'disableWebhookEndpoint',
        tags,
        summary: enabled ? 'Resume deliveries to an endpoint (those waiting go out as they fall due)' : 'Stop deliveries to an endpoint; events are not written for it while it is disabled',
        params: IdParams,
        response: { 200: Type.Ref('WebhookEndpoint'), ...problemResponses },
      },
    }, async (request) => {
      const principal = principalOf(request);
      return presentEndpoint(await webhooks.setEndpointEnabled(db, principal.companyId, request.params.id, enabled, actorOf(principal), request.now));
    });
  }

  app.post('/api/v1/webhooks/endpoints/:id/rotate-secret', {
    config: { access, idempotentReplay: (body) => ({ ...body, secret: null }) },
    schema: {
      operationId: 'rotateWebhookSecret',
      tags,
      summary: 'A new signing secret; the previous one keeps signing beside it for 24 hours',
      params: IdParams,
      response: { 200: Type.Object({ endpoint: Type.Ref('WebhookEndpoint'), secret: Type.Union([Type.String(), Type.Null()]) }), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const rotated = await webhooks.rotateSecret(db, keys, principal.companyId, request.params.id, actorOf(principal), request.now);
    return reply.header('cache-control', 'no-store').send({ endpoint: presentEndpoint(rotated.endpoint), secret: rotated.secret });
  });

  app.post('/api/v1/webhooks/endpoints/:id/reveal-secret', {
    config: { access },
    schema: {
      operationId: 'revealWebhookSecret',
      tags,
      summary: 'The endpoint\'s signing secret, and the previous one while it still signs (each reveal is audited)',
      params: IdParams,
      response: { 200: Type.Object({ secret: Type.String(), previousSecret: Type.Union([Type.String(), Type.Null()]), previousSecretUntil: DateTimeOrNull }), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const secrets = await webhooks.revealSecrets(db, keys, principal.companyId, request.params.id, actorOf(principal), request.now);
    return reply.header('cache-control', 'no-store').send({ ...secrets, previousSecretUntil: secrets.previousSecretUntil ? iso(secrets.previousSecretUntil) : null });
  });

  app.get('/api/v1/webhooks/endpoints/:id/deliveries', {
    config: { access },
    schema: { operationId: 'listWebhookDeliveries', tags, summary: 'The endpoint\'s delivery log, newest first, each with its latest attempts', params: IdParams, querystring: PageQuery, response: { 200: Page(Type.Ref('WebhookDelivery')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    const rows = await webhooks.listDeliveries(db, principalOf(request).companyId, request.params.id, { before: page.before, limit: page.limit + 1 });
    return toPage(rows, page, presentDelivery);
  });

  app.post('/api/v1/webhooks/deliveries/:id/replay', {
    config: { access },
    schema: { operationId: 'replayWebhookDelivery', tags, summary: 'Send a delivery again, the same message with the same webhook-id', params: IdParams, response: { 200: Type.Ref('WebhookDelivery'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    return presentDelivery(await webhooks.replayDelivery(db, principal.companyId, request.params.id, actorOf(principal), request.now));
  });
}
