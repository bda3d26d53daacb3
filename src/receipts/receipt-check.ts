/**
 * Whether a receipt's reading agrees with what it is attached to: a card purchase or an
 * out-of-pocket expense (the claim). Pure: the reading, the claim and the company's
 * tolerance in, each disagreement with a reason a person reads out, in a fixed order:
 * - amount: the printed total is the amount paid, in either of the claim's currencies (a
 *   receipt abroad shows the merchant's currency, the card booked the wallet's), at most the
 *   company's tolerance apart (a tip added at the terminal, an exchange rate); a printed
 *   currency that is neither of the claim's disagrees whatever the figure;
 * - date: the printed date at most `dateToleranceDays` from the claim's day (a receipt
 *   printed after midnight, a purchase booked the next day);
 * - merchant: the printed name and the claim's share a word, or are as alike as matching
 *   wants them (merchantAlikeMin): card network descriptors shorten and mangle names.
 * What the reader could not read is never a disagreement: no evidence is not evidence against.
 */
import { currencyExponent, formatAmount, parseAmount } from '../money/money.js';
import { merchantAlikeMin, merchantSimilarity } from './match-receipt.js';
import { normaliseMerchantName } from './merchant-name.js';

export const mismatchFields = ['amount', 'date', 'merchant'] as const;
export type MismatchField = (typeof mismatchFields)[number];

export interface Mismatch {
  field: MismatchField;
  /** Says what the receipt shows and what was claimed, e.g. "the receipt says MYR 27.56, the purchase was EUR 23.50". */
  reason: string;
}

/** What was read from the receipt; null where the print was not clear enough. */
export interface ReceiptReading {
  /** Decimal string as printed, e.g. "27.56". */
  total: string | null;
  currency: string | null;
  /** YYYY-MM-DD. */
  date: string | null;
  merchant: string | null;
}

export interface ClaimAmount {
  amount: bigint;
  currency: string;
}

export interface Claim {
  /** What the receipt is attached to, in the reasons' words. */
  noun: 'purchase' | 'expense';
  /** As paid: in the merchant's currency, or the expense's own. */
  paid: ClaimAmount;
  /** In the company's currency: what the wallet paid, or what the expense is paid back at. */
  booked: ClaimAmount;
  /** The claim's day in the company's time zone, YYYY-MM-DD. */
  date: string;
  merchant: string | null;
}

export interface AmountTolerance {
  /** Share of the amount claimed, in basis points (500 = 5 %). */
  basisPoints: number;
  /** A fixed amount in minor units of the company's currency (the claim's booked side). */
  fixed: bigint;
}

/** The defaults of receipt_settings (migrations/0006_receipt_claims.sql): 5 % or 1.00. */
export const amountToleranceDefault: AmountTolerance = { basisPoints: 500, fixed: 100n };
/** The bounds a company may set: at most a quarter of the amount, at most 1,000.00. */
export const amountToleranceBasisPointsMax = 2500;
export const amountToleranceFixedMax = 100_000n;
/** Days the printed date may be from the claim's day. */
export const dateToleranceDays = 3;
/** A shared word this long or longer makes two names one merchant ("DSB" and "DSB Rejsebureau"). */
export const merchantWordLengthMin = 3;

function minorUnits(total: string, currency: string): bigint | null {
  try {
    return parseAmount(total, currency, { allowZero: true });
  } catch {
    return null;
  }
}

/** The sides of the claim a receipt may be printed in: as paid, and booked when the currency differs. */
function sidesOf(claim: Claim): ClaimAmount[] {
  return claim.paid.currency === claim.booked.currency ? [claim.booked] : [claim.paid, claim.booked];
}

/** The tolerance on one side: the share of its amount, or the fixed amount carried over at
 * the claim's own rate (booked / paid) when the side is in the other currency. */
function toleranceOn(side: ClaimAmount, claim: Claim, tolerance: AmountTolerance): bigint {
  const share = (side.amount * BigInt(tolerance.basisPoints)) / 10_000n;
  const fixed =
    side.currency === claim.booked.currency ? tolerance.fixed : claim.booked.amount > 0n ? (tolerance.fixed * claim.paid.amount) / claim.booked.amount : 0n;
  return share > fixed ? share : fixed;
}

function sideAgrees(total: string, side: ClaimAmount, claim: Claim, tolerance: AmountTolerance): boolean {
  const read = minorUnits(total, side.currency);
  if (read === null) return false;
  const difference = read > side.amount ? read - side.amount : side.amount - read;
  return difference <= toleranceOn(side, claim, tolerance);
}

const moneyText = ({ amount, currency }: ClaimAmount) => `${currency} ${formatAmount(amount, currency)}`;

/** "EUR 23.50", or "USD 13.20 (EUR 12.34)" for a purchase in another currency, the side in
 * the receipt's currency first. */
function claimedText(sides: readonly ClaimAmount[], currency: string | null): string {
  const first = sides.find((side) => side.currency === currency) ?? sides[0]!;
  const other = sides.find((side) => side !== first);
  return other ? `${moneyText(first)} (${moneyText(other)})` : moneyText(first);
}

function printedTotal(reading: ReceiptReading & { total: string }): string {
  if (reading.currency === null) return reading.total;
  // A known currency is shown the way the claim's are; an unknown code as printed.
  try {
    currencyExponent(reading.currency);
  } catch {
    return `${reading.currency} ${reading.total}`;
  }
  const read = minorUnits(reading.total, reading.currency);
  return read === null ? `${reading.currency} ${reading.total}` : moneyText({ amount: read, currency: reading.currency });
}

function amountMismatch(reading: ReceiptReading, claim: Claim, tolerance: AmountTolerance): Mismatch | null {
  if (reading.total === null) return null;
  const sides = sidesOf(claim);
  const comparable = sides.filter((side) => reading.currency === null || side.currency === reading.currency);
  if (comparable.some((side) => sideAgrees(reading.total!, side, claim, tolerance))) return null;
  return { field: 'amount', reason: `the receipt says ${printedTotal({ ...reading, total: reading.total })}, the ${claim.noun} was ${claimedText(sides, reading.currency)}` };
}

function daysApart(a: string, b: string): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}

function dateMismatch(reading: ReceiptReading, claim: Claim): Mismatch | null {
  if (reading.date === null) return null;
  const days = daysApart(reading.date, claim.date);
  if (Number.isFinite(days) && days <= dateToleranceDays) return null;
  return { field: 'date', reason: `the receipt is dated ${reading.date}, the ${claim.noun} was on ${claim.date}` };
}

/** The words of a name as merchant names compare them (legal forms and punctuation gone). */
function wordsOf(name: string): string[] {
  const folded = name.normalize('NFD').replace(/\p{Diacritic}/gu, '');
  return folded
    .split(/[\s*/.,;:()&-]+/)
    .map((word) => normaliseMerchantName(word))
    .filter((word) => word.length >= merchantWordLengthMin);
}

/** Whether two names are one merchant: a shared word (or one word the start of the
 * other's: "SCANDIC" and "Scandic's"), or alike as a whole. */
export function sameMerchant(a: string, b: string): boolean {
  const left = wordsOf(a);
  const right = wordsOf(b);
  const shared = left.some((x) => right.some((y) => x === y || (x.length >= 4 && y.startsWith(x)) || (y.length >= 4 && x.startsWith(y))));
  return shared || merchantSimilarity(a, b) >= merchantAlikeMin;
}

function merchantMismatch(reading: ReceiptReading, claim: Claim): Mismatch | null {
  if (reading.merchant === null || claim.merchant === null) return null;
  if (normaliseMerchantName(reading.merchant) === '' || normaliseMerchantName(claim.merchant) === '') return null;
  if (sameMerchant(reading.merchant, claim.merchant)) return null;
  return { field: 'merchant', reason: `the receipt is from ${reading.merchant}, the ${claim.noun} ${claim.noun === 'purchase' ? 'was made at' : 'names'} ${claim.merchant}` };
}

/** Every disagreement between the reading and the claim: amount, then date, then merchant. */
export function checkReceipt(reading: ReceiptReading, claim: Claim, tolerance: AmountTolerance): Mismatch[] {
  return [amountMismatch(reading, claim, tolerance), dateMismatch(reading, claim), merchantMismatch(reading, claim)].filter((mismatch): mismatch is Mismatch => mismatch !== null);
}
