// Attaching receipts to card transactions inside the caller's transaction: the automatic
// match after reading (and again when a late transaction arrives), and what follows any
// attachment: a lost-receipt declaration is withdrawn and a card Outlay froze for missing
// receipts is unfrozen once none is overdue. Lock order: receipt, card transaction, card —
// the transaction-before-card order every card path uses.
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { localDateOf } from '../companies/company-calendar.js';
import { unfreezeCardBySystem } from '../cards/card-system-freezes.service.js';
import { markExpenseUnsynced } from '../cards/card-transactions.service.js';
import { notify } from '../notifications/notifications.service.js';
import { formatAmount } from '../money/money.js';
import { matchReceipt, type MatchCandidate, type ScoredCandidate } from './match-receipt.js';
import { normaliseMerchantName } from './merchant-name.js';
import * as repo from './receipts.repository.js';

/** How far around a receipt's printed date (or back from today without one) transactions are looked at. */
export const candidateWindowDays = 8;
export const undatedLookbackDays = 60;
export const candidatesMax = 200;
/** Purchases above this (minor units) want a receipt unless the company says otherwise. */
export const receiptRequiredAboveDefault = 0n;

const dayMs = 86_400_000;

export function candidateOf(row: repo.CardTransactionRow, timeZone: string): MatchCandidate {
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

/** Lifts a freeze Outlay set for missing receipts on the card, once none of its receipts is overdue. */
export async function liftReceiptFreeze(trx: Db, companyId: string, cardId: string, userId: string, now: Date): Promise<boolean> {
  if ((await repo.countOverdueOfCard(trx, companyId, cardId, now, { requiredAbove: receiptRequiredAboveDefault })) > 0) return false;
  const lifted = await unfreezeCardBySystem(trx, companyId, cardId, repo.receiptsFreezeReason, { overdueReceipts: 0 }, now);
  if (!lifted) return false;
  await notify(trx, {
    companyId,
    userId,
    kind: 'card_unfrozen_receipts',
    subject: { type: 'card_event', id: lifted.event.id },
    title: `Card •••• ${lifted.card.last4} works again`,
    body: 'All overdue receipts for this card are in. Thank you!',
  }, now);
  return true;
}

/** Attaches the receipt to the transaction (both already locked and checked) and settles
 * what follows from it. */
export async function attachReceipt(trx: Db, receipt: repo.ReceiptRow, transaction: repo.CardTransactionRow, by: 'auto' | 'user', now: Date): Promise<repo.ReceiptRow> {
  const updated = await repo.updateReceipt(trx, receipt.company_id, receipt.id, {
    match_state: 'matched',
    transaction_id: transaction.id,
    matched_by: by,
    matched_at: now,
    suggestions: '[]',
  });
  await repo.deleteLostReceipt(trx, receipt.company_id, transaction.id);
  // The purchase's expense no longer misses its receipt.
  await markExpenseUnsynced(trx, receipt.company_id, transaction.id);
  await liftReceiptFreeze(trx, receipt.company_id, transaction.card_id, transaction.user_id, now);
  return updated;
}

async function candidatesFor(trx: Db, receipt: repo.ReceiptRow, now: Date): Promise<repo.CardTransactionRow[]> {
  const date = receipt.purchase_date ? Date.parse(`${receipt.purchase_date}T12:00:00Z`) : null;
  const from = new Date(date !== null ? date - candidateWindowDays * dayMs : now.getTime() - undatedLookbackDays * dayMs);
  const to = new Date(date !== null ? date + candidateWindowDays * dayMs : now.getTime() + dayMs);
  return repo.listOpenTransactions(trx, receipt.company_id, receipt.user_id, from, to, candidatesMax);
}

/**
 * Matches a read, unmatched receipt (locked by the caller): attaches it when one transaction
 * is clearly its own, else keeps the close calls as suggestions. A receipt the person
 * unmatched, or one that duplicates another, is never attached without them.
 */
export async function matchWaitingReceipt(trx: Db, receipt: repo.ReceiptRow, now: Date): Promise<repo.ReceiptRow> {
  if (receipt.match_state === 'matched') return receipt;
  const company = await getCompany(trx, receipt.company_id);
  const rows = await candidatesFor(trx, receipt, now);
  const decision = matchReceipt(
    { total: receipt.total_amount, currency: receipt.currency, date: receipt.purchase_date, merchant: receipt.merchant },
    rows.map((row) => candidateOf(row, company.time_zone)),
  );
  if (decision.decision === 'attach' && receipt.auto_match && receipt.duplicate_of === null) {
    const transaction = await repo.lockTransaction(trx, receipt.company_id, decision.match.transactionId);
    const taken = transaction ? (await repo.findReceiptOfTransaction(trx, receipt.company_id, transaction.id)) !== undefined : true;
    if (transaction && !taken && canTakeReceipt(transaction)) return attachReceipt(trx, receipt, transaction, 'auto', now);
  }
  const suggestions: ScoredCandidate[] = decision.decision === 'suggest' ? decision.suggestions : decision.decision === 'attach' ? [decision.match] : [];
  return repo.updateReceipt(trx, receipt.company_id, receipt.id, {
    match_state: suggestions.length > 0 ? 'suggested' : 'unmatched',
    suggestions: JSON.stringify(suggestions),
  });
}

/** The earliest other receipt with the same merchant, date and total, if any. */
export async function findSameContent(trx: Db, receipt: repo.ReceiptRow): Promise<repo.ReceiptRow | undefined> {
  if (receipt.merchant === null) return undefined;
  const merchant = normaliseMerchantName(receipt.merchant);
  const alike = await repo.findSameContent(trx, receipt.company_id, receipt);
  return alike.find((other) => other.merchant !== null && normaliseMerchantName(other.merchant) === merchant && other.id < receipt.id);
}

export function describeAmount(row: repo.CardTransactionRow): string {
  return `${formatAmount(row.settled_amount ?? row.wallet_amount, row.wallet_currency)} ${row.wallet_currency}`;
}
