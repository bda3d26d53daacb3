import { describe, expect, it } from 'vitest';
import { authorize, declineReasons, type AuthorizationAsk, type CardForDecision, type CardStatus, type DecisionContext, type Decision, type DeclineReason } from './authorize.js';
import type { MerchantCategoryGroup } from './merchant-categories.js';
import { noControls, type Channel, type Period, type SpendControls } from './spend-controls.js';

// Wednesday 2026-11-18 10:30 in Copenhagen (UTC+1).
const at = new Date('2026-11-18T09:30:00Z');
const zeroSpent = { daily: 0n, weekly: 0n, monthly: 0n, yearly: 0n, lifetime: 0n };

const card = (overrides: Partial<CardForDecision> = {}, controls: Partial<SpendControls> = {}): CardForDecision => ({
  status: 'active',
  singleUse: false,
  singleUseSpent: false,
  expiresAt: new Date('2029-11-30T23:59:59Z'),
  vendorLock: null,
  controls: { ...noControls, ...controls },
  ...overrides,
});

const ask = (overrides: Partial<AuthorizationAsk> = {}): AuthorizationAsk => ({
  amount: 1_250n,
  merchant: { id: 'm-1', name: 'Café Nord', mcc: '5814', country: 'DK' },
  channel: 'in_person',
  at,
  ...overrides,
});

const context = (c: CardForDecision | null, overrides: Partial<DecisionContext> = {}): DecisionContext => ({
  card: c,
  spent: zeroSpent,
  walletAvailable: 100_000n,
  budgets: [],
  timeZone: 'Europe/Copenhagen',
  ...overrides,
});

// The precedence table: one row per decline reason, in the order authorize() checks them.
// A row names the fields it changes from `passing`, a purchase that passes every rule with
// every control set, and the decision it expects. Alone, a row breaks only its own rule; with
// every later row's change added it breaks all the later rules too, and its reason must still
// win. Rows change separate fields (but for the card's one status), so adding later rows
// never mends the rule a row breaks.

/** The inputs of one decision, flat, so that a row names only what it changes. */
interface Purchase {
  cardExists: boolean;
  status: CardStatus;
  expiresAt: Date;
  singleUseSpent: boolean;
  /** The merchant a vendor card is locked to. */
  vendorMerchantId: string;
  allowedCategories: MerchantCategoryGroup[];
  blockedCategories: MerchantCategoryGroup[];
  merchantCountry: string;
  channel: Channel;
  at: Date;
  amount: bigint;
  spentToday: bigint;
  /** Left in the team's enforced budget. */
  budgetLeft: bigint;
  walletAvailable: bigint;
}

const passing: Purchase = {
  cardExists: true,
  status: 'active',
  expiresAt: new Date('2029-11-30T23:59:59Z'),
  singleUseSpent: false,
  vendorMerchantId: 'm-1',
  allowedCategories: ['restaurants'],
  blockedCategories: ['gambling'],
  merchantCountry: 'DK',
  channel: 'in_person',
  at,
  amount: 1_250n,
  spentToday: 0n,
  budgetLeft: 50_000n,
  walletAvailable: 100_000n,
};

/** A single-use vendor card with every control, and a purchase at café m-1 (MCC 5814). */
function decide(purchase: Purchase): Decision {
  const controls: Partial<SpendControls> = {
    perPurchaseMax: 5_000n,
    limits: { daily: 6_000n },
    categories: { allow: purchase.allowedCategories, block: purchase.blockedCategories },
    countries: { allow: ['DK'], block: ['RU'] },
    channels: ['in_person'],
    weekdays: [1, 2, 3, 4, 5],
    hours: { from: 8, to: 18 },
  };
  const vendorLock = { merchantId: purchase.vendorMerchantId, merchantName: null, mcc: null };
  const decidedCard = card({ status: purchase.status, expiresAt: purchase.expiresAt, singleUse: true, singleUseSpent: purchase.singleUseSpent, vendorLock }, controls);
  return authorize(
    context(purchase.cardExists ? decidedCard : null, { spent: { ...zeroSpent, daily: purchase.spentToday }, budgets: [{ remaining: 1_000_000n }, { remaining: purchase.budgetLeft }], walletAvailable: purchase.walletAvailable }),
    ask({ amount: purchase.amount, merchant: { id: 'm-1', name: 'Café Nord', mcc: '5814', country: purchase.merchantCountry }, channel: purchase.channel, at: purchase.at }),
  );
}

const declined = (reason: DeclineReason, period?: Period): Decision => (period ? { approved: false, reason, period } : { approved: false, reason });
// Sunday 2026-11-22, 12:00 in Copenhagen: a weekend, inside the allowed hours.
const sunday = new Date('2026-11-22T11:00:00Z');

const rows: [name: string, change: Partial<Purchase>, decision: Decision][] = [
  ['no such card', { cardExists: false }, declined('card_not_found')],
  ['a card not yet activated', { status: 'inactive' }, declined('card_not_active')],
  ['a frozen card', { status: 'frozen' }, declined('card_frozen')],
  ['a cancelled card', { status: 'cancelled' }, declined('card_cancelled')],
  ['a card past its expiry', { expiresAt: new Date('2026-10-31T23:59:59Z') }, declined('card_expired')],
  ['a single-use card already used', { singleUseSpent: true }, declined('single_use_card_used')],
  ['a vendor card at another merchant', { vendorMerchantId: 'm-2' }, declined('vendor_card_used_elsewhere')],
  ['a category outside the allowed ones', { allowedCategories: ['airlines'] }, declined('merchant_not_allowed')],
  ['an allowed category that is also blocked', { blockedCategories: ['restaurants'] }, declined('category_blocked')],
  ['a blocked country', { merchantCountry: 'RU' }, declined('country_blocked')],
  ['a channel the card does not allow', { channel: 'atm' }, declined('channel_blocked')],
  ['a day the card does not allow', { at: sunday }, declined('outside_allowed_time')],
  ['one unit over the per-purchase maximum', { amount: 5_001n }, declined('over_per_purchase_limit')],
  ['one unit over the daily limit', { spentToday: 4_751n }, declined('over_period_limit', 'daily')],
  ['one unit more than an enforced budget has left', { budgetLeft: 1_249n }, declined('over_budget')],
  ['one unit more than the wallet holds', { walletAvailable: 1_249n }, declined('insufficient_funds')],
];

/** The row's change on top of every later row's: its rule and all later ones broken. */
const withLaterRulesBroken = (index: number): Purchase =>
  Object.assign({}, passing, ...rows.slice(index + 1).map(([, change]) => change).reverse(), rows[index]![1]);

describe('authorize', () => {
  it('has a row for every decline reason, in precedence order', () => {
    expect(rows.map(([, , decision]) => (decision.approved ? 'approved' : decision.reason))).toEqual([...declineReasons]);
  });

  it('changes separate fields in each row, but the card\'s one status', () => {
    const fields = rows.flatMap(([, change]) => Object.keys(change)).filter((field) => field !== 'status');
    expect(fields).toEqual([...new Set(fields)]);
  });

  it('approves the purchase every row starts from', () => {
    expect(decide(passing)).toEqual({ approved: true });
  });

  it.each(rows)('declines %s for its own reason', (_name, change, decision) => {
    expect(decide({ ...passing, ...change })).toEqual(decision);
  });

  it.each(rows.map((row, index) => [row[0], index] as const))('declines %s for its own reason, though every later rule breaks too', (_name, index) => {
    expect(decide(withLaterRulesBroken(index))).toEqual(rows[index]![2]);
  });

  it('approves exactly up to the available funds and the limits', () => {
    const ctx = context(card({}, { limits: { monthly: 10_000n } }), { walletAvailable: 4_000n, spent: { ...zeroSpent, monthly: 6_000n } });
    expect(authorize(ctx, ask({ amount: 4_000n }))).toEqual({ approved: true });
    expect(authorize(ctx, ask({ amount: 4_001n }))).toMatchObject({ approved: false, reason: 'over_period_limit', period: 'monthly' });
  });

  it('approves exactly up to what every enforced budget has left', () => {
    const ctx = context(card(), { budgets: [{ remaining: 9_000n }, { remaining: 4_000n }] });
    expect(authorize(ctx, ask({ amount: 4_000n }))).toEqual({ approved: true });
    expect(authorize(ctx, ask({ amount: 4_001n }))).toEqual({ approved: false, reason: 'over_budget' });
    // An overspent budget (clearings above their holds) declines any purchase.
    expect(authorize(context(card(), { budgets: [{ remaining: -1n }] }), ask({ amount: 1n }))).toEqual({ approved: false, reason: 'over_budget' });
  });

  it('names the first period whose limit the purchase would break', () => {
    const ctx = context(card({}, { limits: { weekly: 5_000n, yearly: 1_000n } }), { spent: { ...zeroSpent, weekly: 4_000n, yearly: 900n } });
    expect(authorize(ctx, ask({ amount: 1_001n }))).toEqual({ approved: false, reason: 'over_period_limit', period: 'weekly' });
  });

  it('matches a vendor card by name and MCC when it has no merchant id', () => {
    const lock = { merchantId: null, merchantName: 'figma', mcc: '5734' };
    const ctx = context(card({ vendorLock: lock }));
    expect(authorize(ctx, ask({ merchant: { id: null, name: 'FIGMA.COM*Subscription', mcc: '5734', country: 'US' } }))).toEqual({ approved: true });
    expect(authorize(ctx, ask({ merchant: { id: null, name: 'FIGMA.COM', mcc: '5812', country: 'US' } }))).toMatchObject({ reason: 'vendor_card_used_elsewhere' });
  });

  it('judges allowed hours and weekdays on the company clock, not UTC', () => {
    const ctx = context(card({}, { hours: { from: 9, to: 17 } }));
    // 08:30 UTC is 09:30 in Copenhagen (winter): allowed there, though before 09:00 in UTC.
    expect(authorize(ctx, ask({ at: new Date('2026-11-18T08:30:00Z') }))).toEqual({ approved: true });
    expect(authorize(ctx, ask({ at: new Date('2026-11-18T16:30:00Z') }))).toMatchObject({ reason: 'outside_allowed_time' });
  });

  it('refuses purchases outside the validity window', () => {
    const ctx = context(card({}, { validFrom: new Date('2026-12-01T00:00:00Z'), validUntil: null }));
    expect(authorize(ctx, ask())).toMatchObject({ reason: 'outside_allowed_time' });
  });
});
