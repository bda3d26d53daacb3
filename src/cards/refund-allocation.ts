// How much of a refund the card network sends is a refund of the purchase it names, and how
// much is a standalone merchant credit (flagged, with why). A purchase can be refunded up to
// what it cleared less its earlier refunds, in its own (merchant) currency: that is what the
// network moved. Checked in a fixed order; the first reason that applies wins.
import type { MerchantCreditReason } from '../db/schema.js';

export const merchantCreditReasons = [
  // The message names no original transaction.
  'original_not_named',
  // It names one that is not a transaction of this card (nor of this company).
  'original_not_found',
  // The original is not a cleared purchase: declined, still pending, reversed, or a refund.
  'original_not_refundable',
  // The refund is in another currency than the purchase was.
  'currency_mismatch',
  // Beyond what the purchase cleared less its earlier refunds.
  'exceeds_refundable',
] as const satisfies readonly MerchantCreditReason[];

export type { MerchantCreditReason };

/** The purchase a refund names, as far as the decision needs it. */
export interface RefundOriginal {
  kind: 'purchase' | 'atm_withdrawal' | 'refund' | 'force_post';
  state: 'declined' | 'pending' | 'settled' | 'reversed' | 'expired' | 'refund_reversed';
  /** Whether it is a transaction of the card the refund is for. */
  sameCard: boolean;
  merchantCurrency: string;
  /** What it cleared, in its merchant currency. */
  clearedMerchantAmount: bigint;
  /** What earlier refunds (not reversed) gave back of it, in its merchant currency. */
  refundedMerchantAmount: bigint;
}

export interface RefundAsk {
  amount: bigint;
  currency: string;
  /** undefined: the message names no original; null: the one it names does not exist. */
  original: RefundOriginal | null | undefined;
}

export interface RefundAllocation {
  /** The part that refunds the original, in the merchant's currency. */
  refund: bigint;
  /** The rest: a standalone merchant credit. */
  credit: bigint;
  /** Why there is a credit; null when the whole amount refunds the original. */
  creditReason: MerchantCreditReason | null;
}

const standalone = (amount: bigint, creditReason: MerchantCreditReason): RefundAllocation => ({ refund: 0n, credit: amount, creditReason });

export function allocateRefund(ask: RefundAsk): RefundAllocation {
  if (ask.amount < 0n) throw new RangeError('a refund is not negative');
  const { original } = ask;
  if (original === undefined) return standalone(ask.amount, 'original_not_named');
  if (original === null || !original.sameCard) return standalone(ask.amount, 'original_not_found');
  if ((original.kind !== 'purchase' && original.kind !== 'force_post') || original.state !== 'settled') return standalone(ask.amount, 'original_not_refundable');
  if (original.merchantCurrency !== ask.currency) return standalone(ask.amount, 'currency_mismatch');
  const remaining = original.clearedMerchantAmount - original.refundedMerchantAmount;
  const refund = remaining <= 0n ? 0n : ask.amount < remaining ? ask.amount : remaining;
  const credit = ask.amount - refund;
  return { refund, credit, creditReason: credit > 0n ? 'exceeds_refundable' : null };
}

/**
 * The refund's wallet amount (what the network credits, at the day's rate) split the same
 * way. The refunded part is the merchant part at that rate, but never more than the purchase
 * booked less its earlier refunds, so that an expense never goes below zero; whatever the
 * rate gives beyond that is an exchange-rate gain, kept with the credit part.
 */
export function splitWalletAmount(input: { walletAmount: bigint; refundQuoted: bigint; walletRefundable: bigint }): { refund: bigint; credit: bigint } {
  const cap = input.walletRefundable < 0n ? 0n : input.walletRefundable;
  let refund = input.refundQuoted < cap ? input.refundQuoted : cap;
  if (refund > input.walletAmount) refund = input.walletAmount;
  return { refund, credit: input.walletAmount - refund };
}
