// Who may see and change which receipt. A person sees and changes their own receipts; with
// receipts:read a principal sees everyone's in the company; receipts:write sends and matches
// receipts for anyone (integrations, admins); receipts:manage sets the company's receipt
// rules. A receipt or transaction a principal may not see answers "not found", never
// "forbidden", so that ids of other people's receipts give nothing away.
import type { Principal } from '../auth/principal.js';
import { DomainError, notFound } from '../shared/errors.js';
import type { CardTransactionRow, ReceiptRow } from './receipts.repository.js';

/** The person acting, or null for an API key (which belongs to the company, not a person). */
export const ownerOf = (principal: Principal): string | null => (principal.kind === 'user' ? principal.userId : null);
export const seesAll = (principal: Principal) => principal.permissions.has('receipts:read') || principal.permissions.has('receipts:write');
export const writesAll = (principal: Principal) => principal.permissions.has('receipts:write');

/** Whose receipts a list shows: anyone's asked for with receipts:read, else the caller's own
 * (an API key without it sees none). */
export const listedOwner = (principal: Principal, asked: string | undefined): string | undefined => (seesAll(principal) ? asked : (ownerOf(principal) ?? '-'));

export function visibleReceipt(principal: Principal, receipt: ReceiptRow | undefined): ReceiptRow {
  if (!receipt || receipt.company_id !== principal.companyId || !(seesAll(principal) || ownerOf(principal) === receipt.user_id)) throw notFound('receipt');
  return receipt;
}

export function writableReceipt(principal: Principal, receipt: ReceiptRow | undefined): ReceiptRow {
  const visible = visibleReceipt(principal, receipt);
  if (!writesAll(principal) && ownerOf(principal) !== visible.user_id) throw new DomainError('forbidden', 'only the receipt\'s owner or someone with receipts:write may change it');
  return visible;
}

/** A transaction the principal may attach receipts to: their own, or anyone's with receipts:write. */
export function writableTransaction(principal: Principal, transaction: CardTransactionRow | undefined): CardTransactionRow {
  const own = transaction && ownerOf(principal) === transaction.user_id;
  const visible = transaction && transaction.company_id === principal.companyId && (own || seesAll(principal) || principal.permissions.has('transactions:read'));
  if (!transaction || !visible) throw notFound('card transaction');
  if (!own && !writesAll(principal)) throw new DomainError('forbidden', 'only the cardholder or someone with receipts:write may do this');
  return transaction;
}
