// What the receipts module tells webhook endpoints: a receipt read, and a receipt matched to
// its card purchase, each in the transaction of that change. Amounts are as the receipts API
// gives them: the decimal text read from the receipt, with the currency read (either may be
// missing).
import type { Db } from '../db/database.js';
import { recordWebhookEvent } from '../webhooks/webhooks.service.js';
import type { ReceiptRow } from './receipts.repository.js';

function receiptData(receipt: ReceiptRow): Record<string, unknown> {
  return {
    id: receipt.id,
    userId: receipt.user_id,
    merchant: receipt.merchant,
    purchaseDate: receipt.purchase_date,
    totalAmount: receipt.total_amount,
    vatAmount: receipt.vat_amount,
    currency: receipt.currency,
    readSource: receipt.read_source,
    duplicateOf: receipt.duplicate_of,
    transactionId: receipt.transaction_id,
  };
}

export async function recordReceiptRead(trx: Db, receipt: ReceiptRow, now: Date): Promise<void> {
  await recordWebhookEvent(trx, receipt.company_id, 'receipt.read', receiptData(receipt), now);
}

export async function recordReceiptMatched(trx: Db, receipt: ReceiptRow, matchedBy: string, now: Date): Promise<void> {
  await recordWebhookEvent(trx, receipt.company_id, 'receipt.matched', { ...receiptData(receipt), matchedBy }, now);
}
