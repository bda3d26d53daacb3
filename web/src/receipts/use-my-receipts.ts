// What the cardholder's page shows about receipts, loaded together because each follows the
// other: their card transactions, their receipts and the purchases still missing one. When
// Outlay attaches or detaches a receipt by itself (after reading it) the transactions and the
// missing list are fetched again, quietly.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { invalidate } from '../api/queries';
import type { CardTransaction, Receipt } from '../api/types';
import { usePages, type Pages, type PagesHandle } from '../components/use-pages';
import { whileReading } from './reading-poll';

const transactionsPageSize = 50;
const receiptsPageSize = 30;
const missingPageSize = 20;

export interface MyReceipts {
  transactions: PagesHandle<CardTransaction>;
  receipts: PagesHandle<Receipt>;
  missing: PagesHandle<CardTransaction>;
}

/** Which receipt is attached where; a change of it is what the purchases follow. */
function attachments(receipts: Pages<Receipt>): string | null {
  if (receipts.status !== 'ready') return null;
  return receipts.items.map((receipt) => `${receipt.id}:${receipt.match.transactionId ?? ''}`).join(',');
}

export function useMyReceipts(userId: string): MyReceipts {
  const queryClient = useQueryClient();
  // Everyone's own only: reviewers and bookkeepers would otherwise get the whole company's.
  const mine = { userId };
  const transactions = usePages('/api/v1/card-transactions', transactionsPageSize, mine);
  const receipts = usePages('/api/v1/receipts', receiptsPageSize, mine, { pollWhile: whileReading });
  const missing = usePages('/api/v1/receipts/missing', missingPageSize, mine);

  const attached = attachments(receipts.pages);
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (attached === null) return;
    if (seen.current !== null && seen.current !== attached) void invalidate(queryClient, ['/api/v1/card-transactions', '/api/v1/receipts/missing']);
    seen.current = attached;
  }, [attached, queryClient]);

  return { transactions, receipts, missing };
}
