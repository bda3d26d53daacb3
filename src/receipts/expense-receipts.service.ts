// What src/expenses asks of receipts, inside the expense's own transaction: whether a card
// purchase's receipt is in, attaching a person's receipt to their out-of-pocket expense or
// taking it off again, and checking a receipt against what the expense claims
// (receipt-checks.ts), which the expense's policy flags follow.
import { findTransaction } from '../cards/card-transactions.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import type { Claim, Mismatch } from './receipt-check.js';
import { mismatchesJson, noteFor, receiptChecker } from './receipt-checks.js';
import * as repo from './receipts.repository.js';

export type { Claim, Mismatch } from './receipt-check.js';

/** Of the transactions, those with a receipt or a receipt declared lost. */
export async function transactionsWithReceipts(db: Db, companyId: string, transactionIds: readonly string[]): Promise<Set<string>> {
  return new Set(await repo.listTransactionsWithAnyReceipt(db, companyId, transactionIds));
}

/** Whether the card purchase's receipt is in: attached, or declared lost. */
export async function transactionHasReceipt(db: Db, companyId: string, transactionId: string): Promise<boolean> {
  return (await transactionsWithReceipts(db, companyId, [transactionId])).has(transactionId);
}

/**
 * Attaches one of the person's receipts to their out-of-pocket expense. A receipt whose
 * reading disagrees with the claim needs `note`, saying why (the refusal names the field
 * `receiptNote`, the expense's input for it).
 */
export async function attachReceiptToExpense(trx: Db, companyId: string, receiptId: string, expense: { id: string; userId: string; claim: Claim; note: string | null | undefined }, now: Date): Promise<repo.ReceiptRow> {
  const receipt = await repo.lockReceipt(trx, companyId, receiptId);
  if (!receipt || receipt.user_id !== expense.userId) throw new DomainError('not_found', 'receipt was not found', 'receiptId');
  if (receipt.match_state === 'matched') throw new DomainError('receipt_already_matched', 'the receipt belongs to a card purchase or another expense already', 'receiptId');
  const mismatches = (await receiptChecker(trx, companyId)).againstClaim(receipt, expense.claim);
  const note = noteFor(mismatches, expense.note, 'expense', 'receiptNote');
  return repo.updateReceipt(trx, companyId, receiptId, {
    match_state: 'matched',
    expense_id: expense.id,
    matched_by: 'user',
    matched_at: now,
    suggestions: '[]',
    mismatches: mismatchesJson(mismatches),
    mismatch_note: note,
  });
}

/** Sets the note of the receipt the expense keeps, checked against what it claims now: a
 * note is kept only while the receipt disagrees. */
export async function noteOnExpenseReceipt(trx: Db, companyId: string, receiptId: string, claim: Claim, note: string | null): Promise<void> {
  const receipt = await repo.lockReceipt(trx, companyId, receiptId);
  if (!receipt) throw new DomainError('not_found', 'receipt was not found', 'receiptId');
  const mismatches = (await receiptChecker(trx, companyId)).againstClaim(receipt, claim);
  const text = note?.trim() ?? '';
  await repo.updateReceipt(trx, companyId, receiptId, { mismatches: mismatchesJson(mismatches), mismatch_note: mismatches.length > 0 && text !== '' ? noteFor(mismatches, text, 'expense', 'receiptNote') : null });
}

export async function detachReceiptFromExpense(trx: Db, companyId: string, receiptId: string): Promise<void> {
  await repo.updateReceipt(trx, companyId, receiptId, { match_state: 'unmatched', expense_id: null, matched_by: null, matched_at: null, auto_match: false, mismatches: '[]', mismatch_note: null });
}

/** Where a receipt disagrees with what it is attached to, and the note it was attached with. */
export interface ReceiptCheck {
  receiptId: string;
  mismatches: Mismatch[];
  note: string | null;
}

const sameMismatches = (stored: readonly Mismatch[], found: readonly Mismatch[]) =>
  stored.length === found.length && stored.every((mismatch, index) => mismatch.field === found[index]!.field && mismatch.reason === found[index]!.reason);

/** Stores the check when it changed; see storeMismatchesUnlessLocked for the lock order. */
async function keep(trx: Db, receipt: repo.ReceiptRow, mismatches: Mismatch[]): Promise<ReceiptCheck> {
  if (!sameMismatches(receipt.mismatches as Mismatch[], mismatches)) await repo.storeMismatchesUnlessLocked(trx, receipt.company_id, receipt.id, mismatchesJson(mismatches));
  return { receiptId: receipt.id, mismatches, note: receipt.mismatch_note };
}

/** The card purchase's receipt checked again (the purchase may have cleared at another
 * amount since); null when it has none attached. */
export async function checkReceiptOfTransaction(trx: Db, companyId: string, transactionId: string): Promise<ReceiptCheck | null> {
  const receipt = await repo.findReceiptOfTransaction(trx, companyId, transactionId);
  const transaction = receipt ? await findTransaction(trx, companyId, transactionId) : undefined;
  if (!receipt || !transaction) return null;
  return keep(trx, receipt, (await receiptChecker(trx, companyId)).againstTransaction(receipt, transaction));
}

/** The out-of-pocket expense's receipt checked again against the expense as it is now. */
export async function checkReceiptOfExpense(trx: Db, companyId: string, receiptId: string, claim: Claim): Promise<ReceiptCheck | null> {
  const receipt = await repo.findReceipt(trx, companyId, receiptId);
  if (!receipt) return null;
  return keep(trx, receipt, (await receiptChecker(trx, companyId)).againstClaim(receipt, claim));
}

/** The stored checks of these receipts, by receipt id, for presenting expenses. */
export async function listReceiptChecks(db: Db, companyId: string, receiptIds: readonly string[]): Promise<Map<string, ReceiptCheck>> {
  const rows = await repo.listChecks(db, companyId, [...new Set(receiptIds)]);
  return new Map(rows.map((row) => [row.id, { receiptId: row.id, mismatches: row.mismatches as Mismatch[], note: row.mismatch_note }]));
}
