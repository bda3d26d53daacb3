// The queue a stored receipt waits in to be read: the intake sends to it in the receipt's own
// transaction, receipt-reading.ts works it off.
import type { QueueDefinition } from '../jobs/job-queue.js';

/** Reading a receipt: OCR can take a while; a job past this is retried, at most twice. */
export const readReceiptQueue: QueueDefinition = { name: 'receipt-read', retryLimit: 2, retryDelaySeconds: 10, expireInSeconds: 15 * 60 };

export interface ReadReceiptJob {
  companyId: string;
  receiptId: string;
}
