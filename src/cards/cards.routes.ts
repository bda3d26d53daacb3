// HTTP for cards and company card settings: validate, call one service function, present.
// Who may see or change which card is decided in the services (card-access.ts); routes
// employees use on their own cards are 'signed-in'. Card numbers and CVVs appear in the
// reveal response only, which is never stored for idempotent replay nor cached.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { cancelReasons, cardKinds, cardStatuses, replaceReasons, shippingStatuses } from './card-lifecycle.js';
import { controlsToJson, walletAmounts } from './controls-json.js';
import * as settings from './card-settings.service.js';
import { getCardLimits, updateControls, type CardLimits } from './card-controls.service.js';
import { issueCard } from './card-issuing.service.js';
import { activateCard, cancelCard, freezeCard, replaceCard, unfreezeCard, updateShipping } from './card-lifecycle.service.js';
import { getCard, listCardEvents, listCards } from './card-reading.service.js';
import { revealCard } from './card-reveal.service.js';
import type { CardEventRow, CardView } from './card-view.js';
import { merchantCategoryGroupNames } from './merchant-categories.js';
import { channels, periods } from './spend-controls.js';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const oneOf = (values: readonly string[], description?: string) => Type.String({ enum: [...values], ...(description ? { description } : {}) });
/** For input: typed as the union of its values. */
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));
const perPeriod = <T extends TSchema>(schema: () => T) => Type.Object(Object.fromEntries(periods.map((period) => [period, schema()])) as Record<(typeof periods)[number], T>);

const Amount = Type.String({ description: 'Decimal in the wallet\'s currency, e.g. "250.00"' });
const allowAndBlock = (item: TSchema) => Type.Object({ allow: nullable(Type.Array(item)), block: Type.Array(item) });

const CardControlsSchema = Type.Object(
  {
    perPurchaseMax: nullable(Amount),
    limits: Type.Object(Object.fromEntries(periods.map((period) => [period, Type.Optional(Amount)])), { description: 'Calendar periods in the company\'s time zone; a period left out has no limit' }),
    categories: allowAndBlock(oneOf(merchantCategoryGroupNames)),
    countries: allowAndBlock(Type.String({ description: 'ISO 3166-1 alpha-2' })),
    channels: nullable(Type.Array(oneOf(channels))),
    weekdays: nullable(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { description: 'ISO weekdays, 1 = Monday' })),
    hours: nullable(Type.Object({ from: Type.Integer(), to: Type.Integer() }, { description: 'Local hours [from, to)' })),
    validFrom: nullable(Type.String({ format: 'date-time' })),
    validUntil: nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'CardControls' },
);

// Input is checked for shape here and for meaning in controls-json.ts, whose errors name
// the field and say what would be accepted.
const looseList = (itemsMax: number, item: TSchema = Type.String({ maxLength: 40 })) => Type.Array(item, { maxItems: itemsMax });
const CardControlsInputSchema = Type.Object(
  {
    perPurchaseMax: Type.Optional(nullable(Type.String({ maxLength: 32 }))),
    limits: Type.Optional(Type.Object(Object.fromEntries(periods.map((period) => [period, Type.Optional(nullable(Type.String({ maxLength: 32 })))])), { additionalProperties: false })),
    categories: Type.Optional(Type.Object({ allow: Type.Optional(nullable(looseList(50))), block: Type.Optional(looseList(50)) }, { additionalProperties: false })),
    countries: Type.Optional(Type.Object({ allow: Type.Optional(nullable(looseList(250))), block: Type.Optional(looseList(250)) }, { additionalProperties: false })),
    channels: Type.Optional(nullable(looseList(10))),
    weekdays: Type.Optional(nullable(looseList(7, Type.Integer()))),
    hours: Type.Optional(nullable(Type.Object({ from: Type.Integer(), to: Type.Integer() }, { additionalProperties: false }))),
    validFrom: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
    validUntil: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
  },
  {
    $id: 'CardControlsInput',
    additionalProperties: false,
    description: `Controls to set; those left out keep their value. Category groups: ${merchantCategoryGroupNames.join(', ')}. Channels: ${channels.join(', ')}.`,
  },
);

const CardSchema = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    kind: oneOf(cardKinds),
    status: oneOf(cardStatuses, 'expired once the expiry month is over'),
    purpose: Type.String(),
    last4: Type.String(),
    expiryMonth: Type.Integer(),
    expiryYear: Type.Integer(),
    shippingStatus: nullable(oneOf(shippingStatuses)),
    vendor: nullable(Type.Object({ merchantId: nullable(Type.String()), merchantName: nullable(Type.String()), mcc: nullable(Type.String()) })),
    controls: Type.Ref('CardControls'),
    singleUseSpent: Type.Boolean(),
    replacesCardId: nullable(Type.String()),
    cancelReason: nullable(oneOf([...cancelReasons, 'replaced'])),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Card' },
);

const CardEventSchema = Type.Object(
  {
    id: Type.String(),
    cardId: Type.String(),
    actorType: oneOf(['user', 'api_key', 'system']),
    actorId: nullable(Type.String()),
    action: Type.String({ description: 'issued, frozen, unfrozen, activated, shipped, delivered, cancelled, replaced, controls_changed, single_use_spent' }),
    reason: nullable(Type.String()),
    details: Type.Object({}, { additionalProperties: true }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'CardEvent' },
);

const PeriodUsageSchema = Type.Object({ limit: nullable(Type.Ref('Money')), spent: Type.Ref('Money'), remaining: nullable(Type.Ref('Money')) });
const CardLimitsSchema = Type.Object(
  { perPurchaseMax: nullable(Type.Ref('Money')), periods: perPeriod(() => PeriodUsageSchema) },
  { $id: 'CardLimits', description: 'Per calendar period: the limit (null: none), what the card spent (pending and settled) and what remains' },
);

const CardSettingsSchema = Type.Object(
  {
    defaultControls: Type.Ref('CardControls'),
    fxMarkupBasisPoints: Type.Integer(),
    holdExpiryHours: Type.Integer(),
    longHoldExpiryHours: Type.Integer(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'CardSettings' },
);

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

const RevealedCardSchema = Type.Object(
  { number: Type.String(), cvv: Type.String(), expiryMonth: Type.Integer(), expiryYear: Type.Integer() },
  { $id: 'RevealedCard' },
);

export function presentCard(view: CardView) {
  const { card } = view;
  return {
    id: card.id,
    userId: card.user_id,
    kind: card.kind,
    status: view.status,
    purpose: card.purpose,
    last4: card.last4,
    expiryMonth: card.expiry_month,
    expiryYear: card.expiry_year,
    shippingStatus: card.shipping_status,
    vendor: card.kind === 'vendor' ? { merchantId: card.vendor_merchant_id, merchantName: card.vendor_merchant_name, mcc: card.vendor_mcc } : null,
    controls: controlsToJson(view.controls, walletAmounts(view.currency)),
    singleUseSpent: card.single_use_spent,
    replacesCardId: card.replaces_card_id,
    cancelReason: card.cancel_reason,
    createdAt: iso(card.created_at),
  };
}

const presentEvent = (row: CardEventRow) => ({
  id: row.id,
  cardId: row.card_id,
  actorType: row.actor_type,
  actorId: row.actor_id,
  action: row.action,
  reason: row.reason,
  details: row.details,
  createdAt: iso(row.created_at),
});

function presentLimits(limits: CardLimits) {
  const money = (amount: bigint | null) => (amount === null ? null : toMoneyJson(amount, limits.currency));
  return {
    perPurchaseMax: money(limits.perPurchaseMax),
    periods: Object.fromEntries(periods.map((p) => [p, { limit: money(limits.periods[p].limit), spent: money(limits.periods[p].spent)!, remaining: money(limits.periods[p].remaining) }])),
  };
}

const presentSettings = (current: settings.CardSettings) => ({
  defaultControls: controlsToJson(current.defaultControls, walletAmounts(current.currency)),
  fxMarkupBasisPoints: current.fxMarkupBasisPoints,
  holdExpiryHours: current.holdExpiryHours,
  longHoldExpiryHours: current.longHoldExpiryHours,
  updatedAt: iso(current.updatedAt),
});

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
    const view = await issueCard(db, config.encryptionKey, principal.companyId, request.body, actorOf(principal));
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
    const views = await listCards(db, principalOf(request), filter, page.before, page.limit + 1);
    return toPage(views, page, presentCard);
  });

  app.get('/api/v1/cards/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getCard', tags, summary: 'One card (never its number)', params: IdParams, response: cardResponse },
  }, async (request) => presentCard(await getCard(db, principalOf(request), request.params.id)));

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
  }, async (request) => presentLimits(await getCardLimits(db, principalOf(request), request.params.id)));
}

function lifecycleRoutes(app: CardsApp, { database: { db }, config }: AppContext): void {
  app.post('/api/v1/cards/:id/freeze', {
    config: { access: 'signed-in' },
    preValidation: missingBodyIsEmpty,
    schema: { operationId: 'freezeCard', tags, summary: 'Freeze a card: it declines everything until unfrozen (cardholder or cards:manage)', params: IdParams, body: OptionalReason, response: cardResponse },
  }, async (request) => presentCard(await freezeCard(db, principalOf(request), request.params.id, request.body.reason)));

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
  }, async (request) => presentCard(await unfreezeCard(db, principalOf(request), request.params.id, request.body.reason)));

  app.post('/api/v1/cards/:id/activate', {
    config: { access: 'signed-in' },
    schema: { operationId: 'activateCard', tags, summary: 'Activate a physical card that arrived (cardholder only)', params: IdParams, response: cardResponse },
  }, async (request) => presentCard(await activateCard(db, principalOf(request), request.params.id)));

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
  }, async (request) => presentCard(await cancelCard(db, principalOf(request), request.params.id, request.body.reason)));

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
    const { old, replacement } = await replaceCard(db, config.encryptionKey, principalOf(request), request.params.id, request.body.reason);
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
  }, async (request) => presentCard(await updateShipping(db, principalOf(request), request.params.id, request.body.status)));

  app.patch('/api/v1/cards/:id/controls', {
    config: { access: 'cards:manage' },
    schema: { operationId: 'updateCardControls', tags, summary: 'Change a card\'s spending controls; those left out stay', params: IdParams, body: Type.Ref('CardControlsInput'), response: cardResponse },
  }, async (request) => presentCard(await updateControls(db, principalOf(request), request.params.id, request.body)));
}

function revealAndSettingsRoutes(app: CardsApp, { database: { db }, config }: AppContext): void {
  app.post('/api/v1/cards/:id/reveal', {
    // The response holds the card number: never stored for an idempotent replay.
    config: { access: 'signed-in', idempotent: false },
    schema: {
      operationId: 'revealCard',
      tags,
      summary: 'Show the full card number and CVV to the cardholder, after they type their password again (browser sessions only; audited)',
      params: IdParams,
      body: Type.Object({ password: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('RevealedCard'), ...problemResponses },
    },
  }, async (request, reply) => {
    const revealed = await revealCard(db, config.encryptionKey, principalOf(request), request.params.id, request.body.password);
    return reply.header('cache-control', 'no-store').send(revealed);
  });

  app.get('/api/v1/card-settings', {
    config: { access: 'cards:read' },
    schema: { operationId: 'getCardSettings', tags, summary: 'The company\'s default card controls, FX markup and hold expiry', response: { 200: Type.Ref('CardSettings'), ...problemResponses } },
  }, async (request) => presentSettings(await settings.getCardSettings(db, principalOf(request).companyId)));

  app.put('/api/v1/card-settings', {
    config: { access: 'cards:manage' },
    schema: {
      operationId: 'setCardSettings',
      tags,
      summary: 'Replace the company\'s card settings; default controls apply to cards issued from now on',
      body: Type.Object({
        defaultControls: Type.Ref('CardControlsInput'),
        fxMarkupBasisPoints: Type.Integer({ description: '0 to 1000 (10 %) on purchases in another currency' }),
        holdExpiryHours: Type.Integer({ description: 'How long a hold lives without clearing, 1 to 2160' }),
        longHoldExpiryHours: Type.Integer({ description: 'The same for hotels and car rentals; at least holdExpiryHours' }),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('CardSettings'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return presentSettings(await settings.updateCardSettings(db, principal.companyId, request.body, actorOf(principal)));
  });
}

export function cardsRoutes(context: AppContext): void {
  const app = withTypeBox(context.app);
  for (const schema of [CardControlsSchema, CardControlsInputSchema, CardSchema, CardEventSchema, CardLimitsSchema, CardSettingsSchema, RevealedCardSchema]) {
    app.addSchema(schema);
  }
  issueAndReadRoutes(app, context);
  lifecycleRoutes(app, context);
  revealAndSettingsRoutes(app, context);
}
