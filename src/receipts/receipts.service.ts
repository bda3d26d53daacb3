// Receipts as people see them: one, a page of them, their stored files, and discarding one
// sent by mistake. Taking them in is receipt-intake.service.ts, matching them by hand
// matching-by-hand.service.ts; who may see which is receipt-access.ts.
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { listedOwner, visibleReceipt, writableReceipt } from './receipt-access.js';
import * as repo from './receipts.repository.js';

export type { CardTransactionRow, ReceiptRow, ReceiptSettingsRow, MissingByPerson } from './receipts.repository.js';

/** Receipts with the card transactions their suggestions name, for presenting them. */
export interface ReceiptsWithSuggestions {
  receipts: repo.ReceiptRow[];
  transactions: Map<string, repo.CardTransactionRow>;
}

async function withSuggestions(db: Db, companyId: string, receipts: repo.ReceiptRow[]): Promise<ReceiptsWithSuggestions> {
  const ids = [...new Set(receipts.flatMap((receipt) => (receipt.suggestions as { transactionId: string }[]).map((s) => s.transactionId)))];
  const transactions = new Map((await repo.findTransactions(db, companyId, ids)).map((row) => [row.id, row]));
  return { receipts, transactions };
}

export async function getReceipt(db: Db, principal: Principal, id: string): Promise<ReceiptsWithSuggestions> {
  const receipt = visibleReceipt(principal, await repo.findReceipt(db, principal.companyId, id));
  return withSuggestions(db, principal.companyId, [receipt]);
}

export async function listReceipts(db: Db, principal: Principal, filter: { userId?: string; matchState?: repo.ReceiptRow['match_state']; transactionId?: string; before?: string; limit: number }) {
  const rows = await repo.listReceipts(db, { companyId: principal.companyId, ...filter, userId: listedOwner(principal, filter.userId) });
  return withSuggestions(db, principal.companyId, rows);
}

/** The stored file (or its thumbnail) of a receipt the principal may see. */
export async function getReceiptFile(deps: { db: Db; blobs: BlobStore }, principal: Principal, id: string, which: 'file' | 'thumbnail') {
  const receipt = visibleReceipt(principal, await repo.findReceipt(deps.db, principal.companyId, id));
  const key = which === 'file' ? receipt.blob_key : receipt.thumbnail_key;
  const bytes = key ? await deps.blobs.get(key) : null;
  if (!bytes) throw notFound(which === 'file' ? 'receipt file' : 'thumbnail');
  return { receipt, bytes, mediaType: which === 'file' ? receipt.media_type : 'image/jpeg' };
}

/** Removes an unmatched receipt sent by mistake; its files go with it. */
export async function discardReceipt(deps: { db: Db; blobs: BlobStore }, principal: Principal, receiptId: string): Promise<void> {
  const removed = await deps.db.transaction().execute(async (trx) => {
    const receipt = writableReceipt(principal, await repo.lockReceipt(trx, principal.companyId, receiptId));
    if (receipt.match_state === 'matched') throw new DomainError('receipt_already_matched', 'unmatch the receipt before discarding it');
    await repo.clearDuplicateOf(trx, principal.companyId, receipt.id);
    await repo.deleteReceipt(trx, principal.companyId, receipt.id);
    return receipt;
  });
  await Promise.all([deps.blobs.delete(removed.blob_key), removed.thumbnail_key ? deps.blobs.delete(removed.thumbnail_key) : undefined]);
}
