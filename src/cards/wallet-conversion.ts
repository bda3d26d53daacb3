// What a purchase in the merchant's currency costs in the wallet's: the day's reference rate
// with the company's markup, or the amount itself when the currencies agree.
import type { Db } from '../db/database.js';
import { convert } from '../fx/convert.js';
import { findRate } from '../fx/fx.service.js';
import { DomainError } from '../shared/errors.js';

export interface WalletQuote {
  /** Wallet currency, minor units. */
  amount: bigint;
  /** The applied rate (markup included), or null when no conversion took place. */
  rate: string | null;
}

export async function quoteInWalletCurrency(
  db: Db,
  params: { amount: bigint; currency: string; walletCurrency: string; on: Date; markupBasisPoints: number },
): Promise<WalletQuote | null> {
  if (params.currency === params.walletCurrency) return { amount: params.amount, rate: null };
  let rate: string;
  try {
    rate = (await findRate(db, params.currency, params.walletCurrency, params.on.toISOString().slice(0, 10))).rate;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'fx_rate_missing') return null;
    throw error;
  }
  const converted = convert(params.amount, params.currency, params.walletCurrency, rate, params.markupBasisPoints);
  return { amount: converted.amount, rate: converted.appliedRate };
}
