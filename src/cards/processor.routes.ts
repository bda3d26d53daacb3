// The processor-facing endpoints: signed authorization requests and lifecycle messages.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../http/context.js';
import { problemResponses } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { DomainError } from '../shared/errors.js';
import { authorizePurchase, type AuthorizationOutcome } from './authorization.service.js';
import type { CardTransactionRow } from './card-transactions.repository.js';
import { applyNetworkEvent, networkEventTypes } from './network-events.service.js';
import { findCardsByLast4 } from './processor.repository.js';
import { signatureHeader, verifySignature } from './processor-signature.js';
import { channels, periods } from './spend-controls.js';

/** Processor messages are small; anything larger is not one. */
export const processorBodyBytesMax = 16 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

export const MerchantSchema = Type.Object(
  {
    id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    mcc: Type.String({ pattern: '^[0-9]{4}$', description: 'ISO 18245 merchant category code' }),
    country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

const AuthorizationBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100, description: 'The network\'s transaction id; a repeat returns the first decision' }),
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
    id: Type.String({ minLength: 1, maxLength: 100, description: 'The network\'s message id; a repeat returns the first outcome' }),
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

export const DecisionSchema = Type.Object(
  {
    approved: Type.Boolean(),
    declineReason: Type.Union([Type.String(), Type.Null()]),
    declinePeriod: Type.Union([Type.String({ enum: [...periods] }), Type.Null()]),
    transactionId: Type.Union([Type.String(), Type.Null()]),
    state: Type.Union([Type.String({ enum: ['declined', 'pending', 'settled', 'reversed', 'expired', 'refund_reversed'] }), Type.Null()]),
    heldAmount: Type.Union([Type.Ref('Money'), Type.Null()]),
    settledAmount: Type.Union([Type.Ref('Money'), Type.Null()]),
  },
  { $id: 'CardDecision' },
);

export function presentDecision(approved: boolean, reason: string | null, period: string | null, row: CardTransactionRow | null) {
  return {
    approved,
    declineReason: reason,
    declinePeriod: period,
    transactionId: row?.id ?? null,
    state: row?.state ?? null,
    heldAmount: row && row.state === 'pending' ? toMoneyJson(row.wallet_amount, row.wallet_currency) : null,
    settledAmount: row?.settled_amount != null ? toMoneyJson(row.settled_amount, row.wallet_currency) : null,
  };
}

export const presentAuthorization = (outcome: AuthorizationOutcome) =>
  presentDecision(outcome.approved, outcome.declineReason, outcome.declinePeriod, outcome.transaction);

function occurredAt(value: string | undefined, now: Date): Date {
  return value ? new Date(value) : now;
}

export function processorRoutes(context: AppContext): void {
  const { database: { db }, config } = context;
  // At the root, not in the scope below: the simulator's routes answer with it too.
  context.app.addSchema(DecisionSchema);
  context.app.register(async (scope: FastifyInstance) => {
    // The signature covers the exact bytes sent, so the body is kept as received.
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
      const check = verifySignature(config.processorSecret, request.rawBody ?? '', typeof header === 'string' ? header : undefined, Math.floor(Date.now() / 1000), config.processorToleranceSeconds);
      if (!check.ok) throw new DomainError('signature_invalid', check.reason);
    });
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['Card processor'];
    const security = [{ processorSignature: [] }];

    app.post('/api/v1/processor/authorizations', {
      config: { access: 'public', idempotent: false },
      schema: {
        operationId: 'decideAuthorization',
        tags,
        security,
        summary: 'Decide a card authorization (signed by the processor); approving places a hold on the wallet',
        body: AuthorizationBody,
        response: { 200: Type.Ref('CardDecision'), ...problemResponses },
      },
    }, async (request) => {
      const body: Static<typeof AuthorizationBody> = request.body;
      const outcome = await authorizePurchase(db, {
        networkId: body.id,
        cardId: body.cardId,
        kind: body.kind ?? (body.channel === 'atm' ? 'atm_withdrawal' : 'purchase'),
        amount: body.amount,
        currency: body.currency,
        merchant: { id: body.merchant.id ?? null, name: body.merchant.name, mcc: body.merchant.mcc, country: body.merchant.country },
        channel: body.channel,
        occurredAt: occurredAt(body.occurredAt, new Date()),
      });
      return presentAuthorization(outcome);
    });

    app.get('/api/v1/processor/cards', {
      config: { access: 'public' },
      schema: {
        operationId: 'findProcessorCards',
        tags,
        security,
        summary: 'Find cards by their last four digits (for the network simulator)',
        querystring: Type.Object({ last4: Type.String({ pattern: '^[0-9]{4}$' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), status: Type.String() })) }), ...problemResponses },
      },
    }, async (request) => ({ items: await findCardsByLast4(db, request.query.last4) }));

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
        merchant: body.merchant ? { id: body.merchant.id ?? null, name: body.merchant.name, mcc: body.merchant.mcc, country: body.merchant.country } : undefined,
        channel: body.channel,
        occurredAt: occurredAt(body.occurredAt, new Date()),
      });
      return presentDecision(outcome.accepted, outcome.reason, null, outcome.transaction);
    });
  });
}
