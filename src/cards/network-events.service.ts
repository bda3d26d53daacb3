// What the card network tells us after an authorization: the final amount (clearing), an
// increment, a full or partial reversal, an expiry; and messages that come without one:
// force posts, refunds and refund reversals. Each message is applied once, in one
// transaction with its ledger entries; a repeat returns the first outcome, and another message
// under the same id (other type, card, transaction, amount or currency) is refused.
import type { Db } from '../db/database.js';
import type { CardTransactionState } from '../db/schema.js';
import { lockBudgetRooms } from '../budgets/budgets.service.js';
import { getCompany } from '../companies/companies.service.js';
import { createPending, expirePending, getWallet, listDuePending, postEntry, postPending, voidPending } from '../ledger/ledger.service.js';
import { parseAmount, parseCurrency } from '../money/money.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { cardTransactionCause, checkMerchant, defaultAuthorizationBatching } from './authorization.service.js';
import { applyEventBatch, batchableEventTypes, type EventMember } from './network-event-batch.js';
import { flagsOf } from '../flags/feature-flags.js';
import { networkEventBatchMetrics } from '../observability/metrics.js';
import { GroupCommitBatcher } from '../shared/group-commit.js';
import { authorize } from './authorize.js';
import { refund, reverseRefund } from './card-refunds.service.js';
import { changingCardTransactions } from './card-transaction-changes.js';
import { recordNetworkEventWebhook } from './card-webhooks.js';
import * as txRepo from './card-transactions.repository.js';
import { cardForDecision, consumeSingleUseCard } from './card-for-authorization.service.js';
import { loadCardSettings } from './card-settings.service.js';
import { lockCard, spentInPeriods } from './cards.repository.js';
import { limitedPeriods } from './spend-controls.js';
import { accounts, merchantAmountOf, quote, walletShortfall, type Context, type NetworkEvent, type NetworkEventOutcome, type NetworkEventType } from './network-event-context.js';
import { checkRepeatTerms, networkEventTerms } from './network-message-terms.js';
import { findCompanyOfCard } from './processor.repository.js';

export { networkEventTypes, type NetworkEvent, type NetworkEventOutcome, type NetworkEventType } from './network-event-context.js';

async function lockTransaction(ctx: Context): Promise<txRepo.CardTransactionRow> {
  if (!ctx.event.transactionNetworkId) throw new DomainError('validation_failed', `a ${ctx.event.type} names the transaction it is about`, 'transactionId');
  const row = await txRepo.lockByNetworkId(ctx.trx, ctx.companyId, ctx.event.transactionNetworkId);
  if (!row || row.card_id !== ctx.event.cardId) throw notFound('card transaction');
  return row;
}

/** Books `amount` as spent on the card: the hold's part first, any rest forced through. */
async function bookSpend(ctx: Context, tx: txRepo.CardTransactionRow, amount: bigint, holdOpen: boolean) {
  const { wallet, spend } = await accounts(ctx.trx, ctx.companyId, tx.wallet_currency);
  const fromHold = holdOpen && tx.hold_id ? (amount < tx.wallet_amount ? amount : tx.wallet_amount) : 0n;
  if (holdOpen && tx.hold_id) {
    if (fromHold > 0n) await postPending(ctx.trx, { companyId: ctx.companyId, id: tx.hold_id, amount: fromHold, description: `Card purchase: ${tx.merchant_name}`, now: ctx.now });
    else await voidPending(ctx.trx, { companyId: ctx.companyId, id: tx.hold_id, now: ctx.now });
  }
  const rest = amount - fromHold;
  if (rest > 0n) {
    // Beyond the hold: a tip, a hotel's final bill, or an exchange rate that moved. The
    // network has already paid the merchant, so it is booked even beyond the funds.
    const foreign = tx.merchant_currency !== tx.wallet_currency;
    await postEntry(ctx.trx, {
      companyId: ctx.companyId,
      effectiveAt: ctx.now,
      kind: foreign ? 'card_fx_difference' : 'card_clearing_difference',
      description: `${foreign ? 'Exchange-rate difference' : 'Amount above the hold'}: ${tx.merchant_name}`,
      cause: { type: cardTransactionCause, id: tx.id },
      postings: [
        { accountId: spend.id, amount: rest },
        { accountId: wallet.id, amount: -rest },
      ],
      allowOverdraft: true,
    });
  }
}

async function clearing(ctx: Context): Promise<NetworkEventOutcome> {
  const tx = await lockTransaction(ctx);
  if (tx.kind === 'refund' || tx.state === 'declined' || tx.state === 'settled') {
    throw new DomainError('card_state_invalid', `a ${tx.state} ${tx.kind} cannot be cleared`);
  }
  // Lock order everywhere: transaction, card, then ledger accounts. Taking the card after the
  // accounts would deadlock against an authorization on the same card.
  const card = await lockCard(ctx.trx, ctx.companyId, tx.card_id);
  const merchantAmount = merchantAmountOf(ctx.event, tx.merchant_currency);
  const company = await getCompany(ctx.trx, ctx.companyId);
  const final = await quote(ctx, merchantAmount, tx.merchant_currency, company.currency);
  // A clearing after the hold was reversed or expired is still money the network paid.
  await bookSpend(ctx, tx, final.amount, tx.state === 'pending');
  if (card?.kind === 'single_use') await consumeSingleUseCard(ctx.trx, ctx.companyId, tx.card_id);
  const updated = await txRepo.updateTransaction(ctx.trx, ctx.companyId, tx.id, {
    state: 'settled',
    settled_amount: final.amount,
    settled_merchant_amount: merchantAmount,
    fx_rate: final.rate,
    settled_at: ctx.event.occurredAt,
    shortfall: await walletShortfall(ctx.trx, ctx.companyId),
  });
  return { accepted: true, reason: null, transaction: updated };
}

async function replaceHold(ctx: Context, tx: txRepo.CardTransactionRow, walletAmount: bigint) {
  const { wallet, spend } = await accounts(ctx.trx, ctx.companyId, tx.wallet_currency);
  if (tx.hold_id) await voidPending(ctx.trx, { companyId: ctx.companyId, id: tx.hold_id, now: ctx.now });
  const settings = await loadCardSettings(ctx.trx, ctx.companyId);
  const hours = settings.hold_expiry_hours;
  const hold = await createPending(ctx.trx, {
    companyId: ctx.companyId,
    debitAccountId: spend.id,
    creditAccountId: wallet.id,
    amount: walletAmount,
    description: `Card hold: ${tx.merchant_name}`,
    cause: { type: cardTransactionCause, id: tx.id },
    expiresAt: new Date(ctx.now.getTime() + hours * 3600_000),
  });
  // The old hold is already voided in this transaction: a refusal must undo that too, so it
  // is thrown, and the message is answered as refused with nothing changed.
  if (!hold.reserved) throw new DomainError('insufficient_funds', hold.detail);
  return hold.transfer;
}

async function incrementalAuthorization(ctx: Context): Promise<NetworkEventOutcome> {
  const tx = await lockTransaction(ctx);
  if (tx.state !== 'pending') throw new DomainError('card_state_invalid', `a ${tx.state} transaction cannot be increased`);
  const increment = merchantAmountOf(ctx.event, tx.merchant_currency);
  const company = await getCompany(ctx.trx, ctx.companyId);
  const total = await quote(ctx, tx.merchant_amount + increment, tx.merchant_currency, company.currency);
  const card = await lockCard(ctx.trx, ctx.companyId, tx.card_id);
  if (!card) throw notFound('card');
  const wallet = await getWallet(ctx.trx, ctx.companyId);
  const forDecision = cardForDecision(card);
  const decision = authorize(
    {
      card: forDecision,
      spent: (await spentInPeriods(ctx.trx, [{ companyId: ctx.companyId, cardId: card.id, at: ctx.event.occurredAt, timeZone: company.time_zone, periods: limitedPeriods(forDecision.controls) }]))[0]!,
      budgets: (await lockBudgetRooms(ctx.trx, [{ companyId: ctx.companyId, userId: card.user_id, at: ctx.event.occurredAt, timeZone: company.time_zone }]))[0]!,
      walletAvailable: wallet.available,
      timeZone: company.time_zone,
    },
    { amount: total.amount - tx.wallet_amount, merchant: { id: tx.merchant_id, name: tx.merchant_name, mcc: tx.mcc, country: tx.merchant_country }, channel: tx.channel, at: ctx.event.occurredAt },
  );
  if (!decision.approved) return { accepted: false, reason: decision.reason, transaction: tx };
  const hold = await replaceHold(ctx, tx, total.amount);
  const updated = await txRepo.updateTransaction(ctx.trx, ctx.companyId, tx.id, {
    merchant_amount: tx.merchant_amount + increment,
    wallet_amount: total.amount,
    fx_rate: total.rate,
    hold_id: hold.id,
  });
  return { accepted: true, reason: null, transaction: updated };
}

async function reversal(ctx: Context): Promise<NetworkEventOutcome> {
  const tx = await lockTransaction(ctx);
  if (tx.state !== 'pending') throw new DomainError('card_state_invalid', `a ${tx.state} transaction cannot be reversed`);
  const reversed = ctx.event.amount === undefined ? tx.merchant_amount : merchantAmountOf(ctx.event, tx.merchant_currency);
  if (reversed > tx.merchant_amount) {
    throw new DomainError('validation_failed', 'a reversal cannot exceed what was authorized', 'amount');
  }
  if (reversed === tx.merchant_amount) {
    if (tx.hold_id) await voidPending(ctx.trx, { companyId: ctx.companyId, id: tx.hold_id, now: ctx.now });
    const updated = await txRepo.updateTransaction(ctx.trx, ctx.companyId, tx.id, { state: 'reversed' });
    return { accepted: true, reason: null, transaction: updated };
  }
  const remaining = tx.merchant_amount - reversed;
  const company = await getCompany(ctx.trx, ctx.companyId);
  const quoted = await quote(ctx, remaining, tx.merchant_currency, company.currency);
  const hold = await replaceHold(ctx, tx, quoted.amount);
  const updated = await txRepo.updateTransaction(ctx.trx, ctx.companyId, tx.id, {
    merchant_amount: remaining,
    wallet_amount: quoted.amount,
    hold_id: hold.id,
  });
  return { accepted: true, reason: null, transaction: updated };
}

async function expiry(ctx: Context): Promise<NetworkEventOutcome> {
  const tx = await lockTransaction(ctx);
  if (tx.state !== 'pending') throw new DomainError('card_state_invalid', `a ${tx.state} transaction cannot expire`);
  if (tx.hold_id) await expirePending(ctx.trx, { companyId: ctx.companyId, id: tx.hold_id, now: ctx.now });
  const updated = await txRepo.updateTransaction(ctx.trx, ctx.companyId, tx.id, { state: 'expired' });
  return { accepted: true, reason: null, transaction: updated };
}

/** A force post: money that moved without an authorization of ours. */
async function forcePost(ctx: Context): Promise<NetworkEventOutcome> {
  const { event } = ctx;
  if (!event.merchant) throw new DomainError('validation_failed', 'a force_post names its merchant', 'merchant');
  checkMerchant(event.merchant);
  const currency = parseCurrency(event.currency);
  const merchantAmount = parseAmount(event.amount, currency);
  const card = await lockCard(ctx.trx, ctx.companyId, event.cardId);
  if (!card) throw notFound('card');
  const company = await getCompany(ctx.trx, ctx.companyId);
  const quoted = await quote(ctx, merchantAmount, currency, company.currency);
  const id = newId('cardTransaction');
  const { wallet, spend } = await accounts(ctx.trx, ctx.companyId, company.currency);
  await postEntry(ctx.trx, {
    companyId: ctx.companyId,
    effectiveAt: ctx.now,
    kind: 'card_force_post',
    description: `Card purchase (force post): ${event.merchant.name}`,
    cause: { type: cardTransactionCause, id },
    postings: [
      { accountId: spend.id, amount: quoted.amount },
      { accountId: wallet.id, amount: -quoted.amount },
    ],
    allowOverdraft: true,
  });
  const row = await txRepo.insertTransaction(ctx.trx, {
    company_id: ctx.companyId,
    id,
    network_id: event.id,
    card_id: card.id,
    user_id: card.user_id,
    kind: 'force_post',
    state: 'settled',
    merchant_id: event.merchant.id,
    merchant_name: event.merchant.name,
    mcc: event.merchant.mcc,
    merchant_country: event.merchant.country.toUpperCase(),
    channel: event.channel ?? 'in_person',
    merchant_amount: merchantAmount,
    merchant_currency: currency,
    wallet_amount: quoted.amount,
    settled_amount: quoted.amount,
    settled_merchant_amount: merchantAmount,
    wallet_currency: company.currency,
    fx_rate: quoted.rate,
    occurred_at: event.occurredAt,
    settled_at: event.occurredAt,
    shortfall: await walletShortfall(ctx.trx, ctx.companyId),
  });
  return { accepted: true, reason: null, transaction: row };
}

async function refundReversal(ctx: Context): Promise<NetworkEventOutcome> {
  const tx = await lockTransaction(ctx);
  if (tx.kind !== 'refund' || tx.state !== 'settled') throw new DomainError('card_state_invalid', 'only a settled refund can be reversed');
  await reverseRefund(ctx, tx);
  const state: CardTransactionState = 'refund_reversed';
  const updated = await txRepo.updateTransaction(ctx.trx, ctx.companyId, tx.id, { state, shortfall: await walletShortfall(ctx.trx, ctx.companyId) });
  return { accepted: true, reason: null, transaction: updated };
}

const handlers: Record<NetworkEventType, (ctx: Context) => Promise<NetworkEventOutcome>> = {
  clearing,
  incremental_authorization: incrementalAuthorization,
  reversal,
  expiry,
  force_post: forcePost,
  refund,
  refund_reversal: refundReversal,
};

/** Applies a message of the network. Outside a transaction, a clearing, reversal, expiry or refund
 * joins this process's batch (network-event-batch.ts), which leaves to this function's
 * one-at-a-time path whatever it does not apply itself. */
export async function applyNetworkEvent(db: Db, event: NetworkEvent, now: Date): Promise<NetworkEventOutcome> {
  if (db.isTransaction || !batchableEventTypes.has(event.type)) return applyNetworkEventAlone(db, event, now);
  return batcherOf(db).submit({ event, now });
}

/** One message in its own transaction. */
export async function applyNetworkEventAlone(db: Db, event: NetworkEvent, now: Date): Promise<NetworkEventOutcome> {
  const companyId = await findCompanyOfCard(db, event.cardId);
  if (!companyId) throw notFound('card');
  return changingCardTransactions(db, async (trx) => {
    const seen = await txRepo.findNetworkEvent(trx, companyId, event.id);
    if (seen) {
      checkRepeatTerms(event.id, seen.request_terms, networkEventTerms(event));
      const transaction = await txRepo.findTransaction(trx, companyId, seen.transaction_id);
      const outcome = seen.outcome as { accepted: boolean; reason: string | null };
      return { accepted: outcome.accepted, reason: outcome.reason, transaction: transaction ?? null };
    }
    const outcome = await handlers[event.type]({ trx, companyId, event, now });
    if (outcome.transaction) {
      await txRepo.insertNetworkEvent(trx, {
        company_id: companyId,
        id: newId('networkEvent'),
        network_event_id: event.id,
        transaction_id: outcome.transaction.id,
        type: event.type,
        merchant_amount: null,
        wallet_amount: outcome.transaction.settled_amount ?? outcome.transaction.wallet_amount,
        outcome: JSON.stringify({ accepted: outcome.accepted, reason: outcome.reason }),
        request_terms: networkEventTerms(event),
      });
    }
    await recordNetworkEventWebhook(trx, companyId, event.type, outcome, now);
    return outcome;
  });
}

/** Lifecycle messages are batched as purchases are (defaultAuthorizationBatching), on their
 * own batcher: a batch of clearings never waits for a batch of purchases to be decided. */
const batchers = new WeakMap<Db, GroupCommitBatcher<EventMember, NetworkEventOutcome>>();

function batcherOf(db: Db): GroupCommitBatcher<EventMember, NetworkEventOutcome> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new GroupCommitBatcher<EventMember, NetworkEventOutcome>({
      ...defaultAuthorizationBatching,
      runBatch: async (members) => {
        try {
          const results = await changingCardTransactions(db, (trx) => applyEventBatch(trx, flagsOf(db), members));
          networkEventBatchMetrics.applied(members.length);
          return results;
        } catch (error) {
          networkEventBatchMetrics.failed();
          throw error;
        }
      },
      runAlone: ({ event, now }) => applyNetworkEventAlone(db, event, now),
    });
    batchers.set(db, batcher);
  }
  return batcher;
}

/** How many expired holds one sweep releases at most; the next sweep takes the rest. */
export const holdExpirySweepMax = 500;

/** Expires card holds whose time is up, and their transactions. The expiries are sent to the
 * lifecycle batcher together, so most are applied many per transaction (one at a time for a
 * company kept on the standard engine). */
export async function expireCardHolds(db: Db, now: Date): Promise<number> {
  // The ledger knows which holds are due; each names its card transaction as its cause.
  const due = await listDuePending(db, cardTransactionCause, now, holdExpirySweepMax);
  const rows = await txRepo.findTransactionsOfCompanies(db, due.map((item) => ({ companyId: item.companyId, id: item.causeId })));
  const outcomes = await Promise.allSettled(
    rows
      .filter((row) => row.state === 'pending')
      .map((row) => applyNetworkEvent(db, { id: `outlay-expiry-${row.id}`, type: 'expiry', cardId: row.card_id, transactionNetworkId: row.network_id, occurredAt: now }, now)),
  );
  let expired = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') expired++;
    // Cleared or reversed since it was listed: nothing left to expire.
    else if (!(outcome.reason instanceof DomainError && outcome.reason.code === 'card_state_invalid')) throw outcome.reason;
  }
  return expired;
}
