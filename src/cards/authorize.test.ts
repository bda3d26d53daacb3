import { describe, expect, it } from 'vitest';
import { authorize, declineReasons, type AuthorizationAsk, type CardForDecision, type DecisionContext, type Decision } from './authorize.js';
import { noControls, type SpendControls } from './spend-controls.js';

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
  timeZone: 'Europe/Copenhagen',
  ...overrides,
});

// One row per decline reason, in precedence order. Each row's case also breaks every rule
// that comes after it, so the row proves that its reason wins over all later ones.
const breaksEverythingLater = { amount: 10_000_000n, merchant: { id: 'm-9', name: 'Casino Royale', mcc: '7995', country: 'RU' }, channel: 'atm' as const };
const strictControls: Partial<SpendControls> = {
  perPurchaseMax: 5_000n,
  limits: { daily: 6_000n },
  categories: { allow: ['restaurants'], block: ['gambling'] },
  countries: { allow: ['DK'], block: ['RU'] },
  channels: ['in_person'],
  weekdays: [1, 2, 3, 4, 5],
  hours: { from: 8, to: 18 },
};

const rows: [string, DecisionContext, AuthorizationAsk, Decision][] = [
  ['card_not_found', context(null), ask(breaksEverythingLater), { approved: false, reason: 'card_not_found' }],
  ['card_not_active', context(card({ status: 'inactive', singleUse: true, singleUseSpent: true }, strictControls)), ask(breaksEverythingLater), { approved: false, reason: 'card_not_active' }],
  ['card_frozen', context(card({ status: 'frozen', singleUse: true, singleUseSpent: true }, strictControls)), ask(breaksEverythingLater), { approved: false, reason: 'card_frozen' }],
  ['card_cancelled', context(card({ status: 'cancelled' }, strictControls)), ask(breaksEverythingLater), { approved: false, reason: 'card_cancelled' }],
  ['card_expired', context(card({ expiresAt: new Date('2026-10-31T23:59:59Z'), singleUse: true, singleUseSpent: true }, strictControls)), ask(breaksEverythingLater), { approved: false, reason: 'card_expired' }],
  ['single_use_card_used', context(card({ singleUse: true, singleUseSpent: true, vendorLock: { merchantId: 'other', merchantName: null, mcc: null } }, strictControls)), ask(breaksEverythingLater), { approved: false, reason: 'single_use_card_used' }],
  ['vendor_card_used_elsewhere', context(card({ vendorLock: { merchantId: 'm-1', merchantName: null, mcc: null } }, strictControls)), ask(breaksEverythingLater), { approved: false, reason: 'vendor_card_used_elsewhere' }],
  ['merchant_not_allowed', context(card({}, strictControls)), ask(breaksEverythingLater), { approved: false, reason: 'merchant_not_allowed' }],
  ['category_blocked', context(card({}, { ...strictControls, categories: { allow: null, block: ['gambling'] } })), ask(breaksEverythingLater), { approved: false, reason: 'category_blocked' }],
  ['country_blocked', context(card({}, strictControls)), ask({ ...breaksEverythingLater, merchant: { id: 'm-1', name: 'Café Nord', mcc: '5814', country: 'RU' } }), { approved: false, reason: 'country_blocked' }],
  ['channel_blocked', context(card({}, strictControls)), ask({ amount: 10_000_000n, channel: 'online', at: new Date('2026-11-22T23:00:00Z') }), { approved: false, reason: 'channel_blocked' }],
  ['outside_allowed_time', context(card({}, strictControls), { walletAvailable: 0n }), ask({ amount: 10_000_000n, at: new Date('2026-11-22T11:00:00Z') }), { approved: false, reason: 'outside_allowed_time' }],
  ['over_per_purchase_limit', context(card({}, strictControls), { walletAvailable: 0n }), ask({ amount: 5_001n }), { approved: false, reason: 'over_per_purchase_limit' }],
  ['over_period_limit', context(card({}, strictControls), { walletAvailable: 0n, spent: { ...zeroSpent, daily: 2_000n } }), ask({ amount: 4_001n }), { approved: false, reason: 'over_period_limit', period: 'daily' }],
  ['insufficient_funds', context(card({}, strictControls), { walletAvailable: 3_999n }), ask({ amount: 4_000n }), { approved: false, reason: 'insufficient_funds' }],
];

describe('authorize', () => {
  it('has a row for every decline reason, in precedence order', () => {
    expect(rows.map(([reason]) => reason)).toEqual([...declineReasons]);
  });

  it.each(rows)('declines with %s, ahead of every later rule', (_reason, ctx, request, decision) => {
    expect(authorize(ctx, request)).toEqual(decision);
  });

  it('approves a purchase within every control', () => {
    expect(authorize(context(card({}, strictControls)), ask({ amount: 5_000n }))).toEqual({ approved: true });
  });

  it('approves exactly up to the available funds and the limits', () => {
    const ctx = context(card({}, { limits: { monthly: 10_000n } }), { walletAvailable: 4_000n, spent: { ...zeroSpent, monthly: 6_000n } });
    expect(authorize(ctx, ask({ amount: 4_000n }))).toEqual({ approved: true });
    expect(authorize(ctx, ask({ amount: 4_001n }))).toMatchObject({ approved: false, reason: 'over_period_limit', period: 'monthly' });
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
