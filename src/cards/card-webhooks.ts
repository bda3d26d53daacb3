// What the cards module tells webhook endpoints, each event in the transaction of its change:
// decided authorizations, what the network says of a purchase afterwards, and a card's issue,
// freeze and cancellation. The data is the item's identifying fields and amounts, as the API
// writes them (amounts in minor units with their currency).
import type { Db } from '../db/database.js';
import { toMoneyJson } from '../money/money.js';
import { recordWebhookEvent, recordWebhookEvents, type WebhookEvent, type WebhookEventType } from '../webhooks/webhooks.service.js';
import type { CardTransactionRow } from './card-transactions.repository.js';
import type { CardRow } from './cards.repository.js';
import type { NetworkEventType } from './network-event-context.js';

function cardTransactionData(row: CardTransactionRow): Record<string, unknown> {
  return {
    id: row.id,
    cardId: row.card_id,
    userId: row.user_id,
    kind: row.kind,
    state: row.state,
    declineReason: row.decline_reason,
    merchant: { id: row.merchant_id, name: row.merchant_name, mcc: row.mcc, country: row.merchant_country },
    merchantAmount: toMoneyJson(row.settled_merchant_amount ?? row.merchant_amount, row.merchant_currency),
    walletAmount: toMoneyJson(row.settled_amount ?? row.wallet_amount, row.wallet_currency),
    occurredAt: row.occurred_at.toISOString(),
    settledAt: row.settled_at?.toISOString() ?? null,
  };
}

/** The authorizations just decided (new rows only), in one statement however many there are. */
export async function recordAuthorizationWebhooks(trx: Db, rows: readonly CardTransactionRow[], now: Date): Promise<void> {
  const events: WebhookEvent[] = rows.map((row) => ({
    companyId: row.company_id,
    type: row.state === 'declined' ? 'card_authorization.declined' : 'card_authorization.approved',
    data: cardTransactionData(row),
  }));
  await recordWebhookEvents(trx, events, now);
}

const networkEventWebhooks: Partial<Record<NetworkEventType, WebhookEventType>> = {
  clearing: 'card_transaction.cleared',
  force_post: 'card_transaction.cleared',
  reversal: 'card_transaction.reversed',
  refund: 'card_transaction.refunded',
};

export interface AppliedNetworkEvent {
  companyId: string;
  type: NetworkEventType;
  outcome: { accepted: boolean; transaction: CardTransactionRow | null };
}

/** Network messages that were applied and changed a purchase, in one statement however many
 * (a batch of clearings); a refused one, or a repeat, is not told. */
export async function recordNetworkEventWebhooks(trx: Db, applied: readonly AppliedNetworkEvent[], now: Date): Promise<void> {
  const events: WebhookEvent[] = applied.flatMap(({ companyId, type, outcome }) => {
    const webhookType = networkEventWebhooks[type];
    return webhookType && outcome.accepted && outcome.transaction ? [{ companyId, type: webhookType, data: cardTransactionData(outcome.transaction) }] : [];
  });
  await recordWebhookEvents(trx, events, now);
}

export async function recordNetworkEventWebhook(trx: Db, companyId: string, type: NetworkEventType, outcome: AppliedNetworkEvent['outcome'], now: Date): Promise<void> {
  await recordNetworkEventWebhooks(trx, [{ companyId, type, outcome }], now);
}

const cardEventWebhooks: Partial<Record<string, WebhookEventType>> = {
  issued: 'card.created',
  frozen: 'card.frozen',
  cancelled: 'card.cancelled',
  replaced: 'card.cancelled',
};

/** A card event (card-changes.ts) that endpoints may hear of. */
export async function recordCardWebhook(trx: Db, card: CardRow, action: string, reason: string | null, at: Date): Promise<void> {
  const webhookType = cardEventWebhooks[action];
  if (!webhookType) return;
  const data = { id: card.id, userId: card.user_id, kind: card.kind, status: card.status, last4: card.last4, purpose: card.purpose, cancelReason: card.cancel_reason, reason };
  await recordWebhookEvent(trx, card.company_id, webhookType, data, at);
}
