// Reading a receipt takes a few seconds in the background. While any receipt shown is still
// being read, the list is fetched again every little while, so the person sees what was read
// and where it was attached without reloading; it stops once all are read, or after a while
// (a refresh or reload starts again).
import type { Receipt } from '../api/types';
import type { PagesHandle } from '../components/use-pages';
import { usePollWhile } from '../components/use-poll-while';
import { isBeingRead } from './receipt-labels';

const readingPollMs = 1500;
const readingPollDurationMaxMs = 5 * 60_000;

export function useReadingPoll(receipts: PagesHandle<Receipt>): void {
  const { pages, refresh } = receipts;
  usePollWhile(pages.status === 'ready' && pages.items.some(isBeingRead), refresh, readingPollMs, readingPollDurationMaxMs);
}
