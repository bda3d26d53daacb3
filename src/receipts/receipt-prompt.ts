// Right after a card purchase that needs a receipt, its cardholder is asked for it
// (receipt_wanted), while the receipt is still at hand; the sweep's reminder
// (receipt_missing) follows after the company's delay if it is still missing.
import { getCompany } from '../companies/companies.service.js';
import { localDateOf } from '../companies/company-calendar.js';
import { findTransaction, listReceiptStates } from '../cards/card-transactions.service.js';
import type { Db } from '../db/database.js';
import { formatAmount } from '../money/money.js';
import { notify } from '../notifications/notifications.service.js';

/** Asks for the purchase's receipt unless it has one, needs none, or was asked for already;
 * true when the cardholder was asked now. */
export async function promptForReceipt(db: Db, companyId: string, transactionId: string, now: Date): Promise<boolean> {
  const [state] = await listReceiptStates(db, companyId, [transactionId]);
  if (!state || state.receipt_state !== 'missing') return false;
  const transaction = await findTransaction(db, companyId, transactionId);
  if (!transaction) return false;
  const company = await getCompany(db, companyId);
  const amount = `${formatAmount(transaction.settled_amount ?? transaction.wallet_amount, transaction.wallet_currency)} ${transaction.wallet_currency}`;
  const day = localDateOf(transaction.occurred_at, company.time_zone);
  return notify(db, {
    companyId,
    userId: transaction.user_id,
    kind: 'receipt_wanted',
    subject: { type: 'card_transaction', id: transaction.id },
    link: { type: 'card_transaction', id: transaction.id },
    title: `Add a receipt for ${transaction.merchant_name}, ${amount}`,
    body: `Your card purchase at ${transaction.merchant_name} on ${day} (${amount}) needs its receipt. Snap it or forward it now, while you have it.`,
  }, now);
}
