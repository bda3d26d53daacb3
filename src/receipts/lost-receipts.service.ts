// Declaring a card purchase's receipt lost, with a note of what happened: the purchase stops
// counting as missing (and a card frozen for it works again). A receipt sent later withdraws
// the declaration (receipt-matching.ts).
import type { Principal } from '../auth/principal.js';
import { changingCardTransactions, lockTransaction, markExpenseUnsynced } from '../cards/card-transactions.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { ownerOf, writableTransaction } from './receipt-access.js';
import { liftReceiptFreeze } from './receipt-freezes.js';
import { checkText } from './receipt-input.js';
import { checkTakesReceipt } from './receipt-matching.js';
import * as repo from './receipts.repository.js';

export const lostNoteLengthMax = 500;

export async function declareReceiptLost(db: Db, principal: Principal, transactionId: string, note: string, now: Date) {
  const text = checkText(note, 'note', lostNoteLengthMax);
  if (!text) throw new DomainError('validation_failed', 'say what happened to the receipt', 'note');
  return changingCardTransactions(db, async (trx) => {
    const transaction = writableTransaction(principal, await lockTransaction(trx, principal.companyId, transactionId));
    checkTakesReceipt(transaction);
    if (await repo.findReceiptOfTransaction(trx, principal.companyId, transaction.id)) {
      throw new DomainError('transaction_has_receipt', 'this transaction has its receipt', 'transactionId');
    }
    if (await repo.findLostReceipt(trx, principal.companyId, transaction.id)) throw new DomainError('conflict', 'the receipt was declared lost already');
    await repo.insertLostReceipt(trx, { company_id: principal.companyId, transaction_id: transaction.id, note: text, declared_by: ownerOf(principal) ?? (principal.kind === 'api_key' ? principal.apiKeyId : '-') });
    await markExpenseUnsynced(trx, principal.companyId, transaction.id);
    await liftReceiptFreeze(trx, principal.companyId, transaction.card_id, transaction.user_id, now);
    return (await repo.findLostReceipt(trx, principal.companyId, transaction.id))!;
  });
}
