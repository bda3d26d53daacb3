// Card words as people read them: kinds, statuses, transaction states and decline reasons.
import type { CancelReason, CardKind, CardStatus, CardTransaction, CardTransactionState, Channel, LimitPeriod, MerchantCategoryGroup, ReplaceReason } from '../api/types';

export const cardKindLabels: Record<CardKind, string> = {
  virtual: 'Virtual',
  single_use: 'Single-use',
  vendor: 'Vendor',
  physical: 'Physical',
};

export const cardStatusLabels: Record<CardStatus, string> = {
  inactive: 'Not activated',
  active: 'Active',
  frozen: 'Frozen',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export const cancelReasonLabels: Record<CancelReason, string> = {
  lost: 'Lost',
  stolen: 'Stolen',
  damaged: 'Damaged',
  no_longer_needed: 'No longer needed',
};

export const replaceReasonLabels: Record<ReplaceReason, string> = {
  lost: 'Lost',
  stolen: 'Stolen',
  damaged: 'Damaged',
  expiring: 'Expiring soon',
};

export const channelLabels: Record<Channel, string> = {
  online: 'Online',
  in_person: 'In person (chip and PIN)',
  contactless: 'Contactless',
  atm: 'ATM',
};

export const categoryGroupLabels: Record<MerchantCategoryGroup, string> = {
  restaurants: 'Restaurants',
  groceries: 'Groceries',
  airlines: 'Airlines',
  car_rental: 'Car rental',
  hotels: 'Hotels',
  travel: 'Travel',
  transport: 'Transport',
  fuel: 'Fuel',
  atm: 'ATM',
  cash: 'Cash',
  software: 'Software',
  office: 'Office supplies',
  telecom: 'Telecom',
  advertising: 'Advertising',
  entertainment: 'Entertainment',
  gambling: 'Gambling',
  professional_services: 'Professional services',
};

/** ISO weekdays: 1 is Monday. */
export const weekdayLabels: Record<string, string> = { 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri', 6: 'Sat', 7: 'Sun' };

/** Purchases need no label; the other kinds change how a row reads. */
export const transactionKindLabels: Record<CardTransaction['kind'], string | null> = {
  purchase: null,
  atm_withdrawal: 'ATM withdrawal',
  refund: 'Refund',
  force_post: 'Forced booking',
};

export const transactionStateLabels: Record<CardTransactionState, string> = {
  pending: 'Pending',
  settled: 'Settled',
  declined: 'Declined',
  reversed: 'Reversed',
  expired: 'Expired',
  refund_reversed: 'Refund reversed',
};

export const periodLabels: Record<LimitPeriod, string> = {
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
  yearly: 'Yearly',
  lifetime: 'Lifetime',
};

/** The reasons authorize.ts returns, in its precedence order, as plain words. */
const declineReasonLabels: Record<string, string> = {
  card_not_found: 'Unknown card',
  card_not_active: 'The card is not activated',
  card_frozen: 'The card is frozen',
  card_cancelled: 'The card is cancelled',
  card_expired: 'The card has expired',
  single_use_card_used: 'The single-use card was already used',
  vendor_card_used_elsewhere: 'The vendor card was used at another merchant',
  merchant_not_allowed: 'This merchant is not allowed',
  category_blocked: 'This kind of merchant is blocked',
  country_blocked: 'Purchases in this country are blocked',
  channel_blocked: 'This way of paying is blocked',
  outside_allowed_time: 'Outside the allowed days or hours',
  over_per_purchase_limit: 'Over the per-purchase limit',
  insufficient_funds: 'Not enough money in the company wallet',
  currency_not_supported: 'The currency is not supported',
};

export function declineReasonText(transaction: Pick<CardTransaction, 'declineReason' | 'declinePeriod'>): string {
  const { declineReason: reason, declinePeriod: period } = transaction;
  if (reason === null) return 'Declined';
  if (reason === 'over_period_limit') {
    return period ? `Over the ${periodLabels[period].toLowerCase()} limit` : 'Over a spending limit';
  }
  // A reason the app does not know yet is shown as sent, with its underscores as spaces.
  return declineReasonLabels[reason] ?? reason.replaceAll('_', ' ');
}

export function formatExpiry(month: number, year: number): string {
  return `${String(month).padStart(2, '0')}/${String(year % 100).padStart(2, '0')}`;
}
