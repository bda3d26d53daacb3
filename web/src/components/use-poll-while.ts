// Fetches a list again every little while as long as `waiting` says something in it is still
// being worked on in the background (a receipt read, an export written); each fetch waits
// for the one before, and it gives up after a while (a reload starts again).
import { useEffect } from 'react';

export function usePollWhile(waiting: boolean, refresh: () => Promise<void>, intervalMs: number, durationMaxMs: number): void {
  useEffect(() => {
    if (!waiting) return;
    const startedAt = Date.now();
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const next = () => {
      if (stopped || Date.now() - startedAt > durationMaxMs) return;
      timer = setTimeout(() => void refresh().finally(next), intervalMs);
    };
    next();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [waiting, refresh, intervalMs, durationMaxMs]);
}
