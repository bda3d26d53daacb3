// The processor-facing endpoints: signed authorization requests and lifecycle messages.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { AppContext } from '../http/context.js';
import { problemResponses } from '../http/schemas.js';
import { measureAuthorization } from '../observability/metrics.js';
import { DomainError } from '../shared/errors.js';
import { authorizeInTime, standInOutcome } from './authorization.service.js';
import { findCardsByLast4 } from './card-lookup.service.js';
import { applyNetworkEvent, networkEventTypes } from './network-events.service.js';
import { DecisionSchema, merchantOf, MerchantSchema, presentAuthorization, presentNetworkEvent } from './processor.presenters.js';
import { signatureHeader, verifySignature } from './processor-signature.js';
import { channels } from './spend-controls.js';

/** Processor messages are small; anything larger is not one. */
export const processorBodyBytesMax = 16 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

const AuthorizationBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100, description: 'The network\'s transaction id; a repeat returns the first decision, the same id with another card, amount or currency is refused (409)' }),
    cardId: Type.String({ maxLength: 40 }),
    kind: Type.Optional(Type.Union([Type.Literal('purchase'), Type.Literal('atm_withdrawal')])),
    amount: Type.String({ maxLength: 32, description: 'Merchant amount, decimal string' }),
    currency: Type.String({ maxLength: 3, description: 'Merchant currency, ISO 4217' }),
    merchant: MerchantSchema,
    channel: Type.Union(channels.map((channel) => Type.Literal(channel))),
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const EventBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100, description: 'The network\'s message id; a repeat returns the first outcome, the same id with another type, card, transaction, amount or currency is refused (409)' }),
    type: Type.Union(networkEventTypes.map((type) => Type.Literal(type))),
    cardId: Type.String({ maxLength: 40 }),
    transactionId: Type.Optional(Type.String({ maxLength: 100, description: 'Network id of the authorization (or refund) this is about' })),
    amount: Type.Optional(Type.String({ maxLength: 32 })),
    currency: Type.Optional(Type.String({ maxLength: 3 })),
    merchant: Type.Optional(MerchantSchema),
    channel: Type.Optional(Type.Union(channels.map((channel) => Type.Literal(channel)))),
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

function occurredAt(value: string | undefined, now: Date): Date {
  return value ? new Date(value) : now;
}

const withTypeBox = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();
type ProcessorApp = ReturnType<typeof withTypeBox>;

const tags = ['Card processor'];
const security = [{ processorSignature: [] }];

/** Only requests the processor signed get through; the signature covers the exact bytes sent
 * (method, path and query as received, and the body), so the body is kept as received. */
function acceptSignedJson(scope: FastifyInstance, config: Config): void {
  scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: processorBodyBytesMax }, (request: FastifyRequest, body, done) => {
    request.rawBody = body as string;
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new DomainError('validation_failed', 'the request body is not valid JSON'), undefined);
    }
  });
  scope.addHook('preValidation', async (request) => {
    const header = request.headers[signatureHeader];
    const secrets = config.processorSecretPrevious ? [config.processorSecret, config.processorSecretPrevious] : [config.processorSecret];
    const signed = { method: request.method, target: request.url, body: request.rawBody ?? '' };
    const check = verifySignature(secrets, signed, typeof header === 'string' ? header : undefined, Math.floor(request.now.getTime() / 1000), config.processorToleranceSeconds);
    if (!check.ok) throw new DomainError('signature_invalid', check.reason);
  });
}

function authorizationRoutes(app: ProcessorApp, db: Db, deadlineMs: number): void {
  app.post('/api/v1/processor/authorizations', {
    config: { access: 'public', idempotent: false },
    schema: {
      operationId: 'decideAuthorization',
      tags,
      security,
      summary: 'Decide a card authorization (signed by the processor); approving places a hold on the wallet',
      description:
        'Answered within the processor deadline (OUTLAY_PROCESSOR_DEADLINE_MS, 5 s by default). When the decision cannot be made in time ' +
        'the answer is the stand-in: a decline with `declineReason` "issuer_unavailable" (ISO 8583 response code 91) and no transaction, ' +
        'and nothing is held: an approval that would commit later rolls back. A repeat of the same id is decided afresh. ' +
        'A repeat of a decided id gets the first decision; the same id with another card, amount or currency is refused with 409 `conflict` (field `id`). ' +
        'Signed with v2 (`t=<unix seconds>,v2=<hex HMAC-SHA256 of "<t>.POST <path>\\n<body>">`) or v1 (`v1=<hex HMAC-SHA256 of "<t>.<body>">`).',
      body: AuthorizationBody,
      response: { 200: Type.Ref('CardDecision'), ...problemResponses },
    },
  }, async (request) => {
    const body: Static<typeof AuthorizationBody> = request.body;
    const outcome = await measureAuthorization('http', () =>
      authorizeInTime(db, {
        networkId: body.id,
        cardId: body.cardId,
        kind: body.kind,
        amount: body.amount,
        currency: body.currency,
        merchant: merchantOf(body.merchant),
        channel: body.channel,
        occurredAt: occurredAt(body.occurredAt, request.now),
      }, request.now, deadlineMs, (error) => request.log.error({ err: error, networkId: body.id }, 'a late authorization failed after its stand-in answer')),
    );
    if (outcome === standInOutcome) request.log.error({ networkId: body.id, cardId: body.cardId, deadlineMs }, 'authorization not decided within the processor deadline; answered with the stand-in decline');
    return presentAuthorization(outcome);
  });
}

function cardLookupRoutes(app: ProcessorApp, db: Db): void {
  app.get('/api/v1/processor/cards', {
    config: { access: 'public' },
    schema: {
      operationId: 'findProcessorCards',
      tags,
      security,
      summary: 'Find cards by their last four digits (for the network simulator)',
      description: 'Signed with v2 only: `Outlay-Signature: t=<unix seconds>,v2=<hex HMAC-SHA256 of "<t>.GET <path?query>\\n">`, so a signature answers the query it was made for and no other.',
      querystring: Type.Object({ last4: Type.String({ pattern: '^[0-9]{4}$' }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), status: Type.String() })) }), ...problemResponses },
    },
  }, async (request) => ({ items: await findCardsByLast4(db, request.query.last4) }));
}

function networkEventRoutes(app: ProcessorApp, db: Db): void {
  app.post('/api/v1/processor/events', {
    config: { access: 'public', idempotent: false },
    schema: {
      operationId: 'recordNetworkEvent',
      tags,
      security,
      summary: 'A lifecycle message: clearing, incremental authorization, reversal, expiry, force post, refund, refund reversal',
      body: EventBody,
      response: { 200: Type.Ref('CardDecision'), ...problemResponses },
    },
  }, async (request) => {
    const body: Static<typeof EventBody> = request.body;
    const outcome = await applyNetworkEvent(db, {
      id: body.id,
      type: body.type,
      cardId: body.cardId,
      transactionNetworkId: body.transactionId,
      amount: body.amount,
      currency: body.currency,
      merchant: body.merchant ? merchantOf(body.merchant) : undefined,
      channel: body.channel,
      occurredAt: occurredAt(body.occurredAt, request.now),
    }, request.now);
    return presentNetworkEvent(outcome);
  });
}

export function processorRoutes(context: AppContext): void {
  const { database: { db }, config } = context;
  // At the root, not in the scope below: the simulator's routes answer with it too.
  context.app.addSchema(DecisionSchema);
  context.app.register(async (scope: FastifyInstance) => {
    acceptSignedJson(scope, config);
    const app = withTypeBox(scope);
    authorizationRoutes(app, db, config.limits.processorDeadlineMs);
    cardLookupRoutes(app, db);
    networkEventRoutes(app, db);
  });
}
