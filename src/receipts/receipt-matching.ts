// Attaching receipts to card transactions inside the caller's transaction: the automatic
// match after reading (and again when a late transaction arrives), and what follows any
// attachment, automatic or by hand: a lost-receipt declaration is withdrawn and a card Outlay
// froze for missing receipts is unfrozen once none is overdue. A receipt whose reading
// disagrees with a purchase (receipt-checks.ts) is never attached without a person: it is
// offered as a suggestion, marked with why. Lock order: receipt, card transaction, card —
// the transaction-before-card order every card path uses.
import type { Db } from '../db/database.js';
import { localDateOf } from '../companies/company-calendar.js';
import { getCompany } from '../companies/companies.service.js';
import { findTransaction, lockTransaction, markExpenseUnsynced } from '../cards/card-transactions.service.js';
import { DomainError } from '../shared/errors.js';
import { matchReceipt, type MatchCandidate, type ScoredCandidate } from './match-receipt.js';
import { normaliseMerchantName } from './merchant-name.js';
import type { Mismatch } from './receipt-check.js';
import { mismatchesJson, receiptChecker, type ReceiptChecker } from './receipt-checks.js';
import { liftReceiptFreeze } from './receipt-freezes.js';
import * as repo from './receipts.repository.js';
import { recordReceiptMatched } from './receipt-webhooks.js';

/** How far around a receipt's printed date (or back from today without one) transactions are looked at. */
export const candidateWindowDays = 8;
export const undatedLookbackDays = 60;
export const candidatesMax = 200;
const dayMs = 86_400_000;

function candidateOf(row: repo.CardTransactionRow, timeZone: string): MatchCandidate {
  return {
    id: row.id,
    merchantName: row.merchant_name,
    merchantAmount: row.settled_merchant_amount ?? row.merchant_amount,
    merchantCurrency: row.merchant_currency,
    walletAmount: row.settled_amount ?? row.wallet_amount,
    walletCurrency: row.wallet_currency,
    localDate: localDateOf(row.occurred_at, timeZone),
  };
}

export function canTakeReceipt(row: repo.CardTransactionRow): boolean {
  return (repo.receiptKinds as readonly string[]).includes(row.kind) && (repo.receiptStates as readonly string[]).includes(row.state);
}

/** Refuses a transaction that takes no receipt (a refund, a declined or voided one). */
export function checkTakesReceipt(transaction: repo.CardTransactionRow): void {
  if (!canTakeReceipt(transaction)) {
    throw new DomainError('receipt_not_needed', `a ${transaction.kind.replace('_', ' ')} that is ${transaction.state} takes no receipt`, 'transactionId');
  }
}

/** Refuses a transaction that has its receipt already. */
export async function checkHasNoReceipt(trx: Db, transaction: repo.CardTransactionRow): Promise<void> {
  if (await repo.findReceiptOfTransaction(trx, transaction.company_id, transaction.id)) {
    throw new DomainError('transaction_has_receipt', 'this transaction has a receipt already: unmatch that one first', 'transactionId');
  }
}

export interface Attachment {
  by: 'auto' | 'user';
  /** Where the receipt disagrees with the transaction, and the person's note on why it is attached all the same. */
  mismatches: readonly Mismatch[];
  note: string | null;
}

/** Attaches the receipt to the transaction (both already locked and checked) and settles
 * what follows from it. */
export async function attachReceipt(trx: Db, receipt: repo.ReceiptRow, transaction: repo.CardTransactionRow, attachment: Attachment, now: Date): Promise<repo.ReceiptRow> {
  const updated = await repo.updateReceipt(trx, receipt.company_id, receipt.id, {
    match_state: 'matched',
    transaction_id: transaction.id,
    matched_by: attachment.by,
    matched_at: now,
    suggestions: '[]',
    mismatches: mismatchesJson(attachment.mismatches),
    mismatch_note: attachment.note,
  });
  await repo.deleteLostReceipt(trx, receipt.company_id, transaction.id);
  // The purchase's expense no longer misses its receipt.
  await markExpenseUnsynced(trx, receipt.company_id, transaction.id);
  await liftReceiptFreeze(trx, receipt.company_id, transaction.card_id, transaction.user_id, now);
  await recordReceiptMatched(trx, updated, attachment.by, now);
  return updated;
}

async function candidatesFor(trx: Db, receipt: repo.ReceiptRow, now: Date): Promise<repo.CardTransactionRow[]> {
  const date = receipt.purchase_date ? Date.parse(`${receipt.purchase_date}T12:00:00Z`) : null;
  const from = new Date(date !== null ? date - candidateWindowDays * dayMs : now.getTime() - undatedLookbackDays * dayMs);
  const to = new Date(date !== null ? date + candidateWindowDays * dayMs : now.getTime() + dayMs);
  return repo.listOpenTransactions(trx, receipt.company_id, receipt.user_id, from, to, candidatesMax);
}

/** A suggestion as stored: the matcher's score, and where the receipt disagrees with it. */
export interface StoredSuggestion extends ScoredCandidate {
  mismatches: Mismatch[];
}

/** Attaches the receipt to the matcher's pick when no one else has it and it agrees with
 * the receipt; the pick's disagreements otherwise (null when it was no longer free). */
async function attachPick(trx: Db, receipt: repo.ReceiptRow, pick: ScoredCandidate, checker: ReceiptChecker, now: Date): Promise<repo.ReceiptRow | Mismatch[] | null> {
  const transaction = await lockTransaction(trx, receipt.company_id, pick.transactionId);
  const taken = transaction ? (await repo.findReceiptOfTransaction(trx, receipt.company_id, transaction.id)) !== undefined : true;
  if (!transaction || taken || !canTakeReceipt(transaction)) return null;
  const mismatches = checker.againstTransaction(receipt, transaction);
  if (mismatches.length > 0) return mismatches;
  return attachReceipt(trx, receipt, transaction, { by: 'auto', mismatches, note: null }, now);
}

/**
 * Matches a read, unmatched receipt (locked by the caller): attaches it when one transaction
 * is clearly its own and the reading agrees with it, else keeps the close calls as
 * suggestions, each with where it disagrees. A receipt the person unmatched, or one that
 * duplicates another, is never attached without them.
 */
export async function matchWaitingReceipt(trx: Db, receipt: repo.ReceiptRow, now: Date): Promise<repo.ReceiptRow> {
  if (receipt.match_state === 'matched') return receipt;
  const company = await getCompany(trx, receipt.company_id);
  const rows = await candidatesFor(trx, receipt, now);
  const decision = matchReceipt(
    { total: receipt.total_amount, currency: receipt.currency, date: receipt.purchase_date, merchant: receipt.merchant },
    rows.map((row) => candidateOf(row, company.time_zone)),
  );
  const checker = await receiptChecker(trx, receipt.company_id);
  if (decision.decision === 'attach' && receipt.auto_match && receipt.duplicate_of === null) {
    const attached = await attachPick(trx, receipt, decision.match, checker, now);
    if (attached !== null && !Array.isArray(attached)) return attached;
  }
  const scored: ScoredCandidate[] = decision.decision === 'suggest' ? decision.suggestions : decision.decision === 'attach' ? [decision.match] : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const suggestions: StoredSuggestion[] = scored.map((suggestion) => {
    const row = byId.get(suggestion.transactionId);
    return { ...suggestion, mismatches: row ? checker.againstTransaction(receipt, row) : [] };
  });
  return repo.updateReceipt(trx, receipt.company_id, receipt.id, {
    match_state: suggestions.length > 0 ? 'suggested' : 'unmatched',
    suggestions: JSON.stringify(suggestions),
  });
}

/**
 * A receipt attached before it was read (sent for its purchase, or with an expense) is
 * checked once its reading is in: against its purchase here, and the purchase's expense is
 * brought in step so that its flags follow. An out-of-pocket expense's receipt is checked by
 * the expense at its next change or submission (expenses are not receipts' to read).
 */
export async function checkAttachedReceipt(trx: Db, receipt: repo.ReceiptRow): Promise<repo.ReceiptRow> {
  if (!receipt.transaction_id) return receipt;
  const transaction = await findTransaction(trx, receipt.company_id, receipt.transaction_id);
  if (!transaction) return receipt;
  const mismatches = (await receiptChecker(trx, receipt.company_id)).againstTransaction(receipt, transaction);
  const updated = await repo.updateReceipt(trx, receipt.company_id, receipt.id, { mismatches: mismatchesJson(mismatches) });
  await markExpenseUnsynced(trx, receipt.company_id, transaction.id);
  return updated;
}

/** The earliest other receipt with the same merchant, date and total, if any. */
export async function findSameContent(trx: Db, receipt: repo.ReceiptRow): Promise<repo.ReceiptRow | undefined> {
  if (receipt.merchant === null) return undefined;
  const merchant = normaliseMerchantName(receipt.merchant);
  const alike = await repo.findSameContent(trx, receipt.company_id, receipt);
  return alike.find((other) => other.merchant !== null && normaliseMerchantName(other.merchant) === merchant && other.id < receipt.id);
}
