// How card transactions look in the API: their schema and the presentation of a transaction
// with its receipt's state. Receipts (src/receipts) present the purchase a receipt is for so.
import { Type } from 'typebox';
import { iso } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import type { CardTransactionRow, CardTransactionWithReceipt } from './card-transactions.service.js';
import { merchantCreditReasons } from './refund-allocation.js';
import { periods } from './spend-controls.js';

/** Where a receipt's reading disagrees with the purchase or expense it is attached to
 * (src/receipts/receipt-check.ts), as receipts, purchases and expenses show it. */
export const ReceiptMismatchSchema = Type.Object(
  {
    field: Type.String({ enum: ['amount', 'date', 'merchant'] }),
    reason: Type.String({ description: 'What the receipt shows and what was claimed, e.g. "the receipt says MYR 27.56, the purchase was EUR 23.50"' }),
  },
  { $id: 'ReceiptMismatch' },
);

/** A refund as its purchase (and the purchase's expense) shows it. */
export const CardRefundSchema = Type.Object(
  {
    transactionId: Type.String(),
    amount: Type.Ref('Money', { description: 'What refunds the purchase, in the wallet\'s currency' }),
    merchantAmount: Type.Ref('Money', { description: 'The same in the merchant\'s currency' }),
    state: Type.String({ enum: ['settled', 'refund_reversed'] }),
    occurredAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'CardRefund' },
);

export function presentCardRefund(row: CardTransactionRow) {
  return {
    transactionId: row.id,
    amount: toMoneyJson(row.refunded_amount ?? 0n, row.wallet_currency),
    merchantAmount: toMoneyJson(row.refunded_merchant_amount ?? 0n, row.merchant_currency),
    state: row.state,
    occurredAt: iso(row.occurred_at),
  };
}

function refundFields(row: CardTransactionRow & { refunds?: readonly CardTransactionRow[] }) {
  const refund = row.kind === 'refund';
  const credit = refund ? (row.settled_amount ?? row.wallet_amount) - (row.refunded_amount ?? 0n) : 0n;
  return {
    refundOf: row.refund_of,
    refunded: refund && row.refund_of ? toMoneyJson(row.refunded_amount ?? 0n, row.wallet_currency) : null,
    merchantCredit: refund && credit > 0n ? { amount: toMoneyJson(credit, row.wallet_currency), reason: row.merchant_credit_reason } : null,
    refunds: (row.refunds ?? []).filter((item) => (item.refunded_amount ?? 0n) > 0n).map(presentCardRefund),
  };
}

export const CardTransactionSchema = Type.Object(
  {
    id: Type.String(),
    cardId: Type.String(),
    userId: Type.String(),
    kind: Type.String({ enum: ['purchase', 'atm_withdrawal', 'refund', 'force_post'] }),
    state: Type.String({ enum: ['declined', 'pending', 'settled', 'reversed', 'expired', 'refund_reversed'] }),
    declineReason: Type.Union([Type.String(), Type.Null()]),
    declinePeriod: Type.Union([Type.String({ enum: [...periods] }), Type.Null()], { description: 'The limit\'s period when declineReason is over_period_limit' }),
    merchant: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.String(), mcc: Type.String(), country: Type.String() }),
    channel: Type.String(),
    merchantAmount: Type.Ref('Money', { description: 'In the merchant\'s currency' }),
    walletAmount: Type.Ref('Money', { description: 'In the wallet\'s currency: held while pending, booked once settled' }),
    fxRate: Type.Union([Type.String(), Type.Null()]),
    shortfall: Type.Union([Type.Ref('Money'), Type.Null()], { description: 'How far a forced booking took the wallet below zero' }),
    occurredAt: Type.String({ format: 'date-time' }),
    settledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    refundOf: Type.Union([Type.String(), Type.Null()], { description: 'A refund: the purchase it names (on the same card), whose expense it reduces' }),
    refunded: Type.Union([Type.Ref('Money'), Type.Null()], { description: 'A refund: the part that refunds refundOf, never more than it cleared less its earlier refunds' }),
    merchantCredit: Type.Union([
      Type.Object({
        amount: Type.Ref('Money'),
        reason: Type.Union([Type.String({ enum: [...merchantCreditReasons] }), Type.Null()], { description: 'Why it is flagged; null for an exchange-rate gain on a refund, or a refund from before refunds were tied to purchases' }),
      }),
      Type.Null(),
    ], { description: 'A refund: the part that is a standalone merchant credit, not a refund of a purchase of ours' }),
    refunds: Type.Array(Type.Ref('CardRefund'), { description: 'A purchase: the refunds that name it, oldest first' }),
    receipt: Type.Object(
      {
        state: Type.String({ enum: ['attached', 'lost', 'missing', 'not_required'] }),
        receiptId: Type.Union([Type.String(), Type.Null()]),
        lostNote: Type.Union([Type.String(), Type.Null()]),
        mismatches: Type.Array(Type.Ref('ReceiptMismatch'), { description: 'Where the attached receipt disagrees with the purchase; empty when it agrees' }),
        mismatchNote: Type.Union([Type.String(), Type.Null()], { description: 'Why the cardholder attached a receipt that disagrees' }),
      },
      { description: 'missing: the purchase still needs its receipt; not_required: declined, reversed, refunds, ATM, or under the company\'s receipt threshold' },
    ),
  },
  { $id: 'CardTransaction' },
);

/** A transaction; its refunds when the caller read them (card-transactions.service.ts). */
export function presentCardTransaction(row: CardTransactionWithReceipt & { refunds?: readonly CardTransactionRow[] }) {
  const booked = row.settled_amount ?? row.wallet_amount;
  return {
    id: row.id,
    cardId: row.card_id,
    userId: row.user_id,
    kind: row.kind,
    state: row.state,
    declineReason: row.decline_reason,
    declinePeriod: row.decline_period,
    merchant: { id: row.merchant_id, name: row.merchant_name, mcc: row.mcc, country: row.merchant_country },
    channel: row.channel,
    merchantAmount: toMoneyJson(row.settled_merchant_amount ?? row.merchant_amount, row.merchant_currency),
    walletAmount: toMoneyJson(booked, row.wallet_currency),
    fxRate: row.fx_rate,
    shortfall: row.shortfall > 0n ? toMoneyJson(row.shortfall, row.wallet_currency) : null,
    occurredAt: iso(row.occurred_at),
    settledAt: row.settled_at ? iso(row.settled_at) : null,
    ...refundFields(row),
    receipt: {
      state: row.receipt_state,
      receiptId: row.receipt_id,
      lostNote: row.lost_note,
      mismatches: row.receipt_mismatches as { field: string; reason: string }[],
      mismatchNote: row.receipt_note,
    },
  };
}
