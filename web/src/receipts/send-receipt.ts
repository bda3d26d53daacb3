// Sending a receipt file: the photo from the camera, a picture or a PDF, with the purchase it
// is for when the person said so. The server tells the type from the content; the declared
// type only has to be one the upload route takes, so anything else goes as plain bytes and
// gets the server's own word on what it accepts.
import { api, fileBody, ok } from '../api/client';
import type { GetPath } from '../api/queries';
import type { UploadType } from '../api/types';

/** What the file input offers (types the upload route takes); the server decides by content. */
const declarableTypes: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] satisfies UploadType<'uploadReceipt'>[];
export const receiptAccept = declarableTypes.join(',');

/** src/receipts/receipts.service.ts fileNameLengthMax: a longer name is cut, not refused. */
const fileNameLengthMax = 200;

/** Files a person can drop or pick at once. */
export const receiptFilesAtOnceMax = 10;

/** What a receipt sent, attached, detached, discarded or declared lost changes: the receipts,
 * the purchases' receipt states, what is missing, and the expenses that show them. */
export const receiptsChanged: readonly GetPath[] = [
  '/api/v1/receipts',
  '/api/v1/receipts/missing',
  '/api/v1/receipts/missing/by-person',
  '/api/v1/card-transactions',
  '/api/v1/expenses',
  '/api/v1/expenses/{id}',
];

export function sendReceipt(file: File, transactionId?: string) {
  const contentType = declarableTypes.includes(file.type) ? file.type : 'application/octet-stream';
  const query = { transactionId, fileName: file.name.slice(0, fileNameLengthMax) || undefined };
  return ok(api.POST('/api/v1/receipts', { params: { query }, body: file, ...fileBody(contentType) }));
}
