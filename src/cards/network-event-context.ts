// What every handler of a network message works with (network-events.service.ts,
// card-refunds.service.ts): the message, its transaction, the wallet and card-spend accounts,
// a quote in the wallet's currency, and how far a forced booking took the wallet below zero.
import type { Db } from '../db/database.js';
import { cardSpendAccount } from '../ledger/chart-of-accounts.js';
import { ensureAccount, getWallet } from '../ledger/ledger.service.js';
import { parseAmount } from '../money/money.js';
import { DomainError } from '../shared/errors.js';
import type { Merchant } from './authorize.js';
import type * as txRepo from './card-transactions.repository.js';
import { loadCardSettings } from './card-settings.service.js';
import type { Channel } from './spend-controls.js';
import { quoteInWalletCurrency } from './wallet-conversion.js';

export const networkEventTypes = ['clearing', 'incremental_authorization', 'reversal', 'expiry', 'force_post', 'refund', 'refund_reversal'] as const;
export type NetworkEventType = (typeof networkEventTypes)[number];

export interface NetworkEvent {
  /** The network's id of this message: a repeat with the same id changes nothing. */
  id: string;
  type: NetworkEventType;
  cardId: string;
  /** The authorization this message is about: for a refund, the purchase it refunds (when
   * the network names it); for a refund_reversal, the refund. */
  transactionNetworkId?: string;
  amount?: string;
  currency?: string;
  merchant?: Merchant;
  channel?: Channel;
  occurredAt: Date;
  /** A refund beyond what its purchase has left to refund: booked as a flagged merchant credit
   * (the network's messages, which cannot be refused after the fact: the default), or refused
   * (the simulator, where an admin presses Refund). */
  excessRefund?: 'credit' | 'refuse';
}

export interface NetworkEventOutcome {
  accepted: boolean;
  /** Why an increment was declined, or why a message could not apply. */
  reason: string | null;
  transaction: txRepo.CardTransactionRow | null;
}

export interface Context {
  trx: Db;
  companyId: string;
  event: NetworkEvent;
  now: Date;
}

export async function accounts(trx: Db, companyId: string, currency: string) {
  const wallet = (await getWallet(trx, companyId)).account;
  const spend = await ensureAccount(trx, { companyId, currency, ...cardSpendAccount });
  return { wallet, spend };
}

export function merchantAmountOf(event: NetworkEvent, currency: string): bigint {
  if (event.currency !== undefined && event.currency !== currency) {
    throw new DomainError('currency_mismatch', `the transaction is in ${currency}, the message in ${event.currency}`, 'currency');
  }
  return parseAmount(event.amount, currency);
}

export async function quote(ctx: Context, amount: bigint, currency: string, walletCurrency: string) {
  const settings = await loadCardSettings(ctx.trx, ctx.companyId);
  const quoted = await quoteInWalletCurrency(ctx.trx, {
    amount,
    currency,
    walletCurrency,
    on: ctx.event.occurredAt,
    markupBasisPoints: settings.fx_markup_basis_points,
  });
  if (!quoted) throw new DomainError('fx_rate_missing', `no exchange rate from ${currency} to ${walletCurrency}`);
  return quoted;
}

/** How far below zero the wallet went: what a forced booking could not be covered by. */
export async function walletShortfall(trx: Db, companyId: string): Promise<bigint> {
  const { available } = await getWallet(trx, companyId);
  return available < 0n ? -available : 0n;
}
