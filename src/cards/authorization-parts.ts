// The pieces of an authorization that the one-at-a-time engine (authorization.service.ts) and
// the batched one (authorization-batch.ts) share: the request and outcome, the row a decision
// records, the hold's expiry, the answer to a repeat, and which engine a company is on.
import type { CardTransactionKind } from '../db/schema.js';
import { knownVariantOr, type FeatureFlags } from '../flags/feature-flags.js';
import { newId } from '../shared/ids.js';
import { authorize, type DeclineReason, type Merchant } from './authorize.js';
import type * as txRepo from './card-transactions.repository.js';
import type { CardRow } from './cards.repository.js';
import { isLongHoldMerchant } from './merchant-categories.js';
import { authorizationTerms, checkRepeatTerms } from './network-message-terms.js';
import type { Channel, Period } from './spend-controls.js';

/** The ledger's cause of every card hold and booking: the card transaction, by its id. */
export const cardTransactionCause = 'card_transaction';

/** The engine's reasons, and two of the service's own: a currency it cannot convert, and the
 * stand-in given when no decision was made within the deadline (never recorded). */
export type AuthorizationDecline = DeclineReason | 'currency_not_supported' | 'issuer_unavailable';

export type AuthorizationKind = 'purchase' | 'atm_withdrawal';

export interface AuthorizationRequest {
  networkId: string;
  cardId: string;
  /** Left out: a withdrawal at an ATM, a purchase anywhere else. */
  kind?: AuthorizationKind;
  amount: string;
  currency: string;
  merchant: Merchant;
  channel: Channel;
  occurredAt: Date;
}

export interface AuthorizationOutcome {
  approved: boolean;
  declineReason: AuthorizationDecline | null;
  declinePeriod: Period | null;
  transaction: txRepo.CardTransactionRow | null;
}

export function outcomeOf(row: txRepo.CardTransactionRow): AuthorizationOutcome {
  const approved = row.state !== 'declined';
  return {
    approved,
    declineReason: approved ? null : (row.decline_reason as AuthorizationDecline),
    declinePeriod: approved ? null : ((row.decline_period as Period | null) ?? null),
    transaction: row,
  };
}

/** The hold lives until the network clears or reverses it, or until this expiry. */
export function holdExpiry(mcc: string, at: Date, settings: { hold_expiry_hours: number; long_hold_expiry_hours: number }): Date {
  const hours = isLongHoldMerchant(mcc) ? settings.long_hold_expiry_hours : settings.hold_expiry_hours;
  return new Date(at.getTime() + hours * 3600_000);
}

/** The first outcome for a retransmission; a different message under the same id is refused. */
export function repeatOutcome(existing: txRepo.CardTransactionRow, request: CheckedRequest): AuthorizationOutcome {
  checkRepeatTerms(request.networkId, existing.request_terms, authorizationTerms(request));
  return outcomeOf(existing);
}

/** A request with its kind settled and its currency checked. */
export type CheckedRequest = AuthorizationRequest & { kind: AuthorizationKind };

/** The authorization engines this version has: one message in one transaction, or the
 * messages that arrive together decided together in one transaction (group commit). Both make
 * the same decision with the same pure authorize(). */
export const authorizationEngines = ['standard', 'batched'] as const;
export type AuthorizationEngine = (typeof authorizationEngines)[number];

/** The engine of a company the flag says nothing about. */
export const defaultAuthorizationEngine: AuthorizationEngine = 'batched';

/** The decision both engines make. */
export const decide: typeof authorize = authorize;

export async function authorizationEngineOf(flags: FeatureFlags, companyId: string): Promise<AuthorizationEngine> {
  return knownVariantOr(await flags.variantOf('authorization-engine', { companyId }), authorizationEngines, defaultAuthorizationEngine);
}

export function newTransaction(companyId: string, card: CardRow, request: CheckedRequest, merchantAmount: bigint, walletCurrency: string) {
  return {
    company_id: companyId,
    id: newId('cardTransaction'),
    network_id: request.networkId,
    request_terms: authorizationTerms(request),
    card_id: card.id,
    user_id: card.user_id,
    kind: request.kind satisfies CardTransactionKind,
    merchant_id: request.merchant.id,
    merchant_name: request.merchant.name,
    mcc: request.merchant.mcc,
    merchant_country: request.merchant.country.toUpperCase(),
    channel: request.channel,
    merchant_amount: merchantAmount,
    merchant_currency: request.currency,
    wallet_currency: walletCurrency,
    occurred_at: request.occurredAt,
  };
}

