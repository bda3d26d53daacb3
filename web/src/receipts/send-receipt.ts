// Sending a receipt file: the photo from the camera, a picture or a PDF, with the purchase it
// is for when the person said so. The server tells the type from the content; the declared
// type only has to be one the upload route takes, so anything else goes as plain bytes and
// gets the server's own word on what it accepts.
import { api } from '../api/client';
import type { Receipt } from '../api/types';

/** What the file input offers; the server decides by content. */
export const receiptAccept = 'image/jpeg,image/png,image/webp,application/pdf';
const declarableTypes = receiptAccept.split(',');

/** src/receipts/receipts.service.ts fileNameLengthMax: a longer name is cut, not refused. */
const fileNameLengthMax = 200;

/** Files a person can drop or pick at once. */
export const receiptFilesAtOnceMax = 10;

export function sendReceipt(file: File, transactionId?: string): Promise<Receipt> {
  const contentType = declarableTypes.includes(file.type) ? file.type : 'application/octet-stream';
  return api.upload<Receipt>('/receipts', file, { contentType, query: { transactionId, fileName: file.name.slice(0, fileNameLengthMax) || undefined } });
}
