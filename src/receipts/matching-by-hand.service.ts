// Matching by hand: a person (or someone with receipts:write) attaches a receipt to a card
// transaction, moves it to another, or takes it off. Automatic matching (receipt-matching.ts)
// leaves a receipt alone once it was unmatched by hand.
import type { Principal } from '../auth/principal.js';
import { lockTransaction, markExpenseUnsynced } from '../cards/card-transactions.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { writableReceipt, writableTransaction } from './receipt-access.js';
import { attachReceipt, checkHasNoReceipt, checkTakesReceipt } from './receipt-matching.js';
import * as repo from './receipts.repository.js';

export async function matchReceiptByHand(db: Db, principal: Principal, receiptId: string, transactionId: string, now: Date): Promise<repo.ReceiptRow> {
  return db.transaction().execute(async (trx) => {
    const receipt = writableReceipt(principal, await repo.lockReceipt(trx, principal.companyId, receiptId));
    if (receipt.transaction_id === transactionId) return receipt;
    if (receipt.expense_id) throw new DomainError('receipt_already_matched', 'the receipt belongs to an out-of-pocket expense');
    const transaction = writableTransaction(principal, await lockTransaction(trx, principal.companyId, transactionId));
    if (transaction.user_id !== receipt.user_id) throw new DomainError('validation_failed', 'the transaction belongs to someone else than the receipt', 'transactionId');
    checkTakesReceipt(transaction);
    await checkHasNoReceipt(trx, transaction);
    // Moving a receipt from one transaction to another leaves the first one missing again.
    if (receipt.transaction_id) await repo.updateReceipt(trx, principal.companyId, receipt.id, { match_state: 'unmatched', transaction_id: null, matched_by: null, matched_at: null });
    return attachReceipt(trx, receipt, transaction, 'user', now);
  });
}

/** Takes the receipt off its transaction; auto_match is cleared so that Outlay does not
 * attach it again by itself. */
export async function unmatchReceipt(db: Db, principal: Principal, receiptId: string): Promise<repo.ReceiptRow> {
  return db.transaction().execute(async (trx) => {
    const receipt = writableReceipt(principal, await repo.lockReceipt(trx, principal.companyId, receiptId));
    if (receipt.match_state !== 'matched') throw new DomainError('conflict', 'the receipt is not matched to a transaction');
    if (receipt.expense_id) throw new DomainError('conflict', 'the receipt belongs to an out-of-pocket expense: change it there');
    if (receipt.transaction_id) await markExpenseUnsynced(trx, principal.companyId, receipt.transaction_id);
    return repo.updateReceipt(trx, principal.companyId, receipt.id, {
      match_state: 'unmatched',
      transaction_id: null,
      matched_by: null,
      matched_at: null,
      auto_match: false,
      suggestions: '[]',
    });
  });
}
