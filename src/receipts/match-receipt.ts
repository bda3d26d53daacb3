/**
 * Which card transaction a receipt belongs to. Pure: the receipt's fields and the person's
 * open transactions in, a decision out. Evidence, strongest first:
 * - amount: the receipt's total equals what the card paid, in the merchant's currency or the
 *   wallet's (a receipt in a foreign currency shows the merchant's amount); a total within
 *   `closeAmountShareMax` of it (a tip added at the terminal, a hotel bill below its hold)
 *   is weaker evidence;
 * - date: the printed date against the transaction's local date;
 * - merchant: how alike the printed name and the card network's descriptor are.
 * A receipt is attached without asking only when one transaction is clearly best; close
 * calls become suggestions for the person to confirm.
 */
import { parseAmount } from '../money/money.js';
import { normaliseMerchantName } from './merchant-name.js';

export interface ReceiptEvidence {
  /** Decimal string as read, e.g. "12.50". */
  total: string | null;
  currency: string | null;
  /** YYYY-MM-DD. */
  date: string | null;
  merchant: string | null;
}

export interface MatchCandidate {
  id: string;
  merchantName: string;
  merchantAmount: bigint;
  merchantCurrency: string;
  /** What the wallet paid (the hold while pending). */
  walletAmount: bigint;
  walletCurrency: string;
  /** The transaction's date in the company's time zone, YYYY-MM-DD. */
  localDate: string;
}

export type MatchReason = 'amount_exact' | 'amount_close' | 'same_day' | 'day_apart' | 'date_near' | 'merchant_alike';

export interface ScoredCandidate {
  transactionId: string;
  /** 0..1. */
  score: number;
  reasons: MatchReason[];
}

export type MatchDecision =
  | { decision: 'attach'; match: ScoredCandidate }
  | { decision: 'suggest'; suggestions: ScoredCandidate[] }
  | { decision: 'none' };

/** A total this close to the card amount (share of the card amount) is a possible match. */
export const closeAmountShareMax = 0.25;
/** Receipts dated further than this from the purchase are not considered at all. */
export const dateWindowDays = 7;
/** Attaching without asking needs this score... */
export const attachScoreMin = 0.8;
/** ...and this lead over the next best candidate. */
export const attachLeadMin = 0.15;
export const suggestionScoreMin = 0.35;
export const suggestionsMax = 3;
/** Names at least this alike count as the same merchant. */
export const merchantAlikeMin = 0.5;

const weights = { amountExact: 0.6, amountClose: 0.2, sameDay: 0.25, dayApart: 0.2, dateNear: 0.1, dateUnknown: 0.05, merchant: 0.15 };

function minorUnits(total: string, currency: string): bigint | null {
  try {
    return parseAmount(total, currency);
  } catch {
    return null;
  }
}

type AmountFit = 'exact' | 'close' | 'none';

function amountFit(receipt: ReceiptEvidence, candidate: MatchCandidate): AmountFit {
  if (receipt.total === null) return 'none';
  const sides: [bigint, string][] = [
    [candidate.merchantAmount, candidate.merchantCurrency],
    [candidate.walletAmount, candidate.walletCurrency],
  ];
  let fit: AmountFit = 'none';
  for (const [amount, currency] of sides) {
    if (receipt.currency !== null && receipt.currency !== currency) continue;
    const read = minorUnits(receipt.total, currency);
    if (read === null || amount <= 0n) continue;
    if (read === amount) return 'exact';
    const difference = read > amount ? read - amount : amount - read;
    // Compared in integers: difference / amount <= share, scaled by 1000.
    if (difference * 1000n <= amount * BigInt(Math.round(closeAmountShareMax * 1000))) fit = 'close';
  }
  return fit;
}

function daysBetween(a: string, b: string): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}

/** Character-trigram (Dice) similarity of two names after normalisation, 0..1; 1 when one
 * name contains the other (a descriptor is often a shortened receipt header). */
export function merchantSimilarity(a: string, b: string): number {
  const fold = (name: string) => normaliseMerchantName(name.normalize('NFD').replace(/\p{Diacritic}/gu, ''));
  const left = fold(a);
  const right = fold(b);
  if (left.length === 0 || right.length === 0) return 0;
  if (left === right) return 1;
  const shorter = left.length <= right.length ? left : right;
  const longer = shorter === left ? right : left;
  if (shorter.length >= 4 && longer.includes(shorter)) return 1;
  const trigrams = (text: string) => {
    const grams = new Map<string, number>();
    for (let i = 0; i + 3 <= text.length; i += 1) grams.set(text.slice(i, i + 3), (grams.get(text.slice(i, i + 3)) ?? 0) + 1);
    return grams;
  };
  const x = trigrams(left);
  const y = trigrams(right);
  let shared = 0;
  for (const [gram, count] of x) shared += Math.min(count, y.get(gram) ?? 0);
  const total = Math.max(0, left.length - 2) + Math.max(0, right.length - 2);
  return total === 0 ? 0 : (2 * shared) / total;
}

export function scoreCandidate(receipt: ReceiptEvidence, candidate: MatchCandidate): ScoredCandidate | null {
  const reasons: MatchReason[] = [];
  let score = 0;
  if (receipt.date !== null) {
    const days = daysBetween(receipt.date, candidate.localDate);
    if (!Number.isFinite(days) || days > dateWindowDays) return null;
    if (days === 0) {
      score += weights.sameDay;
      reasons.push('same_day');
    } else if (days <= 1) {
      score += weights.dayApart;
      reasons.push('day_apart');
    } else if (days <= 3) {
      score += weights.dateNear;
      reasons.push('date_near');
    }
  } else {
    score += weights.dateUnknown;
  }
  const fit = amountFit(receipt, candidate);
  if (fit === 'exact') {
    score += weights.amountExact;
    reasons.unshift('amount_exact');
  } else if (fit === 'close') {
    score += weights.amountClose;
    reasons.unshift('amount_close');
  }
  if (receipt.merchant !== null) {
    const similarity = merchantSimilarity(receipt.merchant, candidate.merchantName);
    score += weights.merchant * similarity;
    if (similarity >= merchantAlikeMin) reasons.push('merchant_alike');
  }
  return { transactionId: candidate.id, score: Math.round(score * 1000) / 1000, reasons };
}

export function matchReceipt(receipt: ReceiptEvidence, candidates: readonly MatchCandidate[]): MatchDecision {
  const scored = candidates
    .map((candidate) => scoreCandidate(receipt, candidate))
    .filter((candidate): candidate is ScoredCandidate => candidate !== null)
    .sort((a, b) => b.score - a.score || a.transactionId.localeCompare(b.transactionId));
  const [best, second] = scored;
  if (!best) return { decision: 'none' };
  const lead = best.score - (second?.score ?? 0);
  if (best.reasons.includes('amount_exact') && best.score >= attachScoreMin && lead >= attachLeadMin) {
    return { decision: 'attach', match: best };
  }
  const suggestions = scored.filter((candidate) => candidate.score >= suggestionScoreMin).slice(0, suggestionsMax);
  return suggestions.length > 0 ? { decision: 'suggest', suggestions } : { decision: 'none' };
}
