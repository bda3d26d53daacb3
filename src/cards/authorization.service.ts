// Real-time authorization of card purchases and the network's later messages about them.
//
// Two engines make the same decision. The standard one: one database transaction per
// message; the card row is locked first, so messages for one card apply one at a time and its
// period limits hold; the wallet is protected by the ledger's conditional reservation, so any
// number of cards (and server processes) can never reserve more than the wallet holds. The
// batched one (authorization-batch.ts): the purchases that arrive together decided in one
// transaction, with the same locks taken for all of them in one order. A repeated message
// (same network id) returns the first outcome and changes nothing; one with another card,
// amount or currency under the same id is refused (network-message-terms.ts).
//
// The `authorization-engine` feature flag names the engine per company, so that a new one
// can be rolled out company by company; it is read from memory (src/flags), no SQL. Batched
// is the default; an unknown variant falls back to it.
import type { Db } from '../db/database.js';
import { lockBudgetRooms } from '../budgets/budgets.service.js';
import { flagsOf } from '../flags/feature-flags.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { cardSpendAccount } from '../ledger/chart-of-accounts.js';
import { createPending, ensureAccount, getWallet } from '../ledger/ledger.service.js';
import { parseAmount, parseCurrency } from '../money/money.js';
import { Deadline, DeadlineMissedError } from '../shared/deadline.js';
import { DomainError, notFound } from '../shared/errors.js';
import { liveEvents } from '../shared/live-events.js';
import { authorizationBatchMetrics } from '../observability/metrics.js';
import type { Merchant } from './authorize.js';
import {
  cardTransactionCause,
  decide,
  holdExpiry,
  newTransaction,
  outcomeOf,
  repeatOutcome,
  type AuthorizationOutcome,
  type AuthorizationRequest,
  type CheckedRequest,
} from './authorization-parts.js';
import { AuthorizationBatcher, decideBatch, type BatchMember, type MemberResult } from './authorization-batch.js';
import * as txRepo from './card-transactions.repository.js';
import { loadCardForAuthorization } from './card-for-authorization.service.js';
import { loadCardSettings } from './card-settings.service.js';
import { spentInPeriods } from './cards.repository.js';
import { limitedPeriods } from './spend-controls.js';
import { changingCardTransactions } from './card-transaction-changes.js';
import { recordAuthorizationWebhooks } from './card-webhooks.js';
import { quoteInWalletCurrency } from './wallet-conversion.js';

export {
  authorizationEngineOf,
  authorizationEngines,
  cardTransactionCause,
  type AuthorizationDecline,
  type AuthorizationEngine,
  type AuthorizationKind,
  type AuthorizationOutcome,
  type AuthorizationRequest,
} from './authorization-parts.js';

/** A new authorization's outcome, told to webhook endpoints in its transaction. */
async function recorded(trx: Db, row: txRepo.CardTransactionRow, now: Date): Promise<AuthorizationOutcome> {
  await recordAuthorizationWebhooks(trx, [row], now);
  return outcomeOf(row);
}

/** Decides and, when approved, places the hold; a hold refused by the wallet's guard throws. */
async function decideAndHold(trx: Db, request: CheckedRequest, merchantAmount: bigint, now: Date): Promise<AuthorizationOutcome> {
  // One query finds the card's company through its route and locks the card: messages for
  // one card apply one at a time, so its period limits hold.
  const loaded = await loadCardForAuthorization(trx, request.cardId);
  if (!loaded) return { approved: false, declineReason: 'card_not_found', declinePeriod: null, transaction: null };
  const { companyId, card, walletCurrency, timeZone } = loaded;
  const existing = await txRepo.findByNetworkId(trx, companyId, request.networkId);
  if (existing) return repeatOutcome(existing, request);

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
    return recorded(trx, row, now);
  }

  // Enforced budgets are locked after the card and before the wallet, as in a batch.
  const [budgets] = await lockBudgetRooms(trx, [{ companyId, userId: card.user_id, at: request.occurredAt, timeZone }]);
  const wallet = await getWallet(trx, companyId);
  const decision = decide(
    {
      card: loaded.decision,
      spent: (await spentInPeriods(trx, [{ companyId, cardId: card.id, at: request.occurredAt, timeZone, periods: limitedPeriods(loaded.decision.controls) }]))[0]!,
      budgets: budgets!,
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
    return recorded(trx, row, now);
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
    return recorded(trx, row, now);
  }
  const row = await txRepo.insertTransaction(trx, { ...base, state: 'pending', wallet_amount: quote.amount, fx_rate: quote.rate, hold_id: hold.transfer.id });
  return recorded(trx, row, now);
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
 * in the issuer's stead by then, and no hold may stay behind that it does not know of.
 * Outside a transaction the purchase joins this process's batch (authorization-batch.ts),
 * and a company the flag keeps on the standard engine is decided on its own. */
export async function authorizePurchase(db: Db, request: AuthorizationRequest, now: Date, options: { deadline?: Deadline } = {}): Promise<AuthorizationOutcome> {
  const currency = parseCurrency(request.currency);
  const merchantAmount = parseAmount(request.amount, currency);
  checkMerchant(request.merchant);
  const checked: CheckedRequest = { ...request, currency, kind: request.kind ?? (request.channel === 'atm' ? 'atm_withdrawal' : 'purchase') };
  const member: BatchMember = { request: checked, merchantAmount, now, ...(options.deadline ? { deadline: options.deadline } : {}) };
  if (db.isTransaction) return authorizeAlone(db, member);
  return batcherOf(db).submit(member);
}

/** The standard engine: one purchase in its own transaction. */
export async function authorizeAlone(db: Db, { request: checked, merchantAmount, now, deadline }: BatchMember): Promise<AuthorizationOutcome> {
  try {
    return await announce(
      await changingCardTransactions(db, async (trx) => {
        const outcome = await decideAndHold(trx, checked, merchantAmount, now);
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

/** How batches are made in a process: at most this many purchases in one; one batch in
 * flight, and more (up to maxConcurrent) only beside batches running past stalledAfterMs.
 * One purchase arriving alone is decided at once all the same.
 *
 * One in flight because in bench:auth on PostgreSQL (hot wallet) 1, 2 and 4 batches at once
 * decided 203, 216 and 214 purchases/s, but at half that rate p50/p99 were 15/56 ms with 1
 * against 37/113 with 2 and 52/182 with 4 (batches of one wallet only wait for each other's
 * locks); with many companies 286 against 294/s, 37/80 ms against 58/106. More beside a
 * stalled one because a batch waiting on a locked card (up to the lock timeout) must not
 * hold every other purchase of the process past the network's deadline. */
export interface AuthorizationBatching {
  maxBatch: number;
  maxConcurrent: number;
  stalledAfterMs: number;
}

export const defaultAuthorizationBatching: AuthorizationBatching = { maxBatch: 128, maxConcurrent: 4, stalledAfterMs: 250 };

const batchers = new WeakMap<Db, AuthorizationBatcher>();

function newBatcher(db: Db, batching: AuthorizationBatching): AuthorizationBatcher {
  return new AuthorizationBatcher({
    ...batching,
    runBatch: async (members) => {
      let results: MemberResult[];
      try {
        results = await changingCardTransactions(db, (trx) => decideBatch(trx, flagsOf(db), members));
      } catch (error) {
        authorizationBatchMetrics.failed();
        throw error;
      }
      authorizationBatchMetrics.applied(members.length);
      for (const result of results) if ('outcome' in result) void announce(result.outcome);
      return results;
    },
    runAlone: (member) => authorizeAlone(db, member),
  });
}

function batcherOf(db: Db): AuthorizationBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = newBatcher(db, defaultAuthorizationBatching);
    batchers.set(db, batcher);
  }
  return batcher;
}

/** Sets how this database handle's purchases are batched (the server does, from its config). */
export function configureAuthorizationBatching(db: Db, batching: AuthorizationBatching): void {
  batchers.set(db, newBatcher(db, batching));
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
