// Receipts: taking them in (web, API, e-mail), who may see and change them, matching them to
// card transactions by hand, declaring them lost, and what is still missing.
//
// Who may do what: a person sees and changes their own receipts; with receipts:read a
// principal sees everyone's in the company; receipts:write sends and matches receipts for
// anyone (integrations, admins); receipts:manage sets the company's receipt rules. A receipt
// or transaction a principal may not see answers "not found", never "forbidden".
import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import type { ReceiptSource } from '../db/schema.js';
import type { JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import { parseAmount } from '../money/money.js';
import { getCompany } from '../companies/companies.service.js';
import { markExpenseUnsynced } from '../cards/card-transactions.service.js';
import { getPerson } from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { BlobStore } from '../storage/blob-store.js';
import { extensionOf } from './media-type.js';
import { prepareReceiptFile, prepareReceiptText, sha256Hex, type PreparedReceiptFile } from './receipt-file.js';
import { attachReceipt, canTakeReceipt, liftReceiptFreeze } from './receipt-matching.js';
import * as repo from './receipts.repository.js';

export type { ReceiptRow, ReceiptSettingsRow } from './receipts.repository.js';

export interface ReceiptsDeps {
  db: Db;
  blobs: BlobStore;
  jobs: JobQueue;
  fileBytesMax: number;
}

/** Reading a receipt: OCR can take a while; a job past this is retried, at most twice. */
export const readReceiptQueue: QueueDefinition = { name: 'receipt-read', retryLimit: 2, retryDelaySeconds: 10, expireInSeconds: 15 * 60 };
export interface ReadReceiptJob {
  companyId: string;
  receiptId: string;
}

export const fileNameLengthMax = 200;
export const lostNoteLengthMax = 500;
export const emailHeaderLengthMax = 300;

// --- Access ------------------------------------------------------------------------------

const ownerOf = (principal: Principal): string | null => (principal.kind === 'user' ? principal.userId : null);
const seesAll = (principal: Principal) => principal.permissions.has('receipts:read') || principal.permissions.has('receipts:write');
const writesAll = (principal: Principal) => principal.permissions.has('receipts:write');

function visibleReceipt(principal: Principal, receipt: repo.ReceiptRow | undefined): repo.ReceiptRow {
  if (!receipt || receipt.company_id !== principal.companyId || !(seesAll(principal) || ownerOf(principal) === receipt.user_id)) throw notFound('receipt');
  return receipt;
}

function writableReceipt(principal: Principal, receipt: repo.ReceiptRow | undefined): repo.ReceiptRow {
  const visible = visibleReceipt(principal, receipt);
  if (!writesAll(principal) && ownerOf(principal) !== visible.user_id) throw new DomainError('forbidden', 'only the receipt\'s owner or someone with receipts:write may change it');
  return visible;
}

/** A transaction the principal may attach receipts to: their own, or anyone's with receipts:write. */
function writableTransaction(principal: Principal, transaction: repo.CardTransactionRow | undefined): repo.CardTransactionRow {
  const own = transaction && ownerOf(principal) === transaction.user_id;
  const visible = transaction && transaction.company_id === principal.companyId && (own || seesAll(principal) || principal.permissions.has('transactions:read'));
  if (!transaction || !visible) throw notFound('card transaction');
  if (!own && !writesAll(principal)) throw new DomainError('forbidden', 'only the cardholder or someone with receipts:write may do this');
  return transaction;
}

function checkTakesReceipt(transaction: repo.CardTransactionRow): void {
  if (!canTakeReceipt(transaction)) {
    throw new DomainError('receipt_not_needed', `a ${transaction.kind.replace('_', ' ')} that is ${transaction.state} takes no receipt`, 'transactionId');
  }
}

function checkText(value: string | null | undefined, field: string, lengthMax: number): string | null {
  const text = value?.trim() ?? '';
  if (text.length > lengthMax) throw new DomainError('validation_failed', `${field} has at most ${lengthMax} characters`, field);
  return text.length === 0 ? null : text;
}

// --- Taking receipts in -----------------------------------------------------------------------

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
    const stored = await deps.db.transaction().execute(async (trx) => {
      const transaction = receipt.transactionId ? await repo.lockTransaction(trx, receipt.companyId, receipt.transactionId) : null;
      if (receipt.transactionId && !transaction) throw notFound('card transaction');
      if (transaction) {
        checkTakesReceipt(transaction);
        if (await repo.findReceiptOfTransaction(trx, receipt.companyId, transaction.id)) {
          throw new DomainError('transaction_has_receipt', 'this transaction has a receipt already: unmatch that one first', 'transactionId');
        }
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
      return transaction ? attachReceipt(trx, row, transaction, 'user', now) : row;
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

/** A receipt sent from the web app or the API, with or without the transaction it is for. */
export async function uploadReceipt(deps: ReceiptsDeps, principal: Principal, input: UploadInput, now = new Date()): Promise<repo.ReceiptRow> {
  const fileName = checkText(input.fileName, 'fileName', fileNameLengthMax);
  let userId = input.userId ?? null;
  if (userId !== null && userId !== ownerOf(principal) && !writesAll(principal)) {
    throw new DomainError('forbidden', 'sending receipts for someone else needs the receipts:write permission', 'userId');
  }
  if (input.transactionId) {
    const transaction = writableTransaction(principal, await repo.findTransaction(deps.db, principal.companyId, input.transactionId));
    checkTakesReceipt(transaction);
    if (userId !== null && userId !== transaction.user_id) throw new DomainError('validation_failed', 'the transaction belongs to someone else than userId', 'userId');
    userId = transaction.user_id;
  }
  userId ??= ownerOf(principal);
  if (userId === null) throw new DomainError('validation_failed', 'an API key must say whose receipt it is: userId or transactionId', 'userId');
  if (userId !== ownerOf(principal)) await getPerson(deps.db, principal.companyId, userId);
  const file = await prepareReceiptFile(input.bytes, deps.fileBytesMax);
  const source: ReceiptSource = principal.kind === 'api_key' ? 'api' : 'upload';
  return storeReceipt(deps, { companyId: principal.companyId, userId, transactionId: input.transactionId ?? null, source, fileName }, file, now);
}

export interface MailedReceipt {
  companyId: string;
  userId: string;
  messageId: string | null;
  from: string | null;
  subject: string;
  /** A file attached to the mail, or the mail's own text when it is the receipt. */
  content: { kind: 'file'; bytes: Buffer; fileName: string | null } | { kind: 'text'; text: string };
}

/** A receipt e-mailed to a person's forwarding address. */
export async function receiveMailedReceipt(deps: ReceiptsDeps, mail: MailedReceipt, now = new Date()): Promise<repo.ReceiptRow> {
  const file = mail.content.kind === 'file' ? await prepareReceiptFile(mail.content.bytes, deps.fileBytesMax) : prepareReceiptText(mail.content.text, deps.fileBytesMax);
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
export async function hasMailedReceipt(db: Db, companyId: string, userId: string, messageId: string, content: MailedReceipt['content']): Promise<boolean> {
  const sha = sha256Hex(content.kind === 'file' ? content.bytes : Buffer.from(content.text, 'utf8'));
  return (await repo.countReceiptsOfMessage(db, companyId, userId, messageId.slice(0, emailHeaderLengthMax), sha)) > 0;
}

/** Resolves a forwarding token to its person, or null. */
export async function findForwardingOwner(db: Db, token: string): Promise<{ companyId: string; userId: string } | null> {
  const found = await repo.findAddressByToken(db, token);
  if (!found) return null;
  const person = await repo.findActivePerson(db, found.company_id, found.user_id);
  return person ? { companyId: found.company_id, userId: found.user_id } : null;
}

/** A receipt Outlay itself adds for a person (the demo company's): no access check. */
export async function addReceiptForPerson(
  deps: ReceiptsDeps,
  receipt: { companyId: string; userId: string; transactionId: string | null; fileName: string | null; content: MailedReceipt['content'] },
  now = new Date(),
): Promise<repo.ReceiptRow> {
  const file = receipt.content.kind === 'file' ? await prepareReceiptFile(receipt.content.bytes, deps.fileBytesMax) : prepareReceiptText(receipt.content.text, deps.fileBytesMax);
  return storeReceipt(deps, { companyId: receipt.companyId, userId: receipt.userId, transactionId: receipt.transactionId, source: 'demo', fileName: receipt.fileName }, file, now);
}

// --- Reading receipts back ----------------------------------------------------------------

export async function getReceipt(db: Db, principal: Principal, id: string): Promise<repo.ReceiptRow> {
  return visibleReceipt(principal, await repo.findReceipt(db, principal.companyId, id));
}

export async function listReceipts(db: Db, principal: Principal, filter: { userId?: string; matchState?: repo.ReceiptRow['match_state']; transactionId?: string; before?: string; limit: number }) {
  const userId = seesAll(principal) ? filter.userId : (ownerOf(principal) ?? '-');
  return repo.listReceipts(db, { companyId: principal.companyId, ...filter, userId });
}

/** The stored file (or its thumbnail) of a receipt the principal may see. */
export async function getReceiptFile(deps: Pick<ReceiptsDeps, 'db' | 'blobs'>, principal: Principal, id: string, which: 'file' | 'thumbnail') {
  const receipt = await getReceipt(deps.db, principal, id);
  const key = which === 'file' ? receipt.blob_key : receipt.thumbnail_key;
  const bytes = key ? await deps.blobs.get(key) : null;
  if (!bytes) throw notFound(which === 'file' ? 'receipt file' : 'thumbnail');
  return { receipt, bytes, mediaType: which === 'file' ? receipt.media_type : 'image/jpeg' };
}

/** The card transactions named in receipts' suggestions, for presenting them. */
export async function suggestedTransactions(db: Db, companyId: string, receipts: readonly repo.ReceiptRow[]) {
  const ids = [...new Set(receipts.flatMap((receipt) => (receipt.suggestions as { transactionId: string }[]).map((s) => s.transactionId)))];
  return new Map((await repo.findTransactions(db, companyId, ids)).map((row) => [row.id, row]));
}

// --- Matching by hand, unmatching, losing, discarding -----------------------------------------

export async function matchReceiptByHand(db: Db, principal: Principal, receiptId: string, transactionId: string, now = new Date()): Promise<repo.ReceiptRow> {
  return db.transaction().execute(async (trx) => {
    const receipt = writableReceipt(principal, await repo.lockReceipt(trx, principal.companyId, receiptId));
    if (receipt.transaction_id === transactionId) return receipt;
    if (receipt.expense_id) throw new DomainError('receipt_already_matched', 'the receipt belongs to an out-of-pocket expense');
    const transaction = writableTransaction(principal, await repo.lockTransaction(trx, principal.companyId, transactionId));
    if (transaction.user_id !== receipt.user_id) throw new DomainError('validation_failed', 'the transaction belongs to someone else than the receipt', 'transactionId');
    checkTakesReceipt(transaction);
    if (await repo.findReceiptOfTransaction(trx, principal.companyId, transaction.id)) {
      throw new DomainError('transaction_has_receipt', 'this transaction has a receipt already: unmatch that one first', 'transactionId');
    }
    // Moving a receipt from one transaction to another leaves the first one missing again.
    if (receipt.transaction_id) await repo.updateReceipt(trx, principal.companyId, receipt.id, { match_state: 'unmatched', transaction_id: null, matched_by: null, matched_at: null });
    return attachReceipt(trx, receipt, transaction, 'user', now);
  });
}

export async function unmatchReceipt(db: Db, principal: Principal, receiptId: string): Promise<repo.ReceiptRow> {
  return db.transaction().execute(async (trx) => {
    const receipt = writableReceipt(principal, await repo.lockReceipt(trx, principal.companyId, receiptId));
    if (receipt.match_state !== 'matched') throw new DomainError('conflict', 'the receipt is not matched to a transaction');
    if (receipt.expense_id) throw new DomainError('conflict', 'the receipt belongs to an out-of-pocket expense: change it there');
    if (receipt.transaction_id) await markExpenseUnsynced(trx, principal.companyId, receipt.transaction_id);
    return repo.updateReceipt(trx, principal.companyId, receipt.id, {
      match_state: 'unmatched',
      transaction_id: null,
      matched_by: null,
      matched_at: null,
      auto_match: false,
      suggestions: '[]',
    });
  });
}

/** Removes an unmatched receipt sent by mistake; its files go with it. */
export async function discardReceipt(deps: Pick<ReceiptsDeps, 'db' | 'blobs'>, principal: Principal, receiptId: string): Promise<void> {
  const removed = await deps.db.transaction().execute(async (trx) => {
    const receipt = writableReceipt(principal, await repo.lockReceipt(trx, principal.companyId, receiptId));
    if (receipt.match_state === 'matched') throw new DomainError('receipt_already_matched', 'unmatch the receipt before discarding it');
    await repo.clearDuplicateOf(trx, principal.companyId, receipt.id);
    await repo.deleteReceipt(trx, principal.companyId, receipt.id);
    return receipt;
  });
  await Promise.all([deps.blobs.delete(removed.blob_key), removed.thumbnail_key ? deps.blobs.delete(removed.thumbnail_key) : undefined]);
}

export async function declareReceiptLost(db: Db, principal: Principal, transactionId: string, note: string, now = new Date()) {
  const text = checkText(note, 'note', lostNoteLengthMax);
  if (!text) throw new DomainError('validation_failed', 'say what happened to the receipt', 'note');
  return db.transaction().execute(async (trx) => {
    const transaction = writableTransaction(principal, await repo.lockTransaction(trx, principal.companyId, transactionId));
    checkTakesReceipt(transaction);
    if (await repo.findReceiptOfTransaction(trx, principal.companyId, transaction.id)) {
      throw new DomainError('transaction_has_receipt', 'this transaction has its receipt', 'transactionId');
    }
    if (await repo.findLostReceipt(trx, principal.companyId, transaction.id)) throw new DomainError('conflict', 'the receipt was declared lost already');
    await repo.insertLostReceipt(trx, { company_id: principal.companyId, transaction_id: transaction.id, note: text, declared_by: ownerOf(principal) ?? (principal.kind === 'api_key' ? principal.apiKeyId : '-') });
    await markExpenseUnsynced(trx, principal.companyId, transaction.id);
    await liftReceiptFreeze(trx, principal.companyId, transaction.card_id, transaction.user_id, now);
    return (await repo.findLostReceipt(trx, principal.companyId, transaction.id))!;
  });
}

// --- Receipts of out-of-pocket expenses (called in the expense's transaction) ---------------

/** Attaches one of the person's receipts to their out-of-pocket expense. */
/** Whether the card purchase's receipt is in: attached, or declared lost. */
export async function transactionHasReceipt(db: Db, companyId: string, transactionId: string): Promise<boolean> {
  const [receipt, lost] = await Promise.all([repo.findReceiptOfTransaction(db, companyId, transactionId), repo.findLostReceipt(db, companyId, transactionId)]);
  return receipt !== undefined || lost !== undefined;
}

export async function attachReceiptToExpense(trx: Db, companyId: string, receiptId: string, expenseId: string, userId: string): Promise<repo.ReceiptRow> {
  const receipt = await repo.lockReceipt(trx, companyId, receiptId);
  if (!receipt || receipt.user_id !== userId) throw new DomainError('not_found', 'receipt was not found', 'receiptId');
  if (receipt.match_state === 'matched') throw new DomainError('receipt_already_matched', 'the receipt belongs to a card purchase or another expense already', 'receiptId');
  return repo.updateReceipt(trx, companyId, receiptId, { match_state: 'matched', expense_id: expenseId, matched_by: 'user', matched_at: new Date(), suggestions: '[]' });
}

export async function detachReceiptFromExpense(trx: Db, companyId: string, receiptId: string): Promise<void> {
  await repo.updateReceipt(trx, companyId, receiptId, { match_state: 'unmatched', expense_id: null, matched_by: null, matched_at: null, auto_match: false });
}

// --- What is missing --------------------------------------------------------------------------

export async function listMissingReceipts(db: Db, principal: Principal, filter: { userId?: string; before?: string; limit: number }) {
  const settings = await getReceiptSettings(db, principal.companyId);
  const userId = seesAll(principal) ? filter.userId : (ownerOf(principal) ?? '-');
  return repo.listMissing(db, { companyId: principal.companyId, userId, requiredAbove: settings.required_above, before: filter.before, limit: filter.limit });
}

export const missingSummaryPeopleMax = 500;

export async function missingReceiptsByPerson(db: Db, principal: Principal) {
  const settings = await getReceiptSettings(db, principal.companyId);
  return repo.countMissingByPerson(db, { companyId: principal.companyId, requiredAbove: settings.required_above }, missingSummaryPeopleMax);
}

// --- Settings and forwarding addresses --------------------------------------------------------

export async function getReceiptSettings(db: Db, companyId: string): Promise<repo.ReceiptSettingsRow> {
  return (await repo.findSettings(db, companyId)) ?? repo.ensureSettings(db, companyId);
}

export interface ReceiptSettingsPatch {
  requiredAbove?: string;
  reminderAfterDays?: number;
  freezeAfterDays?: number | null;
}

/** The settings with the currency their amount is in. */
export async function getReceiptSettingsView(db: Db, companyId: string) {
  const [settings, company] = await Promise.all([getReceiptSettings(db, companyId), getCompany(db, companyId)]);
  return { settings, currency: company.currency };
}

export async function updateReceiptSettings(db: Db, companyId: string, patch: ReceiptSettingsPatch): Promise<repo.ReceiptSettingsRow> {
  const company = await getCompany(db, companyId);
  const requiredAbove = patch.requiredAbove === undefined ? undefined : parseAmount(patch.requiredAbove, company.currency, { field: 'requiredAbove', allowZero: true });
  return db.transaction().execute(async (trx) => {
    const current = await repo.ensureSettings(trx, companyId);
    const reminderAfterDays = patch.reminderAfterDays ?? current.reminder_after_days;
    const freezeAfterDays = patch.freezeAfterDays === undefined ? current.freeze_after_days : patch.freezeAfterDays;
    if (freezeAfterDays !== null && freezeAfterDays < reminderAfterDays) {
      throw new DomainError('validation_failed', `cards are frozen only after the reminder went out: freezeAfterDays must be at least reminderAfterDays (${reminderAfterDays})`, 'freezeAfterDays');
    }
    return repo.updateSettings(trx, companyId, {
      ...(requiredAbove !== undefined ? { required_above: requiredAbove } : {}),
      reminder_after_days: reminderAfterDays,
      freeze_after_days: freezeAfterDays,
    });
  });
}

export const forwardingTokenLength = 12;
const tokenAlphabet = 'abcdefghijkmnpqrstuvwxyz23456789';

function newForwardingToken(): string {
  return [...randomBytes(forwardingTokenLength)].map((byte) => tokenAlphabet[byte % tokenAlphabet.length]).join('');
}

/** The person's forwarding token, made on first use. */
export async function forwardingTokenOf(db: Db, companyId: string, userId: string): Promise<string> {
  const existing = await repo.findAddressOfUser(db, companyId, userId);
  if (existing) return existing.token;
  return (await repo.ensureAddress(db, { token: newForwardingToken(), company_id: companyId, user_id: userId })).token;
}

export async function myForwardingToken(db: Db, principal: Principal): Promise<string> {
  const userId = ownerOf(principal);
  if (!userId) throw new DomainError('forbidden', 'forwarding addresses belong to people; an API key has none');
  return forwardingTokenOf(db, principal.companyId, userId);
}
