// The events a webhook endpoint may subscribe to, each told in the transaction of the change it
// is about. A payload follows the Standard Webhooks shape: `type`, `timestamp` (when the change
// was made) and `data`, the item as the API shows it or its identifying fields.
export const webhookEventTypes = [
  'card_authorization.approved',
  'card_authorization.declined',
  'card_transaction.cleared',
  'card_transaction.reversed',
  'card_transaction.refunded',
  'receipt.read',
  'receipt.matched',
  'expense.submitted',
  'expense.approved',
  'expense.rejected',
  'top_up.received',
  'card.created',
  'card.frozen',
  'card.cancelled',
  'payout.paid',
  'export.completed',
  'budget.threshold',
  'wallet.low_balance',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** What each event tells of, for the API's description and the web app. A Record: an event
 * added without its description does not compile. */
export const webhookEventDescriptions: Record<WebhookEventType, string> = {
  'card_authorization.approved': 'A card purchase was approved and its amount held',
  'card_authorization.declined': 'A card purchase was declined, with the reason',
  'card_transaction.cleared': 'The card network settled a purchase (its final amount)',
  'card_transaction.reversed': 'A merchant released a purchase\'s hold, in full or in part',
  'card_transaction.refunded': 'A merchant refunded money to a card',
  'receipt.read': 'A receipt\'s merchant, date and amount were read from its file',
  'receipt.matched': 'A receipt was matched to its card purchase',
  'expense.submitted': 'An expense was submitted for review',
  'expense.approved': 'An expense was approved',
  'expense.rejected': 'An expense was rejected',
  'top_up.received': 'Money sent to the company\'s wallet arrived',
  'card.created': 'A card was issued',
  'card.frozen': 'A card was frozen',
  'card.cancelled': 'A card was cancelled for good',
  'payout.paid': 'A payout of reimbursements was marked paid',
  'export.completed': 'An export to the books was written and can be downloaded',
  'wallet.low_balance': 'The wallet\'s available funds fell below the company\'s low-balance threshold (told again only after they were back above it)',
  'budget.threshold': 'Spending against a budget reached one of its thresholds (a percent of its amount), once per threshold and period',
};

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(value);
}

/** One event to record: the company it happened in, its type, and the item it is about. */
export interface WebhookEvent {
  companyId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
}
