// The rules a journal entry and an account balance obey, as pure functions: the service
// applies them before writing, `ledger verify` and the property tests check them after.
import type { AccountType } from '../db/schema.js';

export interface PostingLine {
  accountId: string;
  /** Minor units: positive debits, negative credits. */
  amount: bigint;
  currency: string;
}

export interface AccountBalances {
  type: AccountType;
  noOverdraft: boolean;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

/** Postings an entry may have at most: far more than any Outlay booking needs. */
export const entryPostingsMax = 100;

export type EntryCheck =
  | { ok: true }
  | { ok: false; code: 'too_few_postings' | 'too_many_postings' | 'zero_posting' | 'unbalanced'; detail: string };

/** Checks an entry's shape in a fixed order and returns the first rule it breaks. */
export function checkEntry(postings: readonly PostingLine[]): EntryCheck {
  if (postings.length < 2) {
    return { ok: false, code: 'too_few_postings', detail: `an entry needs at least 2 postings, got ${postings.length}` };
  }
  if (postings.length > entryPostingsMax) {
    return { ok: false, code: 'too_many_postings', detail: `an entry may have at most ${entryPostingsMax} postings` };
  }
  const zero = postings.findIndex((posting) => posting.amount === 0n);
  if (zero >= 0) return { ok: false, code: 'zero_posting', detail: `posting ${zero + 1} has a zero amount` };
  for (const [currency, sum] of sumsByCurrency(postings)) {
    if (sum !== 0n) {
      return { ok: false, code: 'unbalanced', detail: `postings in ${currency} sum to ${sum}, not zero` };
    }
  }
  return { ok: true };
}

export function sumsByCurrency(postings: readonly PostingLine[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const posting of postings) sums.set(posting.currency, (sums.get(posting.currency) ?? 0n) + posting.amount);
  return sums;
}

/** Assets and expenses grow with debits; liabilities, equity and income with credits. */
export function isDebitNormal(type: AccountType): boolean {
  return type === 'asset' || type === 'expense';
}

/** The posted balance, signed so that a normal balance is positive. */
export function postedBalance(account: AccountBalances): bigint {
  const net = account.debitsPosted - account.creditsPosted;
  return isDebitNormal(account.type) ? net : -net;
}

/** The posted balance less what pending transfers have reserved against it. */
export function availableBalance(account: AccountBalances): bigint {
  const reserved = isDebitNormal(account.type) ? account.creditsPending : account.debitsPending;
  return postedBalance(account) - reserved;
}

/** Applies a posted amount (positive debit, negative credit) to an account's balances. */
export function applyPosted(account: AccountBalances, amount: bigint): AccountBalances {
  return amount > 0n
    ? { ...account, debitsPosted: account.debitsPosted + amount }
    : { ...account, creditsPosted: account.creditsPosted - amount };
}

/** Whether an account whose funds must not go below zero would be overdrawn. */
export function isOverdrawn(account: AccountBalances): boolean {
  return account.noOverdraft && availableBalance(account) < 0n;
}

/**
 * Whether an entry overdraws an account whose funds must not go below zero: it leaves the
 * account below zero and lower than it found it. An entry that brings money back to an account
 * already below zero (a refund into a wallet that a clearing above its hold overdrew) makes it
 * less overdrawn, and is never refused for it.
 */
export function overdraws(before: AccountBalances, after: AccountBalances): boolean {
  return isOverdrawn(after) && availableBalance(after) < availableBalance(before);
}
