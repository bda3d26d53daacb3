// How the card network's messages name a merchant, and the decision sent back to it. The
// simulator's endpoints (src/simulator) take and answer the same shapes.
import { Type, type Static } from 'typebox';
import { toMoneyJson } from '../money/money.js';
import type { AuthorizationOutcome } from './authorization.service.js';
import type { Merchant } from './authorize.js';
import type { CardTransactionRow } from './card-transactions.service.js';
import type { NetworkEventOutcome } from './network-events.service.js';
import { periods } from './spend-controls.js';

export const MerchantSchema = Type.Object(
  {
    id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    mcc: Type.String({ pattern: '^[0-9]{4}$', description: 'ISO 18245 merchant category code' }),
    country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

/** A merchant as a message gives it: without an id, it has none. */
export const merchantOf = (merchant: Static<typeof MerchantSchema>): Merchant => ({ id: merchant.id ?? null, name: merchant.name, mcc: merchant.mcc, country: merchant.country });

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

function presentDecision(approved: boolean, reason: string | null, period: string | null, row: CardTransactionRow | null) {
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

/** A network message's outcome in the same shape: `approved` says whether it applied (an increment can be declined). */
export const presentNetworkEvent = (outcome: NetworkEventOutcome) => presentDecision(outcome.accepted, outcome.reason, null, outcome.transaction);

