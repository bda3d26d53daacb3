// The batched authorization engine: purchases that arrive together are decided together, in
// one database transaction (group commit). A batch locks its cards (company, then card id:
// one order for every batch, so batches in several processes never deadlock), then the
// enforced budgets over their holders (budget id order), then the wallets and card-spend accounts of its companies (account id order, the ledger's), reads
// what it needs in a few set-based statements, decides each purchase in arrival order with
// the same pure decision as the one-at-a-time engine, carrying each approval's hold into the
// next decision in memory (the wallet's available funds, the card's spend per period, what
// each enforced budget has left), and
// writes holds, reservations and transactions with multi-row statements. Nobody is answered
// before the commit.
//
// The outcome of every member equals what deciding the same messages one at a time in the
// same order gives (authorization-batch.property.test.ts). A member of a company the flag
// keeps on the standard engine, and every member of a batch that failed as a whole (a
// repeat that another process recorded meanwhile, a deadline), is decided one at a time
// afterwards, so one bad message cannot fail the others.
import { lockBudgetRooms } from '../budgets/budgets.service.js';
import type { Db } from '../db/database.js';
import type { FeatureFlags } from '../flags/feature-flags.js';
import { cardSpendAccount } from '../ledger/chart-of-accounts.js';
import { createPendingMany, ensureAccount, lockWallets, type PendingInput } from '../ledger/ledger.service.js';
import type { Deadline } from '../shared/deadline.js';
import { GroupCommitBatcher, type GroupResult } from '../shared/group-commit.js';
import { notFound } from '../shared/errors.js';
import {
  authorizationEngineOf,
  cardTransactionCause,
  decide,
  holdExpiry,
  newTransaction,
  outcomeOf,
  repeatOutcome,
  type AuthorizationEngine,
  type AuthorizationOutcome,
  type CheckedRequest,
} from './authorization-parts.js';
import type { CardForDecision } from './authorize.js';
import { cardForDecision } from './card-for-authorization.service.js';
import { loadCardSettingsMany } from './card-settings.service.js';
import * as txRepo from './card-transactions.repository.js';
import { recordAuthorizationWebhooks } from './card-webhooks.js';
import { lockCardsByRoute, spentInPeriods, type CardWithCompany } from './cards.repository.js';
import { limitedPeriods, periods, periodStart, type Period } from './spend-controls.js';
import { quoteInWalletCurrency, type WalletQuote } from './wallet-conversion.js';

export interface BatchMember {
  request: CheckedRequest;
  merchantAmount: bigint;
  now: Date;
  deadline?: Deadline;
}

/** What the batch made of a member: its outcome, its own error, or "decide it one at a time". */
export type MemberResult = GroupResult<AuthorizationOutcome>;

/** Time an approval keeps for its COMMIT before its deadline (as the standard engine's). */
export const batchCommitMarginMs = 100;

/** An approval earlier in the batch, as the card's later purchases must count it. */
interface CarriedSpend {
  at: Date;
  amount: bigint;
}

type Row = Parameters<typeof txRepo.insertTransactions>[1][number];

/** The members sorted out: answered already (no card, a repeat of what is recorded), left to
 * the standard engine, repeats of an earlier member, and the fresh ones this batch decides. */
interface Sorted {
  results: (MemberResult | undefined)[];
  cards: Map<string, CardWithCompany>;
  fresh: number[];
  repeatOfMember: Map<number, number>;
}

async function sortMembers(trx: Db, flags: FeatureFlags, members: readonly BatchMember[]): Promise<Sorted> {
  const results: (MemberResult | undefined)[] = new Array(members.length);
  const cards = new Map((await lockCardsByRoute(trx, members.map((member) => member.request.cardId))).map((loaded) => [loaded.card.id, loaded]));
  const companyOf = (index: number) => cards.get(members[index]!.request.cardId)!.card.company_id;
  const engines = new Map<string, AuthorizationEngine>();
  for (const loaded of cards.values()) {
    if (!engines.has(loaded.card.company_id)) engines.set(loaded.card.company_id, await authorizationEngineOf(flags, loaded.card.company_id));
  }
  const ours: number[] = [];
  members.forEach((member, index) => {
    const loaded = cards.get(member.request.cardId);
    if (!loaded) results[index] = { outcome: { approved: false, declineReason: 'card_not_found', declinePeriod: null, transaction: null } };
    else if (engines.get(loaded.card.company_id) !== 'batched') results[index] = { alone: true };
    else ours.push(index);
  });
  const keys = ours.map((index) => ({ companyId: companyOf(index), networkId: members[index]!.request.networkId }));
  const recorded = new Map((await txRepo.findByNetworkIds(trx, keys)).map((row) => [`${row.company_id}/${row.network_id}`, row]));
  // Repeats of what is recorded are answered from the record; a repeat of a message earlier
  // in this batch, from that message's row once written.
  const firstInBatch = new Map<string, number>();
  const repeatOfMember = new Map<number, number>();
  const fresh: number[] = [];
  for (const index of ours) {
    const key = `${companyOf(index)}/${members[index]!.request.networkId}`;
    const existing = recorded.get(key);
    if (existing) results[index] = settle(() => repeatOutcome(existing, members[index]!.request));
    else if (firstInBatch.has(key)) repeatOfMember.set(index, firstInBatch.get(key)!);
    else {
      firstInBatch.set(key, index);
      fresh.push(index);
    }
  }
  return { results, cards, fresh, repeatOfMember };
}

/** A decided member's row, and the hold to place when it was approved. */
interface Decided {
  index: number;
  row: Row;
  hold: PendingInput | null;
}

/** What a purchase must know of its card's spend: the periods the card has a limit for. */
function spentAsk({ card, timeZone }: CardWithCompany, forDecision: CardForDecision, at: Date) {
  return { companyId: card.company_id, cardId: card.id, at, timeZone, periods: limitedPeriods(forDecision.controls) };
}

/** Decides the fresh members in arrival order, each seeing the holds of those before it. */
async function decideInOrder(trx: Db, members: readonly BatchMember[], sorted: Sorted): Promise<Decided[]> {
  const { cards, fresh, results } = sorted;
  const memberCard = (index: number) => cards.get(members[index]!.request.cardId)!;
  const companyIds = [...new Set(fresh.map((index) => memberCard(index).card.company_id))];
  const settings = await loadCardSettingsMany(trx, companyIds);
  // Locks in the engines' one order: cards (above), enforced budgets, then wallets.
  const budgets = await lockBudgetRooms(
    trx,
    fresh.map((index) => ({ companyId: memberCard(index).card.company_id, userId: memberCard(index).card.user_id, at: members[index]!.request.occurredAt, timeZone: memberCard(index).timeZone })),
  );
  const accounts = await lockFunding(trx, companyIds, cards);
  // Each card's controls parsed once, for what is read of its spend and for the decision.
  const forDecision = fresh.map((index) => cardForDecision(memberCard(index).card));
  const spent = await spentInPeriods(trx, fresh.map((index, position) => spentAsk(memberCard(index), forDecision[position]!, members[index]!.request.occurredAt)));
  const reserved = new Map<string, bigint>();
  const budgetUsed = new Map<string, bigint>();
  const carried = new Map<string, CarriedSpend[]>();
  const decided: Decided[] = [];
  for (const [position, index] of fresh.entries()) {
    const member = members[index]!;
    const { request } = member;
    const loaded = memberCard(index);
    const companyId = loaded.card.company_id;
    const companySettings = settings.get(companyId)!;
    const quote: WalletQuote | null = await quoteInWalletCurrency(trx, {
      amount: member.merchantAmount,
      currency: request.currency,
      walletCurrency: loaded.currency,
      on: request.occurredAt,
      markupBasisPoints: companySettings.fx_markup_basis_points,
    });
    const base = newTransaction(companyId, loaded.card, request, member.merchantAmount, loaded.currency);
    const wallet = accounts.wallets.get(companyId);
    if (!quote) decided.push({ index, row: { ...base, state: 'declined', decline_reason: 'currency_not_supported', wallet_amount: 0n }, hold: null });
    else if (!wallet) results[index] = { error: notFound('wallet') };
    else {
      const cardCarried = carried.get(loaded.card.id) ?? [];
      const decision = decide(
        {
          card: forDecision[position]!,
          spent: withCarried(spent[position]!, cardCarried, request.occurredAt, loaded.timeZone),
          budgets: budgets[position]!.map((room) => ({ remaining: room.remaining - (budgetUsed.get(room.key) ?? 0n) })),
          walletAvailable: wallet.available - (reserved.get(companyId) ?? 0n),
          timeZone: loaded.timeZone,
        },
        { amount: quote.amount, merchant: request.merchant, channel: request.channel, at: request.occurredAt },
      );
      if (!decision.approved) {
        const row: Row = { ...base, state: 'declined', decline_reason: decision.reason, decline_period: decision.period ?? null, wallet_amount: quote.amount, fx_rate: quote.rate };
        decided.push({ index, row, hold: null });
        continue;
      }
      reserved.set(companyId, (reserved.get(companyId) ?? 0n) + quote.amount);
      for (const room of budgets[position]!) budgetUsed.set(room.key, (budgetUsed.get(room.key) ?? 0n) + quote.amount);
      carried.set(loaded.card.id, [...cardCarried, { at: request.occurredAt, amount: quote.amount }]);
      const hold: PendingInput = {
        companyId,
        debitAccountId: accounts.spend.get(companyId)!.id,
        creditAccountId: wallet.account.id,
        amount: quote.amount,
        description: `Card hold: ${request.merchant.name}`,
        cause: { type: cardTransactionCause, id: base.id },
        expiresAt: holdExpiry(request.merchant.mcc, member.now, companySettings),
      };
      decided.push({ index, row: { ...base, state: 'pending', wallet_amount: quote.amount, fx_rate: quote.rate }, hold });
    }
  }
  return decided;
}

/** Places the holds and writes the rows, each kind in one statement; answers the members. */
async function writeDecided(trx: Db, members: readonly BatchMember[], sorted: Sorted, decided: readonly Decided[]): Promise<void> {
  const { results } = sorted;
  const holds = decided.filter((entry) => entry.hold !== null);
  const placed = await createPendingMany(trx, holds.map((entry) => entry.hold!));
  // The wallets are locked and every hold was decided against them: a refusal here means the
  // figures were wrong, and nothing of the batch may commit.
  if (!placed.reserved) throw new Error(`a batch of authorizations was refused by the ledger: ${placed.detail}`);
  holds.forEach((entry, position) => {
    entry.row.hold_id = placed.transfers[position]!.id;
  });
  const inserted = await txRepo.insertTransactions(trx, decided.map((entry) => entry.row));
  await recordAuthorizationWebhooks(trx, inserted, members[0]!.now);
  decided.forEach((entry, position) => {
    results[entry.index] = { outcome: outcomeOf(inserted[position]!) };
  });
  for (const [index, first] of sorted.repeatOfMember) {
    const answered = results[first]!;
    const row = 'outcome' in answered ? answered.outcome.transaction : null;
    results[index] = row ? settle(() => repeatOutcome(row, members[index]!.request)) : answered;
  }
}

/** Decides the members in arrival order within the caller's transaction. Throws when the
 * batch cannot commit as a whole; the caller then decides every member one at a time. */
export async function decideBatch(trx: Db, flags: FeatureFlags, members: readonly BatchMember[]): Promise<MemberResult[]> {
  const sorted = await sortMembers(trx, flags, members);
  if (sorted.fresh.length > 0 || sorted.repeatOfMember.size > 0) await writeDecided(trx, members, sorted, await decideInOrder(trx, members, sorted));
  // Last step before the commit: an approval whose network has stopped waiting must not
  // commit. The whole batch rolls back, and each member is decided again on its own deadline.
  for (const index of sorted.fresh) {
    const result = sorted.results[index]!;
    if ('outcome' in result && result.outcome.approved) members[index]!.deadline?.check(batchCommitMarginMs);
  }
  return sorted.results as MemberResult[];
}

function settle(answer: () => AuthorizationOutcome): MemberResult {
  try {
    return { outcome: answer() };
  } catch (error) {
    return { error };
  }
}

/** The recorded spend of each period plus the approvals earlier in the batch that fall in it. */
function withCarried(recorded: Partial<Record<Period, bigint>>, earlier: readonly CarriedSpend[], at: Date, timeZone: string): Partial<Record<Period, bigint>> {
  if (earlier.length === 0) return recorded;
  const sums = { ...recorded };
  for (const period of periods) {
    if (sums[period] === undefined) continue;
    const start = periodStart(period, at, timeZone);
    // The lifetime counts every approval, even one dated before its nominal start (1970).
    for (const approval of earlier) if (period === 'lifetime' || approval.at >= start) sums[period] = sums[period]! + approval.amount;
  }
  return sums;
}

/** The companies' wallets and card-spend accounts, locked; a spend account opened first where
 * a company has none yet (its first purchase). */
async function lockFunding(trx: Db, companyIds: readonly string[], cards: ReadonlyMap<string, CardWithCompany>) {
  let locked = await lockWallets(trx, companyIds, cardSpendAccount.code);
  const missing = companyIds.filter((companyId) => !locked.others.has(companyId));
  if (missing.length > 0) {
    const currencyOf = new Map([...cards.values()].map((loaded) => [loaded.card.company_id, loaded.currency]));
    for (const companyId of missing) await ensureAccount(trx, { companyId, currency: currencyOf.get(companyId)!, ...cardSpendAccount });
    locked = await lockWallets(trx, companyIds, cardSpendAccount.code);
  }
  return { wallets: locked.wallets, spend: locked.others };
}

/** The group-commit batcher of authorizations (src/shared/group-commit.ts). */
export class AuthorizationBatcher extends GroupCommitBatcher<BatchMember, AuthorizationOutcome> {}
