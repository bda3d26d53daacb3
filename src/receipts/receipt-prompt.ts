// Right after a card purchase that needs a receipt, its cardholder is asked for it
// (receipt_wanted), while the receipt is still at hand; the sweep's reminder
// (receipt_missing) follows after the company's delay if it is still missing.
import { getCompany } from '../companies/companies.service.js';
import { localDateOf } from '../companies/company-calendar.js';
import { listTransactionsWithReceipts } from '../cards/card-transactions.service.js';
import type { Db } from '../db/database.js';
import { formatAmount } from '../money/money.js';
import { notifyMany, type NewNotification } from '../notifications/notifications.service.js';

/** Asks for the purchase's receipt unless it has one, needs none, or was asked for already;
 * true when the cardholder was asked now. */
export async function promptForReceipt(db: Db, companyId: string, transactionId: string, now: Date): Promise<boolean> {
  return (await promptForReceipts(db, companyId, [transactionId], now)) === 1;
}

/** Asks for the receipts of many purchases of one company at once (a read of their receipt
 * states and one insert of the prompts); returns how many cardholders were asked now. */
export async function promptForReceipts(db: Db, companyId: string, transactionIds: readonly string[], now: Date): Promise<number> {
  if (transactionIds.length === 0) return 0;
  const missing = (await listTransactionsWithReceipts(db, companyId, transactionIds)).filter((state) => state.receipt_state === 'missing');
  if (missing.length === 0) return 0;
  const company = await getCompany(db, companyId);
  const prompts = missing.map((transaction): NewNotification => {
    const amount = `${formatAmount(transaction.settled_amount ?? transaction.wallet_amount, transaction.wallet_currency)} ${transaction.wallet_currency}`;
    const day = localDateOf(transaction.occurred_at, company.time_zone);
    return {
      companyId,
      userId: transaction.user_id,
      kind: 'receipt_wanted',
      subject: { type: 'card_transaction', id: transaction.id },
      link: { type: 'card_transaction', id: transaction.id },
      title: `Add a receipt for ${transaction.merchant_name}, ${amount}`,
      body: `Your card purchase at ${transaction.merchant_name} on ${day} (${amount}) needs its receipt. Snap it or forward it now, while you have it.`,
    };
  });
  return notifyMany(db, prompts, now);
}
