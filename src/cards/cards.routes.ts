// HTTP for cards: validate, call one service function, present. The company's card settings
// have their routes in card-settings.routes.ts, registered from here after the schemas they
// share. Who may see or change which card is decided in the services (card-access.ts); routes
// employees use on their own cards are 'signed-in'. Card numbers and CVVs appear in the
// reveal response only, which is never stored for idempotent replay nor cached.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { fieldKeysOf } from '../config/config.js';
import { actorOf } from '../auth/principal.js';
import { sendRetryAfter } from '../auth/retry-after.js';
import { principalOf } from '../http/authenticate.js';
import { relyingPartyOf } from '../mfa/relying-party.js';
import type { AppContext } from '../http/context.js';
import { IdParams, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { getCardLimits, updateControls } from './card-controls.service.js';
import { issueCard } from './card-issuing.service.js';
import { cancelReasons, cardKinds, replaceReasons } from './card-lifecycle.js';
import { activateCard, cancelCard, freezeCard, replaceCard, unfreezeCard, updateShipping } from './card-lifecycle.service.js';
import { getCard, listCardEvents, listCards } from './card-reading.service.js';
import { revealCard } from './card-reveal.service.js';
import { cardSettingsRoutes } from './card-settings.routes.js';
import { cardSchemas, presentCard, presentEvent, presentLimits } from './cards.presenters.js';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** For input: typed as the union of its values. */
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));

const ShippingAddressSchema = Type.Object(
  {
    recipient: Type.String({ maxLength: 200 }),
    line1: Type.String({ maxLength: 200 }),
    line2: Type.Optional(nullable(Type.String({ maxLength: 200 }))),
    postalCode: Type.String({ maxLength: 40 }),
    city: Type.String({ maxLength: 200 }),
    region: Type.Optional(nullable(Type.String({ maxLength: 200 }))),
    country: Type.String({ maxLength: 2, description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false, description: 'Physical cards only, and required for them' },
);

const OptionalReason = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
/** Fastify validates a missing body as undefined; where the body is optional, none is {}. */
const missingBodyIsEmpty = async (request: FastifyRequest) => {
  request.body ??= {};
};

const withTypeBox = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();
type CardsApp = ReturnType<typeof withTypeBox>;

const tags = ['Cards'];
const cardResponse = { 200: Type.Ref('Card'), ...problemResponses };

function issueAndReadRoutes(app: CardsApp, { database: { db }, config }: AppContext): void {
  app.post('/api/v1/cards', {
    config: { access: 'cards:manage' },
    schema: {
      operationId: 'issueCard',
      tags,
      summary: 'Issue a card to a person: virtual and single-use cards are active at once, physical cards are shipped and then activated by the cardholder',
      body: Type.Object({
        userId: Type.String({ maxLength: 40 }),
        kind: literals(cardKinds),
        purpose: Type.Optional(Type.String({ maxLength: 200 })),
        controls: Type.Optional(Type.Ref('CardControlsInput', { description: 'Merged over the company\'s default controls' })),
        shippingAddress: Type.Optional(ShippingAddressSchema),
        vendor: Type.Optional(Type.Object({
          merchantId: Type.Optional(nullable(Type.String({ maxLength: 100 }))),
          merchantName: Type.Optional(nullable(Type.String({ maxLength: 100 }))),
          mcc: Type.Optional(nullable(Type.String({ maxLength: 4 }))),
        }, { additionalProperties: false, description: 'Vendor cards only: the merchant id, or the name (and MCC) the card is locked to' })),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('Card'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const view = await issueCard(db, fieldKeysOf(config), principal.companyId, request.body, actorOf(principal), request.now);
    return reply.status(201).send(presentCard(view));
  });

  app.get('/api/v1/cards', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listCards',
      tags,
      summary: 'Cards, newest first: your own, or everyone\'s with cards:read',
      querystring: Type.Object({ ...PageQuery.properties, userId: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('Card')), ...problemResponses },
    },
  }, async (request) => {
    const page = readPageQuery(request.query);
    const filter = request.query.userId === undefined ? {} : { userId: request.query.userId };
    const views = await listCards(db, principalOf(request), filter, page.before, page.limit + 1, request.now);
    return toPage(views, page, presentCard);
  });

  app.get('/api/v1/cards/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getCard', tags, summary: 'One card (never its number)', params: IdParams, response: cardResponse },
  }, async (request) => presentCard(await getCard(db, principalOf(request), request.params.id, request.now)));

  app.get('/api/v1/cards/:id/events', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listCardEvents', tags, summary: 'What happened to a card, newest first', params: IdParams, querystring: PageQuery, response: { 200: Page(Type.Ref('CardEvent')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    return toPage(await listCardEvents(db, principalOf(request), request.params.id, page.before, page.limit + 1), page, presentEvent);
  });

  app.get('/api/v1/cards/:id/limits', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getCardLimits', tags, summary: 'What is left of each of the card\'s limits now', params: IdParams, response: { 200: Type.Ref('CardLimits'), ...problemResponses } },
  }, async (request) => presentLimits(await getCardLimits(db, principalOf(request), request.params.id, request.now)));
}

function lifecycleRoutes(app: CardsApp, { database: { db }, config }: AppContext): void {
  app.post('/api/v1/cards/:id/freeze', {
    config: { access: 'signed-in' },
    preValidation: missingBodyIsEmpty,
    schema: { operationId: 'freezeCard', tags, summary: 'Freeze a card: it declines everything until unfrozen (cardholder or cards:manage)', params: IdParams, body: OptionalReason, response: cardResponse },
  }, async (request) => presentCard(await freezeCard(db, principalOf(request), request.params.id, request.body.reason, request.now)));

  app.post('/api/v1/cards/:id/unfreeze', {
    config: { access: 'signed-in' },
    preValidation: missingBodyIsEmpty,
    schema: {
      operationId: 'unfreezeCard',
      tags,
      summary: 'Unfreeze a card (the cardholder lifts their own freeze; a freeze set by someone else needs cards:manage)',
      params: IdParams,
      body: OptionalReason,
      response: cardResponse,
    },
  }, async (request) => presentCard(await unfreezeCard(db, principalOf(request), request.params.id, request.body.reason, request.now)));

  app.post('/api/v1/cards/:id/activate', {
    config: { access: 'signed-in' },
    schema: { operationId: 'activateCard', tags, summary: 'Activate a physical card that arrived (cardholder only)', params: IdParams, response: cardResponse },
  }, async (request) => presentCard(await activateCard(db, principalOf(request), request.params.id, request.now)));

  app.post('/api/v1/cards/:id/cancel', {
    config: { access: 'cards:manage' },
    schema: {
      operationId: 'cancelCard',
      tags,
      summary: 'Cancel a card for good',
      params: IdParams,
      body: Type.Object({ reason: literals(cancelReasons) }, { additionalProperties: false }),
      response: cardResponse,
    },
  }, async (request) => presentCard(await cancelCard(db, principalOf(request), request.params.id, request.body.reason, request.now)));

  app.post('/api/v1/cards/:id/replace', {
    config: { access: 'cards:manage' },
    schema: {
      operationId: 'replaceCard',
      tags,
      summary: 'Cancel a card and issue a new one of the same kind, with the same controls and purpose, to the same person',
      params: IdParams,
      body: Type.Object({ reason: literals(replaceReasons) }, { additionalProperties: false }),
      response: { 201: Type.Object({ replaced: Type.Ref('Card'), replacement: Type.Ref('Card') }), ...problemResponses },
    },
  }, async (request, reply) => {
    const { old, replacement } = await replaceCard(db, fieldKeysOf(config), principalOf(request), request.params.id, request.body.reason, request.now);
    return reply.status(201).send({ replaced: presentCard(old), replacement: presentCard(replacement) });
  });

  app.post('/api/v1/cards/:id/shipping', {
    config: { access: 'cards:manage' },
    schema: {
      operationId: 'recordCardShipping',
      tags,
      summary: 'Record that a physical card was shipped or delivered',
      params: IdParams,
      body: Type.Object({ status: literals(['shipped', 'delivered'] as const) }, { additionalProperties: false }),
      response: cardResponse,
    },
  }, async (request) => presentCard(await updateShipping(db, principalOf(request), request.params.id, request.body.status, request.now)));

  app.patch('/api/v1/cards/:id/controls', {
    config: { access: 'cards:manage' },
    schema: { operationId: 'updateCardControls', tags, summary: 'Change a card\'s spending controls; those left out stay', params: IdParams, body: Type.Ref('CardControlsInput'), response: cardResponse },
  }, async (request) => presentCard(await updateControls(db, principalOf(request), request.params.id, request.body, request.now)));
}

function revealRoutes(app: CardsApp, { database: { db }, config }: AppContext): void {
  app.post('/api/v1/cards/:id/reveal', {
    // The response holds the card number: never stored for an idempotent replay.
    config: { access: 'signed-in', idempotent: false },
    onError: sendRetryAfter,
    schema: {
      operationId: 'revealCard',
      tags,
      summary: 'Show the full card number and CVV to the cardholder, after they type their password again and, with two-step sign-in on, a code or a passkey\'s answer to the options of POST /api/v1/me/mfa/passkeys/authentication-options (401 mfa_required without either) (browser sessions only; audited)',
      params: IdParams,
      body: Type.Object({ password: Type.String({ maxLength: 200 }), code: Type.Optional(Type.String({ maxLength: 40 })), passkey: Type.Optional(Type.Ref('PasskeyAssertion')) }, { additionalProperties: false }),
      response: { 200: Type.Ref('RevealedCard'), ...problemResponses },
    },
  }, async (request, reply) => {
    const { password, ...secondFactor } = request.body as { password: string; code?: string; passkey?: AuthenticationResponseJSON };
    const revealed = await revealCard(db, fieldKeysOf(config), principalOf(request), request.params.id, password, request.now, { given: secondFactor, relyingParty: relyingPartyOf(config.publicUrl) });
    return reply.header('cache-control', 'no-store').send(revealed);
  });
}

export function cardsRoutes(context: AppContext): void {
  const app = withTypeBox(context.app);
  for (const schema of cardSchemas) app.addSchema(schema);
  issueAndReadRoutes(app, context);
  lifecycleRoutes(app, context);
  revealRoutes(app, context);
  cardSettingsRoutes(context);
}
