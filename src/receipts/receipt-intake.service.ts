// Taking receipts in, by three ways: uploaded from the web app or the API (for the caller,
// or for anyone with receipts:write), e-mailed to a person's forwarding address, and added by
// Outlay itself for a person (the demo company's). Each stores the file and queues its reading.
import { takeUploadAttempt } from '../auth/attempt-limiter.js';
import { receiptUploadsPerCompany, receiptUploadsPerUploader } from '../auth/attempt-limits.js';
import type { Principal } from '../auth/principal.js';
import { changingCardTransactions, findTransaction, lockTransaction } from '../cards/card-transactions.service.js';
import type { Db } from '../db/database.js';
import type { ReceiptSource } from '../db/schema.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { getPerson } from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { BlobStore } from '../storage/blob-store.js';
import { extensionOf } from './media-type.js';
import { readReceiptQueue, type ReadReceiptJob } from './read-receipt-queue.js';
import { ownerOf, writableTransaction, writesAll } from './receipt-access.js';
import { prepareReceiptFile, prepareReceiptText, sha256Hex, type PreparedReceiptFile } from './receipt-file.js';
import { checkText } from './receipt-input.js';
import { attachReceipt, checkHasNoReceipt, checkTakesReceipt } from './receipt-matching.js';
import * as repo from './receipts.repository.js';

export interface ReceiptsDeps {
  db: Db;
  blobs: BlobStore;
  jobs: JobQueue;
  fileBytesMax: number;
}

export const fileNameLengthMax = 200;
export const emailHeaderLengthMax = 300;

interface NewReceipt {
  companyId: string;
  userId: string;
  transactionId: string | null;
  source: ReceiptSource;
  fileName: string | null;
  emailFrom?: string | null;
  emailSubject?: string | null;
  emailMessageId?: string | null;
}

/**
 * Stores the file, then records the receipt and queues its reading in one transaction. The
 * files are written first and removed again when the transaction fails, so a refused
 * receipt leaves nothing behind.
 */
async function storeReceipt(deps: ReceiptsDeps, receipt: NewReceipt, file: PreparedReceiptFile, now: Date): Promise<repo.ReceiptRow> {
  const id = newId('receipt', now.getTime());
  const blobKey = `receipts/${receipt.companyId}/${id}.${file.mediaType === 'text/plain' ? 'txt' : extensionOf(file.mediaType)}`;
  const thumbnailKey = file.thumbnail ? `receipts/${receipt.companyId}/${id}.thumb.jpg` : null;
  await deps.blobs.put(blobKey, file.bytes);
  if (thumbnailKey && file.thumbnail) await deps.blobs.put(thumbnailKey, file.thumbnail);
  try {
    const stored = await changingCardTransactions(deps.db, async (trx) => {
      const transaction = receipt.transactionId ? await lockTransaction(trx, receipt.companyId, receipt.transactionId) : null;
      if (receipt.transactionId && !transaction) throw notFound('card transaction');
      if (transaction) {
        checkTakesReceipt(transaction);
        await checkHasNoReceipt(trx, transaction);
      }
      const sameFile = await repo.findSameFile(trx, receipt.companyId, file.originalSha256, id);
      const row = await repo.insertReceipt(trx, {
        company_id: receipt.companyId,
        id,
        user_id: receipt.userId,
        source: receipt.source,
        media_type: file.mediaType,
        file_name: receipt.fileName,
        byte_size: file.bytes.length,
        original_sha256: file.originalSha256,
        blob_key: blobKey,
        thumbnail_key: thumbnailKey,
        email_from: receipt.emailFrom ?? null,
        email_subject: receipt.emailSubject ?? null,
        email_message_id: receipt.emailMessageId ?? null,
        read_state: 'queued',
        match_state: 'unmatched',
        duplicate_of: sameFile?.id ?? null,
        duplicate_reason: sameFile ? 'same_file' : null,
      });
      await deps.jobs.send<ReadReceiptJob>(trx, readReceiptQueue, { companyId: receipt.companyId, receiptId: id });
      // Sent for its purchase: attached now, checked once it is read (nothing is read yet).
      return transaction ? attachReceipt(trx, row, transaction, { by: 'user', mismatches: [], note: null }, now) : row;
    });
    deps.jobs.wake(readReceiptQueue);
    return stored;
  } catch (error) {
    await Promise.all([deps.blobs.delete(blobKey), thumbnailKey ? deps.blobs.delete(thumbnailKey) : undefined]);
    throw error;
  }
}

export interface UploadInput {
  bytes: Buffer;
  fileName?: string | null;
  transactionId?: string | null;
  /** Whose receipt it is; needs receipts:write unless it is the caller. */
  userId?: string | null;
}

/** Whose receipt an upload is: the transaction's holder, the person named, or the caller. */
async function uploadOwner(db: Db, principal: Principal, input: UploadInput): Promise<string> {
  let userId = input.userId ?? null;
  if (userId !== null && userId !== ownerOf(principal) && !writesAll(principal)) {
    throw new DomainError('forbidden', 'sending receipts for someone else needs the receipts:write permission', 'userId');
  }
  if (input.transactionId) {
    const transaction = writableTransaction(principal, await findTransaction(db, principal.companyId, input.transactionId));
    checkTakesReceipt(transaction);
    if (userId !== null && userId !== transaction.user_id) throw new DomainError('validation_failed', 'the transaction belongs to someone else than userId', 'userId');
    userId = transaction.user_id;
  }
  userId ??= ownerOf(principal);
  if (userId === null) throw new DomainError('validation_failed', 'an API key must say whose receipt it is: userId or transactionId', 'userId');
  if (userId !== ownerOf(principal)) await getPerson(db, principal.companyId, userId);
  return userId;
}

const receiptUploadLimits = { perUploader: receiptUploadsPerUploader, perCompany: receiptUploadsPerCompany };

/** A receipt sent from the web app or the API, with or without the transaction it is for:
 * counted against the sender's and the company's hourly limits before anything else. */
export async function uploadReceipt(deps: ReceiptsDeps, principal: Principal, input: UploadInput, now: Date): Promise<repo.ReceiptRow> {
  await takeUploadAttempt(deps.db, principal, receiptUploadLimits, now, 'too many receipts were sent');
  const fileName = checkText(input.fileName, 'fileName', fileNameLengthMax);
  const userId = await uploadOwner(deps.db, principal, input);
  const file = await prepareReceiptFile(input.bytes, deps.fileBytesMax);
  const source: ReceiptSource = principal.kind === 'api_key' ? 'api' : 'upload';
  return storeReceipt(deps, { companyId: principal.companyId, userId, transactionId: input.transactionId ?? null, source, fileName }, file, now);
}

/** A file attached to a mail, or the mail's own text when it is the receipt. */
export type ReceiptContent = { kind: 'file'; bytes: Buffer; fileName: string | null } | { kind: 'text'; text: string };

export interface MailedReceipt {
  companyId: string;
  userId: string;
  messageId: string | null;
  from: string | null;
  subject: string;
  content: ReceiptContent;
}

async function prepareContent(content: ReceiptContent, fileBytesMax: number): Promise<PreparedReceiptFile> {
  return content.kind === 'file' ? prepareReceiptFile(content.bytes, fileBytesMax) : prepareReceiptText(content.text, fileBytesMax);
}

/** A receipt e-mailed to a person's forwarding address. */
export async function receiveMailedReceipt(deps: ReceiptsDeps, mail: MailedReceipt, now: Date): Promise<repo.ReceiptRow> {
  const file = await prepareContent(mail.content, deps.fileBytesMax);
  const fileName = mail.content.kind === 'file' ? (mail.content.fileName?.slice(0, fileNameLengthMax) ?? null) : null;
  return storeReceipt(deps, {
    companyId: mail.companyId,
    userId: mail.userId,
    transactionId: null,
    source: 'email',
    fileName,
    emailFrom: mail.from?.slice(0, emailHeaderLengthMax) ?? null,
    emailSubject: mail.subject.slice(0, emailHeaderLengthMax),
    emailMessageId: mail.messageId?.slice(0, emailHeaderLengthMax) ?? null,
  }, file, now);
}

/** Whether this file (or text) of a message was taken for this person already: the sender
 * delivers a message again after a temporary failure, and only what was not taken is new. */
export async function hasMailedReceipt(db: Db, companyId: string, userId: string, messageId: string, content: ReceiptContent): Promise<boolean> {
  const sha = sha256Hex(content.kind === 'file' ? content.bytes : Buffer.from(content.text, 'utf8'));
  return (await repo.countReceiptsOfMessage(db, companyId, userId, messageId.slice(0, emailHeaderLengthMax), sha)) > 0;
}

/** A receipt Outlay itself adds for a person (the demo company's): no access check. */
export async function addReceiptForPerson(
  deps: ReceiptsDeps,
  receipt: { companyId: string; userId: string; transactionId: string | null; fileName: string | null; content: ReceiptContent },
  now: Date,
): Promise<repo.ReceiptRow> {
  const file = await prepareContent(receipt.content, deps.fileBytesMax);
  return storeReceipt(deps, { companyId: receipt.companyId, userId: receipt.userId, transactionId: receipt.transactionId, source: 'demo', fileName: receipt.fileName }, file, now);
}
