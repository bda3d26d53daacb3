// Reading a receipt takes a few seconds in the background. While any receipt shown is still
// being read, the list is fetched again every little while, so the person sees what was read
// and where it was attached without reloading; it stops once all are read, or after a while
// (a reload starts again).
import type { Receipt } from '../api/types';
import { isBeingRead } from './receipt-labels';

const readingPollMs = 1500;
const readingPollDurationMaxMs = 5 * 60_000;

/** usePages's pollWhile for lists of receipts. */
export const whileReading = {
  waiting: (receipts: Receipt[]) => receipts.some(isBeingRead),
  intervalMs: readingPollMs,
  durationMaxMs: readingPollDurationMaxMs,
};
