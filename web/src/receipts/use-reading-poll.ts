// Reading a receipt takes a few seconds in the background. While any receipt shown is still
// being read, the list is fetched again every little while, so the person sees what was read
// and where it was attached without reloading; it stops once all are read, or after a while
// (a refresh or reload starts again).
import { useEffect } from 'react';
import type { Receipt } from '../api/types';
import type { PagesHandle } from '../components/use-pages';
import { isBeingRead } from './receipt-labels';

const readingPollMs = 1500;
const readingPollDurationMaxMs = 5 * 60_000;

export function useReadingPoll(receipts: PagesHandle<Receipt>): void {
  const { pages, refresh } = receipts;
  const reading = pages.status === 'ready' && pages.items.some(isBeingRead);
  useEffect(() => {
    if (!reading) return;
    const startedAt = Date.now();
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Each fetch waits for the one before it, so a slow server is not asked twice at once.
    const next = () => {
      if (stopped || Date.now() - startedAt > readingPollDurationMaxMs) return;
      timer = setTimeout(() => void refresh().finally(next), readingPollMs);
    };
    next();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [reading, refresh]);
}
