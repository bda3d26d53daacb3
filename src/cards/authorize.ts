// The authorization decision: a pure function of the card, its controls, what it has spent,
// the wallet's available funds and the request. It checks in one fixed order and returns
// the first reason to decline, as TigerBeetle's create_transfer returns a result code.
//
// Order: the card itself (exists, issued and activated, not frozen, cancelled or expired,
// single-use not spent), then where it is used (vendor lock, allowed and blocked categories,
// country, channel,
// time), then how much (per purchase, period limits, the company's enforced budgets over the
// cardholder and their team), and the wallet last, so a decline
// never tells a merchant about the company's balance when any other rule already fails.
import { inGroup, type MerchantCategoryGroup } from './merchant-categories.js';
import { localTime } from '../companies/company-calendar.js';
import { periods, type Channel, type Period, type SpendControls } from './spend-controls.js';

export const declineReasons = [
  'card_not_found',
  'card_not_active',
  'card_frozen',
  'card_cancelled',
  'card_expired',
  'single_use_card_used',
  'vendor_card_used_elsewhere',
  'merchant_not_allowed',
  'category_blocked',
  'country_blocked',
  'channel_blocked',
  'outside_allowed_time',
  'over_per_purchase_limit',
  'over_period_limit',
  'over_budget',
  'insufficient_funds',
] as const;
export type DeclineReason = (typeof declineReasons)[number];

export type CardStatus = 'inactive' | 'active' | 'frozen' | 'cancelled' | 'expired';

export interface VendorLock {
  merchantId: string | null;
  merchantName: string | null;
  mcc: string | null;
}

export interface CardForDecision {
  status: CardStatus;
  singleUse: boolean;
  /** A single-use card that has already made its purchase. */
  singleUseSpent: boolean;
  /** Last day of the expiry month, end of day UTC. */
  expiresAt: Date;
  vendorLock: VendorLock | null;
  controls: SpendControls;
}

export interface Merchant {
  id: string | null;
  name: string;
  mcc: string;
  country: string;
}

export interface AuthorizationAsk {
  /** In the wallet's currency, minor units, after any conversion. */
  amount: bigint;
  merchant: Merchant;
  channel: Channel;
  at: Date;
}

export interface DecisionContext {
  card: CardForDecision | null;
  /** What the card spent so far in each period that contains `at`, wallet minor units: at
   * least every period the card has a limit for (limitedPeriods). */
  spent: Partial<Record<Period, bigint>>;
  walletAvailable: bigint;
  /** What each enforced budget over the purchase (its person's, its team's) has left in the
   * period of the purchase, wallet minor units; empty when none is enforced. */
  budgets: readonly { remaining: bigint }[];
  timeZone: string;
}

export type Decision =
  | { approved: true }
  | { approved: false; reason: DeclineReason; period?: Period };

const decline = (reason: DeclineReason, period?: Period): Decision => (period ? { approved: false, reason, period } : { approved: false, reason });

function normaliseName(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '');
}

function vendorMatches(lock: VendorLock, merchant: Merchant): boolean {
  if (lock.merchantId) return lock.merchantId === merchant.id;
  const nameOk = !lock.merchantName || normaliseName(merchant.name).includes(normaliseName(lock.merchantName));
  const mccOk = !lock.mcc || lock.mcc === merchant.mcc;
  return nameOk && mccOk;
}

function anyGroup(mcc: string, groups: readonly MerchantCategoryGroup[]): boolean {
  return groups.some((group) => inGroup(mcc, group));
}

function timeAllowed(controls: SpendControls, at: Date, timeZone: string): boolean {
  if (controls.validFrom && at < controls.validFrom) return false;
  if (controls.validUntil && at >= controls.validUntil) return false;
  if (!controls.weekdays && !controls.hours) return true;
  const local = localTime(at, timeZone);
  if (controls.weekdays && !controls.weekdays.includes(local.weekday)) return false;
  if (controls.hours && (local.hour < controls.hours.from || local.hour >= controls.hours.to)) return false;
  return true;
}

export function authorize(context: DecisionContext, ask: AuthorizationAsk): Decision {
  const { card } = context;
  if (!card) return decline('card_not_found');
  if (card.status === 'inactive') return decline('card_not_active');
  if (card.status === 'frozen') return decline('card_frozen');
  if (card.status === 'cancelled') return decline('card_cancelled');
  if (card.status === 'expired' || ask.at > card.expiresAt) return decline('card_expired');
  if (card.singleUse && card.singleUseSpent) return decline('single_use_card_used');
  if (card.vendorLock && !vendorMatches(card.vendorLock, ask.merchant)) return decline('vendor_card_used_elsewhere');

  const { controls } = card;
  // Outside the card's allowed categories the merchant is not allowed at all; inside them,
  // a blocked group still wins.
  if (controls.categories.allow !== null && !anyGroup(ask.merchant.mcc, controls.categories.allow)) return decline('merchant_not_allowed');
  if (anyGroup(ask.merchant.mcc, controls.categories.block)) return decline('category_blocked');
  const country = ask.merchant.country.toUpperCase();
  if (controls.countries.block.includes(country)) return decline('country_blocked');
  if (controls.countries.allow !== null && !controls.countries.allow.includes(country)) return decline('country_blocked');
  if (controls.channels !== null && !controls.channels.includes(ask.channel)) return decline('channel_blocked');
  if (!timeAllowed(controls, ask.at, context.timeZone)) return decline('outside_allowed_time');

  if (controls.perPurchaseMax !== null && ask.amount > controls.perPurchaseMax) return decline('over_per_purchase_limit');
  for (const period of periods) {
    const limit = controls.limits[period];
    if (limit === undefined) continue;
    const spent = context.spent[period];
    // A caller that read too few periods is a defect, never an approval.
    if (spent === undefined) throw new Error(`the card's ${period} spend was not read, though it has a ${period} limit`);
    if (spent + ask.amount > limit) return decline('over_period_limit', period);
  }
  if (context.budgets.some((budget) => ask.amount > budget.remaining)) return decline('over_budget');
  if (ask.amount > context.walletAvailable) return decline('insufficient_funds');
  return { approved: true };
}
