// Matching by hand: a person (or someone with receipts:write) attaches a receipt to a card
// transaction, moves it to another, or takes it off. A receipt whose reading disagrees with
// the transaction is attached only with a note saying why (receipt-checks.ts); the note can
// also be added later, to a receipt found to disagree once read. Automatic matching
// (receipt-matching.ts) leaves a receipt alone once it was unmatched by hand.
import type { Principal } from '../auth/principal.js';
import { changingCardTransactions, lockTransaction, markExpenseUnsynced } from '../cards/card-transactions.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { writableReceipt, writableTransaction } from './receipt-access.js';
import { mismatchesJson, noteFor, receiptChecker } from './receipt-checks.js';
import { attachReceipt, checkHasNoReceipt, checkTakesReceipt } from './receipt-matching.js';
import * as repo from './receipts.repository.js';

/** Attaches the receipt to the transaction; `note` says why when the receipt disagrees with
 * it. Naming the transaction it is attached to already sets the note. */
export async function matchReceiptByHand(db: Db, principal: Principal, receiptId: string, transactionId: string, note: string | null | undefined, now: Date): Promise<repo.ReceiptRow> {
  return changingCardTransactions(db, async (trx) => {
    const receipt = writableReceipt(principal, await repo.lockReceipt(trx, principal.companyId, receiptId));
    if (receipt.expense_id) throw new DomainError('receipt_already_matched', 'the receipt belongs to an out-of-pocket expense: change it there');
    const transaction = writableTransaction(principal, await lockTransaction(trx, principal.companyId, transactionId));
    const mismatches = (await receiptChecker(trx, principal.companyId)).againstTransaction(receipt, transaction);
    if (receipt.transaction_id === transactionId) {
      if (note === undefined) return receipt;
      const updated = await repo.updateReceipt(trx, principal.companyId, receipt.id, { mismatches: mismatchesJson(mismatches), mismatch_note: noteFor(mismatches, note, 'purchase', 'note') });
      // The expense shows the note: bring it in step.
      await markExpenseUnsynced(trx, principal.companyId, transactionId);
      return updated;
    }
    if (transaction.user_id !== receipt.user_id) throw new DomainError('validation_failed', 'the transaction belongs to someone else than the receipt', 'transactionId');
    checkTakesReceipt(transaction);
    await checkHasNoReceipt(trx, transaction);
    const checkedNote = noteFor(mismatches, note, 'purchase', 'note');
    // Moving a receipt from one transaction to another leaves the first one missing again.
    if (receipt.transaction_id) {
      await repo.updateReceipt(trx, principal.companyId, receipt.id, { match_state: 'unmatched', transaction_id: null, matched_by: null, matched_at: null });
      await markExpenseUnsynced(trx, principal.companyId, receipt.transaction_id);
    }
    return attachReceipt(trx, receipt, transaction, { by: 'user', mismatches, note: checkedNote }, now);
  });
}

/** Takes the receipt off its transaction; auto_match is cleared so that Outlay does not
 * attach it again by itself. */
export async function unmatchReceipt(db: Db, principal: Principal, receiptId: string): Promise<repo.ReceiptRow> {
  return changingCardTransactions(db, async (trx) => {
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
      mismatches: '[]',
      mismatch_note: null,
    });
  });
}
