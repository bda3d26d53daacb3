// A refund from the card network, tied to the purchase it names: within what that purchase
// cleared less its earlier refunds, it refunds the purchase (and so its expense); beyond it,
// or without a purchase of this card to tie it to, it is a standalone merchant credit, flagged
// with why (refund-allocation.ts decides). Each part is its own balanced ledger entry, in the
// transaction of the message. The purchase's row is locked first, so two refunds of one
// purchase apply one after the other and the second sees the first.
import type { Insertable } from 'kysely';
import { getCompany } from '../companies/companies.service.js';
import type { CardTransactionsTable } from '../db/schema.js';
import { postEntry, type EntryInput } from '../ledger/ledger.service.js';
import { formatAmount, parseAmount, parseCurrency } from '../money/money.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { cardTransactionCause, checkMerchant } from './authorization.service.js';
import type { Merchant } from './authorize.js';
import * as txRepo from './card-transactions.repository.js';
import { lockCard, type CardRow } from './cards.repository.js';
import { accounts, quote, type Context, type NetworkEventOutcome } from './network-event-context.js';
import { allocateRefund, splitWalletAmount, type RefundAllocation, type RefundOriginal } from './refund-allocation.js';

const merchantOfRow = (row: txRepo.CardTransactionRow): Merchant => ({ id: row.merchant_id, name: row.merchant_name, mcc: row.mcc, country: row.merchant_country });

/** The purchase the message names, locked: undefined when it names none, null when there is no such transaction in the company. */
async function lockOriginal(ctx: Context): Promise<txRepo.CardTransactionRow | null | undefined> {
  if (!ctx.event.transactionNetworkId) return undefined;
  return (await txRepo.lockByNetworkId(ctx.trx, ctx.companyId, ctx.event.transactionNetworkId)) ?? null;
}

function originalForDecision(row: txRepo.CardTransactionRow | null | undefined, cardId: string, refundedMerchant: bigint): RefundOriginal | null | undefined {
  if (!row) return row;
  return {
    kind: row.kind,
    state: row.state,
    sameCard: row.card_id === cardId,
    merchantCurrency: row.merchant_currency,
    clearedMerchantAmount: row.settled_merchant_amount ?? 0n,
    refundedMerchantAmount: refundedMerchant,
  };
}

const refusals: Record<NonNullable<RefundAllocation['creditReason']>, string> = {
  original_not_named: 'the refund names no purchase',
  original_not_found: 'the purchase is not one of this card',
  original_not_refundable: 'only a cleared purchase can be refunded',
  currency_mismatch: 'the refund is in another currency than the purchase',
  exceeds_refundable: 'the refund is more than the purchase has left to refund',
};

/** The message's amount; without one, what the purchase has left to refund (the simulator's Refund). */
function amountOf(event: Context['event'], currency: string, tied: txRepo.CardTransactionRow | null, refundedMerchant: bigint): bigint {
  if (event.amount === undefined && tied && tied.merchant_currency === currency) {
    const left = (tied.settled_merchant_amount ?? 0n) - refundedMerchant;
    return left > 0n ? left : (tied.settled_merchant_amount ?? tied.merchant_amount);
  }
  return parseAmount(event.amount, currency);
}

/** The refund's transaction row: settled at once, with what of it refunds the purchase. */
function refundRow(input: {
  event: Context['event'];
  id: string;
  card: Pick<CardRow, 'company_id' | 'id' | 'user_id'>;
  tied: txRepo.CardTransactionRow | null;
  merchant: Merchant;
  merchantAmount: bigint;
  currency: string;
  total: { amount: bigint; rate: string | null };
  walletCurrency: string;
  refunded: { wallet: bigint; merchant: bigint };
  creditReason: RefundAllocation['creditReason'];
}): Insertable<CardTransactionsTable> {
  const { event, tied, merchant } = input;
  return {
    company_id: input.card.company_id,
    id: input.id,
    network_id: event.id,
    card_id: input.card.id,
    user_id: input.card.user_id,
    kind: 'refund',
    state: 'settled',
    merchant_id: merchant.id,
    merchant_name: merchant.name,
    mcc: merchant.mcc,
    merchant_country: merchant.country.toUpperCase(),
    channel: event.channel ?? tied?.channel ?? 'in_person',
    merchant_amount: input.merchantAmount,
    merchant_currency: input.currency,
    wallet_amount: input.total.amount,
    settled_amount: input.total.amount,
    settled_merchant_amount: input.merchantAmount,
    wallet_currency: input.walletCurrency,
    fx_rate: input.total.rate,
    occurred_at: event.occurredAt,
    settled_at: event.occurredAt,
    refund_of: tied?.id ?? null,
    refunded_amount: input.refunded.wallet,
    refunded_merchant_amount: input.refunded.merchant,
    merchant_credit_reason: input.creditReason,
  };
}

async function bookRefund(ctx: Context, input: { id: string; walletCurrency: string; refund: bigint; credit: bigint; merchantName: string; reason: string | null }) {
  const { wallet, spend } = await accounts(ctx.trx, ctx.companyId, input.walletCurrency);
  const cause = { type: cardTransactionCause, id: input.id };
  const parts = [
    { amount: input.refund, kind: 'card_refund', description: `Card refund: ${input.merchantName}` },
    { amount: input.credit, kind: 'card_merchant_credit', description: `Merchant credit${input.reason ? ` (${input.reason.replaceAll('_', ' ')})` : ''}: ${input.merchantName}` },
  ];
  for (const part of parts) {
    if (part.amount === 0n) continue;
    await postEntry(ctx.trx, {
      companyId: ctx.companyId,
      effectiveAt: ctx.now,
      kind: part.kind,
      description: part.description,
      cause,
      postings: [
        { accountId: spend.id, amount: -part.amount },
        { accountId: wallet.id, amount: part.amount },
      ],
    });
  }
}

export async function refund(ctx: Context): Promise<NetworkEventOutcome> {
  const { event } = ctx;
  // Lock order as everywhere: the (original) transaction, the card, then ledger accounts.
  const original = await lockOriginal(ctx);
  // Another card's purchase is never tied to; another company's is not found at all.
  const tied = original && original.card_id === event.cardId ? original : null;
  const merchant = event.merchant ?? (tied ? merchantOfRow(tied) : undefined);
  if (!merchant) throw new DomainError('validation_failed', 'a refund names its merchant or the purchase it refunds', 'merchant');
  checkMerchant(merchant);
  const currency = parseCurrency(event.currency ?? tied?.merchant_currency);
  const refunded = tied ? await txRepo.refundedSoFar(ctx.trx, ctx.companyId, tied.id) : { merchant: 0n, wallet: 0n };
  const merchantAmount = amountOf(event, currency, tied, refunded.merchant);
  const allocation = allocateRefund({ amount: merchantAmount, currency, original: originalForDecision(original, event.cardId, refunded.merchant) });
  if (allocation.creditReason && event.excessRefund === 'refuse') {
    const left = tied ? (tied.settled_merchant_amount ?? 0n) - refunded.merchant : 0n;
    throw new DomainError('refund_exceeds_purchase', `${refusals[allocation.creditReason]} (left to refund: ${formatAmount(left > 0n ? left : 0n, currency)} ${currency})`, 'amount');
  }
  const card = await lockCard(ctx.trx, ctx.companyId, event.cardId);
  if (!card) throw notFound('card');
  const company = await getCompany(ctx.trx, ctx.companyId);
  const total = await quote(ctx, merchantAmount, currency, company.currency);
  const refundQuoted = allocation.refund === merchantAmount ? total.amount : allocation.refund === 0n ? 0n : (await quote(ctx, allocation.refund, currency, company.currency)).amount;
  const wallet = splitWalletAmount({ walletAmount: total.amount, refundQuoted, walletRefundable: tied ? (tied.settled_amount ?? 0n) - refunded.wallet : 0n });
  const id = newId('cardTransaction');
  await bookRefund(ctx, { id, walletCurrency: company.currency, refund: wallet.refund, credit: wallet.credit, merchantName: merchant.name, reason: allocation.creditReason });
  const row = await txRepo.insertTransaction(
    ctx.trx,
    refundRow({ event, id, card, tied, merchant, merchantAmount, currency, total, walletCurrency: company.currency, refunded: { wallet: wallet.refund, merchant: allocation.refund }, creditReason: allocation.creditReason }),
  );
  // The purchase's expense follows its refunds (src/expenses/expense-sync.ts).
  if (tied && wallet.refund > 0n) await txRepo.markExpensesUnsyncedOf(ctx.trx, [{ companyId: ctx.companyId, id: tied.id }]);
  return { accepted: true, reason: null, transaction: row };
}

/** What a batch (network-event-batch.ts) needs to apply a refund beside other messages. */
export interface RefundInBatch {
  event: Context['event'];
  now: Date;
  /** The purchase the refund names, locked: one of the refund's card. */
  tied: txRepo.CardTransactionRow;
  refunded: { merchant: bigint; wallet: bigint };
  /** The refund's card, locked, and its company's currency (the wallet's). */
  card: Pick<CardRow, 'company_id' | 'id' | 'user_id'>;
  walletCurrency: string;
  accounts: { walletId: string; spendId: string };
}

/**
 * The refund the one-at-a-time path (refund above) books for the same message, as a row to
 * insert and an entry to post, when it is the common case: all of it refunds a purchase of the
 * wallet's currency. Anything else (a merchant credit, a refusal, an exchange rate, nothing
 * to refund, a message that does not parse) is left to that path: 'alone'.
 */
export function planRefundInBatch(input: RefundInBatch): { row: Insertable<CardTransactionsTable>; entry: EntryInput; refund: bigint } | 'alone' {
  const { event, tied, refunded } = input;
  try {
    const merchant = event.merchant ?? merchantOfRow(tied);
    checkMerchant(merchant);
    const currency = parseCurrency(event.currency ?? tied.merchant_currency);
    if (currency !== input.walletCurrency || tied.wallet_currency !== input.walletCurrency) return 'alone';
    const merchantAmount = amountOf(event, currency, tied, refunded.merchant);
    const allocation = allocateRefund({ amount: merchantAmount, currency, original: originalForDecision(tied, event.cardId, refunded.merchant) });
    if (allocation.creditReason || allocation.refund === 0n) return 'alone';
    const wallet = splitWalletAmount({ walletAmount: merchantAmount, refundQuoted: merchantAmount, walletRefundable: (tied.settled_amount ?? 0n) - refunded.wallet });
    if (wallet.credit !== 0n) return 'alone';
    const id = newId('cardTransaction');
    const total = { amount: merchantAmount, rate: null };
    return {
      row: refundRow({ event, id, card: input.card, tied, merchant, merchantAmount, currency, total, walletCurrency: input.walletCurrency, refunded: { wallet: wallet.refund, merchant: allocation.refund }, creditReason: null }),
      entry: {
        companyId: input.card.company_id,
        effectiveAt: input.now,
        kind: 'card_refund',
        description: `Card refund: ${merchant.name}`,
        cause: { type: cardTransactionCause, id },
        postings: [
          { accountId: input.accounts.spendId, amount: -wallet.refund },
          { accountId: input.accounts.walletId, amount: wallet.refund },
        ],
      },
      refund: wallet.refund,
    };
  } catch (error) {
    if (error instanceof DomainError) return 'alone';
    throw error;
  }
}

/** A refund the network takes back: both its parts go back to card spend, and the purchase it
 * refunded has that much left to refund again. */
export async function reverseRefund(ctx: Context, refundRow: txRepo.CardTransactionRow): Promise<void> {
  const { wallet, spend } = await accounts(ctx.trx, ctx.companyId, refundRow.wallet_currency);
  const amount = refundRow.settled_amount ?? refundRow.wallet_amount;
  await postEntry(ctx.trx, {
    companyId: ctx.companyId,
    effectiveAt: ctx.now,
    kind: 'card_refund_reversal',
    description: `Card refund reversed: ${refundRow.merchant_name}`,
    cause: { type: cardTransactionCause, id: refundRow.id },
    postings: [
      { accountId: spend.id, amount },
      { accountId: wallet.id, amount: -amount },
    ],
    allowOverdraft: true,
  });
  if (refundRow.refund_of && (refundRow.refunded_amount ?? 0n) > 0n) await txRepo.markExpensesUnsyncedOf(ctx.trx, [{ companyId: ctx.companyId, id: refundRow.refund_of }]);
}
