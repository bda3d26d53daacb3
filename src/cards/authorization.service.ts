// Real-time authorization of card purchases and the network's later messages about them.
//
// One database transaction per message. The card row is locked first, so messages for one
// card apply one at a time and its period limits hold; the wallet is protected by the
// ledger's conditional reservation, so any number of cards (and server processes) can
// never reserve more than the wallet holds. A repeated message (same network id) returns
// the first outcome and changes nothing; one with another card, amount or currency under the
// same id is refused (network-message-terms.ts).
//
// The `authorization-engine` feature flag names the engine per company, so that a new one
// can be rolled out company by company; it is read from memory (src/flags), no SQL. Only the
// standard engine exists so far, and any other variant falls back to it.
import type { Db } from '../db/database.js';
import { flagsOf, knownVariantOr, type FeatureFlags } from '../flags/feature-flags.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import type { CardTransactionKind } from '../db/schema.js';
import { cardSpendAccount } from '../ledger/chart-of-accounts.js';
import { createPending, ensureAccount, getWallet } from '../ledger/ledger.service.js';
import { parseAmount, parseCurrency } from '../money/money.js';
import { Deadline, DeadlineMissedError } from '../shared/deadline.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { liveEvents } from '../shared/live-events.js';
import { authorize, type DeclineReason, type Merchant } from './authorize.js';
import * as txRepo from './card-transactions.repository.js';
import { loadCardForAuthorization } from './card-for-authorization.service.js';
import { loadCardSettings } from './card-settings.service.js';
import { authorizationTerms, checkRepeatTerms } from './network-message-terms.js';
import { spentByPeriod, type CardRow } from './cards.repository.js';
import { changingCardTransactions } from './card-transaction-changes.js';
import { isLongHoldMerchant } from './merchant-categories.js';
import type { Channel, Period } from './spend-controls.js';
import { quoteInWalletCurrency } from './wallet-conversion.js';

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

function outcomeOf(row: txRepo.CardTransactionRow): AuthorizationOutcome {
  const approved = row.state !== 'declined';
  return {
    approved,
    declineReason: approved ? null : (row.decline_reason as AuthorizationDecline),
    declinePeriod: approved ? null : ((row.decline_period as Period | null) ?? null),
    transaction: row,
  };
}

/** The hold lives until the network clears or reverses it, or until this expiry. */
function holdExpiry(mcc: string, at: Date, settings: { hold_expiry_hours: number; long_hold_expiry_hours: number }): Date {
  const hours = isLongHoldMerchant(mcc) ? settings.long_hold_expiry_hours : settings.hold_expiry_hours;
  return new Date(at.getTime() + hours * 3600_000);
}

/** The first outcome for a retransmission; a different message under the same id is refused. */
function repeatOutcome(existing: txRepo.CardTransactionRow, request: CheckedRequest): AuthorizationOutcome {
  checkRepeatTerms(request.networkId, existing.request_terms, authorizationTerms(request));
  return outcomeOf(existing);
}

/** A request with its kind settled and its currency checked. */
type CheckedRequest = AuthorizationRequest & { kind: AuthorizationKind };

/** The authorization engines this version has. */
export const authorizationEngines = ['standard'] as const;
export type AuthorizationEngine = (typeof authorizationEngines)[number];

/** Each engine's decision; a new engine is one more entry (and a variant of the flag). */
const decisionOf: Record<AuthorizationEngine, typeof authorize> = { standard: authorize };

export async function authorizationEngineOf(flags: FeatureFlags, companyId: string): Promise<AuthorizationEngine> {
  return knownVariantOr(await flags.variantOf('authorization-engine', { companyId }), authorizationEngines, 'standard');
}

/** Decides and, when approved, places the hold; a hold refused by the wallet's guard throws. */
async function decideAndHold(trx: Db, flags: FeatureFlags, request: CheckedRequest, merchantAmount: bigint, now: Date): Promise<AuthorizationOutcome> {
  // One query finds the card's company through its route and locks the card: messages for
  // one card apply one at a time, so its period limits hold.
  const loaded = await loadCardForAuthorization(trx, request.cardId);
  if (!loaded) return { approved: false, declineReason: 'card_not_found', declinePeriod: null, transaction: null };
  const { companyId, card, walletCurrency, timeZone } = loaded;
  const existing = await txRepo.findByNetworkId(trx, companyId, request.networkId);
  if (existing) return repeatOutcome(existing, request);
  const decide = decisionOf[await authorizationEngineOf(flags, companyId)];

  const settings = await loadCardSettings(trx, companyId);
  const quote = await quoteInWalletCurrency(trx, {
    amount: merchantAmount,
    currency: request.currency,
    walletCurrency,
    on: request.occurredAt,
    markupBasisPoints: settings.fx_markup_basis_points,
  });
  const base = newTransaction(companyId, card, request, merchantAmount, walletCurrency);
  if (!quote) {
    const row = await txRepo.insertTransaction(trx, { ...base, state: 'declined', decline_reason: 'currency_not_supported', wallet_amount: 0n });
    return outcomeOf(row);
  }

  const wallet = await getWallet(trx, companyId);
  const decision = decide(
    {
      card: loaded.decision,
      spent: await spentByPeriod(trx, companyId, card.id, request.occurredAt, timeZone),
      walletAvailable: wallet.available,
      timeZone,
    },
    { amount: quote.amount, merchant: request.merchant, channel: request.channel, at: request.occurredAt },
  );
  if (!decision.approved) {
    const row = await txRepo.insertTransaction(trx, {
      ...base,
      state: 'declined',
      decline_reason: decision.reason,
      decline_period: decision.period ?? null,
      wallet_amount: quote.amount,
      fx_rate: quote.rate,
    });
    return outcomeOf(row);
  }
  const spend = await ensureAccount(trx, { companyId, currency: walletCurrency, ...cardSpendAccount });
  const hold = await createPending(trx, {
    companyId,
    debitAccountId: spend.id,
    creditAccountId: wallet.account.id,
    amount: quote.amount,
    description: `Card hold: ${request.merchant.name}`,
    cause: { type: cardTransactionCause, id: base.id },
    expiresAt: holdExpiry(request.merchant.mcc, now, settings),
  });
  if (!hold.reserved) {
    // Another card took the funds between the read above and the hold: the wallet's guard
    // refused it, and the decline is recorded in this same transaction.
    const row = await txRepo.insertTransaction(trx, { ...base, state: 'declined', decline_reason: 'insufficient_funds', wallet_amount: 0n });
    return outcomeOf(row);
  }
  const row = await txRepo.insertTransaction(trx, { ...base, state: 'pending', wallet_amount: quote.amount, fx_rate: quote.rate, hold_id: hold.transfer.id });
  return outcomeOf(row);
}

function newTransaction(companyId: string, card: CardRow, request: CheckedRequest, merchantAmount: bigint, walletCurrency: string) {
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

export function checkMerchant(merchant: Merchant): Merchant {
  if (!/^\d{4}$/.test(merchant.mcc)) throw new DomainError('validation_failed', 'an MCC has four digits', 'merchant.mcc');
  if (!/^[A-Za-z]{2}$/.test(merchant.country)) throw new DomainError('validation_failed', 'a country is an ISO 3166 alpha-2 code', 'merchant.country');
  return merchant;
}

/** Tells the cardholder's open pages, and those of everyone who sees all transactions, once
 * the decision is committed. */
async function announce(outcome: AuthorizationOutcome): Promise<AuthorizationOutcome> {
  const row = outcome.transaction;
  if (row) {
    await liveEvents.publish({
      companyId: row.company_id,
      type: outcome.approved ? 'card_transaction.authorized' : 'card_transaction.declined',
      subject: { type: 'card_transaction', id: row.id },
      audience: { userIds: [row.user_id], permission: 'transactions:read' },
    });
  }
  return outcome;
}

/** Decides a purchase and, when approved, holds its amount. With a deadline, an approval that
 * would commit after it rolls back instead (DeadlineMissedError): the network has answered
 * in the issuer's stead by then, and no hold may stay behind that it does not know of. */
export async function authorizePurchase(db: Db, request: AuthorizationRequest, now: Date, options: { deadline?: Deadline } = {}): Promise<AuthorizationOutcome> {
  const currency = parseCurrency(request.currency);
  const merchantAmount = parseAmount(request.amount, currency);
  checkMerchant(request.merchant);
  const checked: CheckedRequest = { ...request, currency, kind: request.kind ?? (request.channel === 'atm' ? 'atm_withdrawal' : 'purchase') };
  const { deadline } = options;
  try {
    const flags = flagsOf(db);
    return await announce(
      await changingCardTransactions(db, async (trx) => {
        const outcome = await decideAndHold(trx, flags, checked, merchantAmount, now);
        if (outcome.approved) deadline?.check(commitMarginMs);
        return outcome;
      }),
    );
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  // The same network id raced in twice and the other one won: the first transaction rolled
  // back, and the answer is the winner's.
  return db.transaction().execute(async (trx) => {
    const loaded = await loadCardForAuthorization(trx, checked.cardId);
    if (!loaded) throw notFound('card');
    const existing = await txRepo.findByNetworkId(trx, loaded.companyId, checked.networkId);
    if (!existing) throw new Error(`authorization ${checked.networkId} hit a unique index but is not recorded`);
    return repeatOutcome(existing, checked);
  });
}

/** Time an approval keeps for its COMMIT before the deadline: one checked later could commit
 * after the stand-in answer went out. */
export const commitMarginMs = 100;

/** The answer when no decision was made in time: declined as ISO 8583's 91 would be, with
 * nothing recorded or held. */
export const standInOutcome: AuthorizationOutcome = Object.freeze({ approved: false, declineReason: 'issuer_unavailable', declinePeriod: null, transaction: null });

/** authorizePurchase answered within `deadlineMs`: past it, the stand-in outcome, while the
 * late decision goes on and rolls back before it could commit an approval. A late failure of
 * any other kind goes to `onLateFailure`, as nobody awaits it any more. */
export async function authorizeInTime(db: Db, request: AuthorizationRequest, now: Date, deadlineMs: number, onLateFailure: (error: unknown) => void): Promise<AuthorizationOutcome> {
  const deadline = new Deadline(deadlineMs);
  const decided = await deadline.race(standInWhenLate(authorizePurchase(db, request, now, { deadline })), onLateFailure);
  return decided === 'missed' ? standInOutcome : decided;
}

/** The decision, or the stand-in outcome when it was rolled back for missing its deadline. */
export function standInWhenLate(deciding: Promise<AuthorizationOutcome>): Promise<AuthorizationOutcome> {
  return deciding.catch((error: unknown) => {
    if (error instanceof DeadlineMissedError) return standInOutcome;
    throw error;
  });
}
