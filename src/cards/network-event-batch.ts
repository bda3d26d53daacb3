// The network's lifecycle messages that arrive together applied together, in one database
// transaction (group commit, as authorizations are: authorization-batch.ts). A batch takes the
// two messages that follow nearly every approval: the clearing of a purchase within its hold
// (all of it, or less, the rest released) and the reversal of all of it; the expiries of
// holds whose time is up, which the hold sweep sends many at a time; and the refund of a
// cleared purchase of its card, within what it has left to refund, in the wallet's currency
// (planRefundInBatch in card-refunds.service.ts). Everything else (a merchant credit, a
// clearing above the hold or after it was released, a partial reversal, which places a new
// hold, a single-use card's clearing, which spends the card, a repeat, and the other types) is
// left to the one-at-a-time path, which runs after the batch has ended.
//
// The batch reads which company each card is of (one statement), what is recorded under the
// message ids (one), and locks the transactions (one, company then id order: the first lock
// every lifecycle message takes, so batches in several processes never deadlock). It settles
// the holds and books the refunds through the ledger (settlePendingMany: transfers, entries
// and postings in one statement each, and the accounts changed once each, last) and writes the
// transactions, the refunds and the messages' records in one statement each. A batch with a
// refund also reads what the purchases have had refunded and locks the refunds' cards (one
// statement each), after the transactions, as the one-at-a-time path does.
//
// Messages about different transactions that arrive together have no order of their own: the
// batch applies those it keeps before those it leaves alone. Where a wallet runs low that can
// show, as it would had they arrived in that order: a clearing left alone (above its hold) may
// record a smaller shortfall, or a partial reversal left alone find room for its new hold,
// when a release or refund that came after it was applied in the batch. The outcome of
// each member equals what the one-at-a-time path gives for the same messages in the same
// order (network-event-batch.property.test.ts).
import type { Db } from '../db/database.js';
import type { FeatureFlags } from '../flags/feature-flags.js';
import type { Insertable } from 'kysely';
import type { CardTransactionsTable } from '../db/schema.js';
import { cardSpendAccount, walletAccount } from '../ledger/chart-of-accounts.js';
import { findAccountsByCodes, settlePendingMany, type EntryInput, type PendingSettlement } from '../ledger/ledger.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import type { GroupResult } from '../shared/group-commit.js';
import { newId } from '../shared/ids.js';
import { authorizationEngineOf } from './authorization-parts.js';
import { planRefundInBatch, type RefundInBatch } from './card-refunds.service.js';
import { loadCardSettingsMany } from './card-settings.service.js';
import { lockCardsByRoute } from './cards.repository.js';
import * as txRepo from './card-transactions.repository.js';
import { recordNetworkEventWebhooks } from './card-webhooks.js';
import { merchantAmountOf, type NetworkEvent, type NetworkEventOutcome } from './network-event-context.js';
import { networkEventTerms } from './network-message-terms.js';
import { findCardsOfProcessor } from './processor.repository.js';
import { quoteInWalletCurrency } from './wallet-conversion.js';

export interface EventMember {
  event: NetworkEvent;
  now: Date;
}

export type EventResult = GroupResult<NetworkEventOutcome>;

/** A member the batch applies: what it does to the transaction and to its hold, and how much
 * it gives back to the wallet's available funds (the hold less what it books). */
interface Planned {
  index: number;
  /** The transaction the message is about (for a refund, the purchase it refunds). */
  tx: txRepo.CardTransactionRow;
  /** What a lifecycle message changes of it; null for a refund, which adds a row instead. */
  change: txRepo.TransactionOutcomeChange | null;
  settlement: PendingSettlement | null;
  /** A refund's row and its entry. */
  refund: { row: Insertable<CardTransactionsTable>; entry: EntryInput } | null;
  released: bigint;
}

/** The types a batch applies; the rest always go one at a time. */
export const batchableEventTypes: ReadonlySet<NetworkEvent['type']> = new Set(['clearing', 'reversal', 'expiry', 'refund']);
const batchable = (event: NetworkEvent) => batchableEventTypes.has(event.type);

/** A clearing within an open hold: books what it names, releases the rest. */
async function planClearing(trx: Db, member: EventMember, index: number, tx: txRepo.CardTransactionRow, markup: () => Promise<number>): Promise<Planned | 'alone'> {
  const { event } = member;
  if (tx.kind === 'refund' || tx.state === 'declined' || tx.state === 'settled') {
    throw new DomainError('card_state_invalid', `a ${tx.state} ${tx.kind} cannot be cleared`);
  }
  if (tx.state !== 'pending' || !tx.hold_id) return 'alone';
  const merchantAmount = merchantAmountOf(event, tx.merchant_currency);
  const quoted =
    tx.merchant_currency === tx.wallet_currency
      ? { amount: merchantAmount, rate: null }
      : await quoteInWalletCurrency(trx, { amount: merchantAmount, currency: tx.merchant_currency, walletCurrency: tx.wallet_currency, on: event.occurredAt, markupBasisPoints: await markup() });
  // No rate, nothing to book, or more than the hold: the one-at-a-time path says or books it.
  if (!quoted || quoted.amount <= 0n || quoted.amount > tx.wallet_amount) return 'alone';
  return {
    index,
    tx,
    refund: null,
    settlement: { companyId: tx.company_id, id: tx.hold_id, post: { amount: quoted.amount, description: `Card purchase: ${tx.merchant_name}` } },
    released: tx.wallet_amount - quoted.amount,
    // The shortfall is filled in once the wallet's figures are known.
    change: { companyId: tx.company_id, id: tx.id, state: 'settled', settled: { amount: quoted.amount, merchantAmount, fxRate: quoted.rate, at: event.occurredAt, shortfall: 0n } },
  };
}

/** A reversal of everything authorized: the hold released whole. */
function planReversal(member: EventMember, index: number, tx: txRepo.CardTransactionRow): Planned | 'alone' {
  const { event } = member;
  if (tx.state !== 'pending') throw new DomainError('card_state_invalid', `a ${tx.state} transaction cannot be reversed`);
  const reversed = event.amount === undefined ? tx.merchant_amount : merchantAmountOf(event, tx.merchant_currency);
  if (reversed > tx.merchant_amount) throw new DomainError('validation_failed', 'a reversal cannot exceed what was authorized', 'amount');
  if (reversed !== tx.merchant_amount) return 'alone';
  return {
    index,
    tx,
    refund: null,
    settlement: tx.hold_id ? { companyId: tx.company_id, id: tx.hold_id, post: null } : null,
    released: tx.hold_id ? tx.wallet_amount : 0n,
    change: { companyId: tx.company_id, id: tx.id, state: 'reversed' },
  };
}

/** The expiry of a hold whose time is up (the sweep's own message): released whole, as a
 * reversal of all of it, but recorded as expired. */
function planExpiry(member: EventMember, index: number, tx: txRepo.CardTransactionRow): Planned {
  if (tx.state !== 'pending') throw new DomainError('card_state_invalid', `a ${tx.state} transaction cannot expire`);
  return {
    index,
    tx,
    refund: null,
    settlement: tx.hold_id ? { companyId: tx.company_id, id: tx.hold_id, post: null, release: 'expired' } : null,
    released: tx.hold_id ? tx.wallet_amount : 0n,
    change: { companyId: tx.company_id, id: tx.id, state: 'expired' },
  };
}

/** What a batchable member does, by its type. */
async function planMember(trx: Db, member: EventMember, index: number, tx: txRepo.CardTransactionRow, markup: () => Promise<number>): Promise<Planned | 'alone'> {
  if (member.event.type === 'clearing') return planClearing(trx, member, index, tx, markup);
  if (member.event.type === 'expiry') return planExpiry(member, index, tx);
  return planReversal(member, index, tx);
}

/** Finds the members this batch applies, answers those it cannot apply at all, and leaves the
 * rest alone. Locks the transactions of the members it keeps. */
async function planMembers(trx: Db, flags: FeatureFlags, members: readonly EventMember[], results: (EventResult | undefined)[]): Promise<Planned[]> {
  const cards = await findCardsOfProcessor(trx, members.map((member) => member.event.cardId));
  // A company the authorization-engine flag keeps on the standard engine has its lifecycle
  // messages applied one at a time as well.
  const batched = new Set<string>();
  for (const { companyId } of cards.values()) if (!batched.has(companyId) && (await authorizationEngineOf(flags, companyId)) === 'batched') batched.add(companyId);
  const recorded = await txRepo.findNetworkEvents(
    trx,
    members.flatMap(({ event }) => {
      const card = cards.get(event.cardId);
      return card ? [{ companyId: card.companyId, networkEventId: event.id }] : [];
    }),
  );
  // Members are taken in arrival order. One left alone runs after the batch, so a later member
  // with its message id or about its transaction goes alone too, behind it: a repeat, a second
  // message about a purchase, or one that follows a message of another type, each sees what
  // the one before it did, as one at a time.
  const aloneIds = new Set(recorded.map((row) => `${row.company_id}/${row.network_event_id}`));
  const aloneTransactions = new Set<string>();
  const keptIds = new Set<string>();
  const keptTransactions = new Set<string>();
  const kept: { index: number; companyId: string; networkId: string }[] = [];
  // A refund reversal names the refund, not the purchase: a later refund of the company goes
  // alone behind it, since it may refund the same purchase and must see what the reversal gave back.
  const reversingRefunds = new Set<string>();
  members.forEach(({ event }, index) => {
    const card = cards.get(event.cardId);
    if (!card) {
      results[index] = batchable(event) ? { error: notFound('card') } : { alone: true };
      return;
    }
    const id = `${card.companyId}/${event.id}`;
    const transaction = event.transactionNetworkId === undefined ? null : `${card.companyId}/${event.transactionNetworkId}`;
    const follows = aloneIds.has(id) || keptIds.has(id) || (transaction !== null && (aloneTransactions.has(transaction) || keptTransactions.has(transaction)));
    const refundAlone = event.type === 'refund' && (!event.transactionNetworkId || reversingRefunds.has(card.companyId));
    if (event.type === 'refund_reversal') reversingRefunds.add(card.companyId);
    if (!batchable(event) || card.kind === 'single_use' || !batched.has(card.companyId) || follows || refundAlone) {
      results[index] = { alone: true };
      aloneIds.add(id);
      if (transaction) aloneTransactions.add(transaction);
    } else if (!event.transactionNetworkId) {
      results[index] = { error: new DomainError('validation_failed', `a ${event.type} names the transaction it is about`, 'transactionId') };
    } else {
      kept.push({ index, companyId: card.companyId, networkId: event.transactionNetworkId });
      keptIds.add(id);
      keptTransactions.add(transaction!);
    }
  });
  return planKept(trx, members, kept, results);
}

/** Plans the members kept for the batch, on their transactions (locked here). */
async function planKept(trx: Db, members: readonly EventMember[], kept: readonly { index: number; companyId: string; networkId: string }[], results: (EventResult | undefined)[]): Promise<Planned[]> {
  const locked = new Map((await txRepo.lockByNetworkIds(trx, kept)).map((row) => [`${row.company_id}/${row.network_id}`, row]));
  const found: { index: number; tx: txRepo.CardTransactionRow }[] = [];
  for (const { index, companyId, networkId } of kept) {
    const { event } = members[index]!;
    const tx = locked.get(`${companyId}/${networkId}`);
    // A refund that names no purchase of its card is a merchant credit: the one-at-a-time path books it.
    if (!tx || tx.card_id !== event.cardId) results[index] = event.type === 'refund' ? { alone: true } : { error: notFound('card transaction') };
    else found.push({ index, tx });
  }
  const refunds = await readForRefunds(trx, members, found);
  const settings = new Map<string, Promise<number>>();
  const markupOf = (companyId: string) => () => {
    if (!settings.has(companyId)) settings.set(companyId, loadCardSettingsMany(trx, [companyId]).then((read) => read.get(companyId)!.fx_markup_basis_points));
    return settings.get(companyId)!;
  };
  const planned: Planned[] = [];
  for (const { index, tx } of found) {
    const member = members[index]!;
    let plan: Planned | 'alone';
    try {
      plan = member.event.type === 'refund' ? planRefund(index, tx, refunds.get(index) ?? 'alone') : await planMember(trx, member, index, tx, markupOf(tx.company_id));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results[index] = { error };
      continue;
    }
    if (plan === 'alone') results[index] = { alone: true };
    else planned.push(plan);
  }
  return planned;
}

/** A refund of a purchase of its card: booked in the batch in the common case (planRefundInBatch). */
function planRefund(index: number, tx: txRepo.CardTransactionRow, facts: RefundInBatch | 'alone'): Planned | 'alone' {
  const plan = facts === 'alone' ? 'alone' : planRefundInBatch(facts);
  if (plan === 'alone') return 'alone';
  return { index, tx, change: null, settlement: null, refund: { row: plan.row, entry: plan.entry }, released: plan.refund };
}

/**
 * What the batch's refunds need beyond their purchases: what each purchase has had refunded so
 * far, the refunds' cards, locked (after the transactions, as the one-at-a-time path locks a
 * refund's card) with their companies' currencies, and the wallet and card-spend accounts.
 */
async function readForRefunds(trx: Db, members: readonly EventMember[], found: readonly { index: number; tx: txRepo.CardTransactionRow }[]): Promise<Map<number, RefundInBatch | 'alone'>> {
  const asks = found.filter(({ index }) => members[index]!.event.type === 'refund');
  if (asks.length === 0) return new Map();
  const refunded = await txRepo.refundedSoFarOf(trx, asks.map(({ tx }) => ({ companyId: tx.company_id, id: tx.id })));
  const cards = new Map((await lockCardsByRoute(trx, asks.map(({ tx }) => tx.card_id))).map((read) => [read.card.id, read]));
  const accounts = await findAccountsByCodes(trx, asks.map(({ tx }) => tx.company_id), [walletAccount.code, cardSpendAccount.code]);
  return new Map<number, RefundInBatch | 'alone'>(
    asks.map(({ index, tx }): [number, RefundInBatch | 'alone'] => {
      const card = cards.get(tx.card_id);
      const wallet = accounts.get(`${tx.company_id}/${walletAccount.code}`);
      const spend = accounts.get(`${tx.company_id}/${cardSpendAccount.code}`);
      if (!card || card.card.company_id !== tx.company_id || !wallet || !spend) return [index, 'alone'];
      const { event, now } = members[index]!;
      return [index, { event, now, tied: tx, refunded: refunded.get(`${tx.company_id}/${tx.id}`) ?? { merchant: 0n, wallet: 0n }, card: card.card, walletCurrency: card.currency, accounts: { walletId: wallet.id, spendId: spend.id } }];
    }),
  );
}

/** The batch's transaction rows: lifecycle changes in one statement, new refunds in another,
 * and the refunded purchases' expenses marked to follow. Returns each member's row, in order. */
async function writeTransactions(trx: Db, planned: readonly Planned[]): Promise<txRepo.CardTransactionRow[]> {
  const changed = await txRepo.updateTransactionOutcomes(trx, planned.flatMap((plan) => (plan.change ? [plan.change] : [])));
  const refunds = await txRepo.insertTransactions(trx, planned.flatMap((plan) => (plan.refund ? [plan.refund.row] : [])));
  // The purchase's expense follows its refunds (src/expenses/expense-sync.ts).
  await txRepo.markExpensesUnsyncedOf(trx, planned.flatMap((plan) => (plan.refund ? [{ companyId: plan.tx.company_id, id: plan.tx.id }] : [])));
  let [nextChanged, nextRefund] = [0, 0];
  return planned.map((plan) => (plan.change ? changed[nextChanged++]! : refunds[nextRefund++]!));
}

/** Applies the members it can within the caller's transaction; a result for every member.
 * Throws when the batch cannot commit as a whole: the caller then applies each on its own. */
export async function applyEventBatch(trx: Db, flags: FeatureFlags, members: readonly EventMember[]): Promise<EventResult[]> {
  const results: (EventResult | undefined)[] = new Array(members.length);
  const planned = await planMembers(trx, flags, members, results);
  if (planned.length === 0) return results as EventResult[];
  // Each batch has one "now": its members arrived together.
  const now = members[planned[0]!.index]!.now;
  const settlements = planned.filter((plan) => plan.settlement !== null);
  const entries = planned.flatMap((plan) => (plan.refund ? [plan.refund.entry] : []));
  const { wallets } = await settlePendingMany(trx, settlements.map((plan) => plan.settlement!), now, entries);
  // The wallet as each member in turn left it: what the one-at-a-time path records as its
  // shortfall (how far a forced booking took the wallet below zero).
  const available = new Map([...wallets].map(([companyId, wallet]) => [companyId, wallet.available]));
  for (const plan of planned) available.set(plan.tx.company_id, (available.get(plan.tx.company_id) ?? 0n) - plan.released);
  for (const plan of planned) {
    const after = (available.get(plan.tx.company_id) ?? 0n) + plan.released;
    available.set(plan.tx.company_id, after);
    if (plan.change?.settled) plan.change.settled.shortfall = after < 0n ? -after : 0n;
  }
  const updated = await writeTransactions(trx, planned);
  await txRepo.insertNetworkEvents(
    trx,
    planned.map((plan, position) => {
      const { event } = members[plan.index]!;
      const row = updated[position]!;
      return {
        company_id: row.company_id,
        id: newId('networkEvent'),
        network_event_id: event.id,
        transaction_id: row.id,
        type: event.type,
        merchant_amount: null,
        wallet_amount: row.settled_amount ?? row.wallet_amount,
        outcome: JSON.stringify({ accepted: true, reason: null }),
        request_terms: networkEventTerms(event),
      };
    }),
  );
  planned.forEach((plan, position) => {
    results[plan.index] = { outcome: { accepted: true, reason: null, transaction: updated[position]! } };
  });
  // Webhook endpoints hear of them in this transaction, as of a message applied on its own.
  await recordNetworkEventWebhooks(
    trx,
    planned.map((plan, position) => ({ companyId: updated[position]!.company_id, type: members[plan.index]!.event.type, outcome: { accepted: true, transaction: updated[position]! } })),
    now,
  );
  return results as EventResult[];
}
