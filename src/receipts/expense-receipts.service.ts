// What src/expenses asks of receipts, inside the expense's own transaction: whether a card
// purchase's receipt is in, and attaching a person's receipt to their out-of-pocket expense
// or taking it off again.
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import * as repo from './receipts.repository.js';

/** Whether the card purchase's receipt is in: attached, or declared lost. */
export async function transactionHasReceipt(db: Db, companyId: string, transactionId: string): Promise<boolean> {
  const [receipt, lost] = await Promise.all([repo.findReceiptOfTransaction(db, companyId, transactionId), repo.findLostReceipt(db, companyId, transactionId)]);
  return receipt !== undefined || lost !== undefined;
}

/** Attaches one of the person's receipts to their out-of-pocket expense. */
export async function attachReceiptToExpense(trx: Db, companyId: string, receiptId: string, expenseId: string, userId: string, now: Date): Promise<repo.ReceiptRow> {
  const receipt = await repo.lockReceipt(trx, companyId, receiptId);
  if (!receipt || receipt.user_id !== userId) throw new DomainError('not_found', 'receipt was not found', 'receiptId');
  if (receipt.match_state === 'matched') throw new DomainError('receipt_already_matched', 'the receipt belongs to a card purchase or another expense already', 'receiptId');
  return repo.updateReceipt(trx, companyId, receiptId, { match_state: 'matched', expense_id: expenseId, matched_by: 'user', matched_at: now, suggestions: '[]' });
}

export async function detachReceiptFromExpense(trx: Db, companyId: string, receiptId: string): Promise<void> {
  await repo.updateReceipt(trx, companyId, receiptId, { match_state: 'unmatched', expense_id: null, matched_by: null, matched_at: null, auto_match: false });
}
