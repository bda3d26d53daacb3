// Receipts checked against what they are attached to, inside the caller's transaction: the
// reading against a card purchase (its amounts, its day in the company's time zone, its
// merchant) or an out-of-pocket expense, with the company's tolerance. The result is stored
// on the receipt, so the receipt, the purchase and the expense all show it; a person who
// attaches a receipt that disagrees says why in a note.
import { getCompany } from '../companies/companies.service.js';
import { localDateOf } from '../companies/company-calendar.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { checkReceipt, type AmountTolerance, type Claim, type Mismatch, type ReceiptReading } from './receipt-check.js';
import { getReceiptSettings } from './receipt-settings.service.js';
import type { ReceiptRow, ReceiptSettingsRow, CardTransactionRow } from './receipts.repository.js';

export const mismatchNoteLengthMax = 500;

/** What was read from the receipt; nothing before its reading ended (or when it failed). */
export function readingOf(receipt: ReceiptRow): ReceiptReading {
  if (receipt.read_state !== 'read') return { total: null, currency: null, date: null, merchant: null };
  return { total: receipt.total_amount, currency: receipt.currency, date: receipt.purchase_date, merchant: receipt.merchant };
}

export function toleranceOf(settings: ReceiptSettingsRow): AmountTolerance {
  return { basisPoints: settings.amount_tolerance_bp, fixed: settings.amount_tolerance_fixed };
}

/** A card purchase as a claim: what it cleared at (else what was held), on its local day. */
export function claimOfTransaction(transaction: CardTransactionRow, timeZone: string): Claim {
  return {
    noun: 'purchase',
    paid: { amount: transaction.settled_merchant_amount ?? transaction.merchant_amount, currency: transaction.merchant_currency },
    booked: { amount: transaction.settled_amount ?? transaction.wallet_amount, currency: transaction.wallet_currency },
    date: localDateOf(transaction.occurred_at, timeZone),
    merchant: transaction.merchant_name,
  };
}

/** Checks receipts of one company: its tolerance and time zone are read once. */
export interface ReceiptChecker {
  againstTransaction(receipt: ReceiptRow, transaction: CardTransactionRow): Mismatch[];
  againstClaim(receipt: ReceiptRow, claim: Claim): Mismatch[];
}

export async function receiptChecker(trx: Db, companyId: string): Promise<ReceiptChecker> {
  const [settings, company] = await Promise.all([getReceiptSettings(trx, companyId), getCompany(trx, companyId)]);
  const tolerance = toleranceOf(settings);
  return {
    againstTransaction: (receipt, transaction) => checkReceipt(readingOf(receipt), claimOfTransaction(transaction, company.time_zone), tolerance),
    againstClaim: (receipt, claim) => checkReceipt(readingOf(receipt), claim, tolerance),
  };
}

/**
 * The note a person attaches a receipt with: required when the receipt disagrees (the
 * refusal names every disagreement), kept only then. `field` is the input that takes it.
 */
export function noteFor(mismatches: readonly Mismatch[], note: string | null | undefined, noun: Claim['noun'], field: string): string | null {
  const text = note?.trim() ?? '';
  if (text.length > mismatchNoteLengthMax) throw new DomainError('validation_failed', `a note has at most ${mismatchNoteLengthMax} characters`, field);
  if (mismatches.length === 0) return null;
  if (text.length === 0) {
    const reasons = mismatches.map((mismatch) => mismatch.reason).join('; ');
    throw new DomainError('receipt_mismatch', `the receipt does not agree with the ${noun}: ${reasons}. To attach it all the same, say why in a note`, field);
  }
  return text;
}

export const mismatchesJson = (mismatches: readonly Mismatch[]) => JSON.stringify(mismatches);
