// How cards and their settings look in the API: the schemas every cards route shares (each
// registered once, by cardsRoutes) and the presentation of what the services return.
import { Type, type TSchema } from 'typebox';
import { iso } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import type { CardLimits } from './card-controls.service.js';
import { cancelReasons, cardKinds, cardStatuses, shippingStatuses } from './card-lifecycle.js';
import type { CardSettings } from './card-settings.service.js';
import type { CardEventRow, CardView } from './card-view.js';
import { controlsToJson, walletAmounts } from './controls-json.js';
import { merchantCategoryGroupNames } from './merchant-categories.js';
import { channels, periods } from './spend-controls.js';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const oneOf = (values: readonly string[], description?: string) => Type.String({ enum: [...values], ...(description ? { description } : {}) });
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

export const presentEvent = (row: CardEventRow) => ({
  id: row.id,
  cardId: row.card_id,
  actorType: row.actor_type,
  actorId: row.actor_id,
  action: row.action,
  reason: row.reason,
  details: row.details,
  createdAt: iso(row.created_at),
});

export function presentLimits(limits: CardLimits) {
  const money = (amount: bigint | null) => (amount === null ? null : toMoneyJson(amount, limits.currency));
  return {
    perPurchaseMax: money(limits.perPurchaseMax),
    periods: Object.fromEntries(periods.map((p) => [p, { limit: money(limits.periods[p].limit), spent: money(limits.periods[p].spent)!, remaining: money(limits.periods[p].remaining) }])),
  };
}

export const presentSettings = (current: CardSettings) => ({
  defaultControls: controlsToJson(current.defaultControls, walletAmounts(current.currency)),
  fxMarkupBasisPoints: current.fxMarkupBasisPoints,
  holdExpiryHours: current.holdExpiryHours,
  longHoldExpiryHours: current.longHoldExpiryHours,
  updatedAt: iso(current.updatedAt),
});

/** Every schema above, in the order they are registered. */
export const cardSchemas = [CardControlsSchema, CardControlsInputSchema, CardSchema, CardEventSchema, CardLimitsSchema, CardSettingsSchema, RevealedCardSchema];
