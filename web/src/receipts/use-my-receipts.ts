// What the cardholder's page shows about receipts, loaded together because each follows the
// other: their card transactions, their receipts and the purchases still missing one. When a
// receipt is attached or detached (by the person, or by Outlay after reading it) the
// transactions and the missing list are fetched again, quietly.
import { useCallback, useEffect, useRef } from 'react';
import type { CardTransaction, Receipt } from '../api/types';
import { usePages, type Pages, type PagesHandle } from '../components/use-pages';
import { useReadingPoll } from './use-reading-poll';

const transactionsPageSize = 50;
const receiptsPageSize = 30;
const missingPageSize = 20;

export interface MyReceipts {
  transactions: PagesHandle<CardTransaction>;
  receipts: PagesHandle<Receipt>;
  missing: PagesHandle<CardTransaction>;
  /** After a change to a purchase that no receipt shows (a receipt declared lost). */
  purchasesChanged: () => void;
}

/** Which receipt is attached where; a change of it is what the purchases follow. */
function attachments(receipts: Pages<Receipt>): string | null {
  if (receipts.status !== 'ready') return null;
  return receipts.items.map((receipt) => `${receipt.id}:${receipt.match.transactionId ?? ''}`).join(',');
}

export function useMyReceipts(userId: string): MyReceipts {
  // Everyone's own only: reviewers and bookkeepers would otherwise get the whole company's.
  const mine = { userId };
  const transactions = usePages<CardTransaction>('/card-transactions', transactionsPageSize, mine);
  const receipts = usePages<Receipt>('/receipts', receiptsPageSize, mine);
  const missing = usePages<CardTransaction>('/receipts/missing', missingPageSize, mine);
  useReadingPoll(receipts);

  const { refresh: refreshTransactions } = transactions;
  const { refresh: refreshMissing } = missing;
  const purchasesChanged = useCallback(() => {
    void refreshTransactions();
    void refreshMissing();
  }, [refreshTransactions, refreshMissing]);

  const attached = attachments(receipts.pages);
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (attached === null) return;
    if (seen.current !== null && seen.current !== attached) purchasesChanged();
    seen.current = attached;
  }, [attached, purchasesChanged]);

  return { transactions, receipts, missing, purchasesChanged };
}
