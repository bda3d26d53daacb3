// Reading a receipt in the background: the job queued with the receipt runs OCR (or reads
// the text) on a bounded pool of workers, stores what it found, flags duplicates and matches
// the receipt to its transaction, or checks it against the one it was sent for. A file that
// cannot be read is marked so and can still be matched by hand; the server is never
// blocked by it. The `ocr-engine` feature flag chooses the OCR engine for each company, and
// the company's locale the languages it reads.
import { changingCardTransactions } from '../cards/card-transactions.service.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { ReceiptReadState } from '../db/schema.js';
import { flagsOf, knownVariantOr } from '../flags/feature-flags.js';
import type { JobGaveUp, JobHandler } from '../jobs/job-queue.js';
import { recordOcr } from '../observability/metrics.js';
import { inSpan } from '../observability/tracing.js';
import type { Clock } from '../shared/clock.js';
import { liveEvents } from '../shared/live-events.js';
import type { BlobStore } from '../storage/blob-store.js';
import { extractReceipt } from './extract/extract-receipt.js';
import { readReceiptFields, type ReceiptFields } from './extract/fields.js';
import type { ReceiptOcr } from './extract/ocr-page.js';
import { ocrEngineDefault, ocrEngines, ocrOfEngine, type OcrEngine } from './extract/ocr-engines.js';
import { createPaddleOcr } from './extract/paddle-ocr.js';
import { createPdfReader, type PdfReader } from './extract/pdf.js';
import { dayFirstOf, receiptLanguagesOf, type ReceiptLanguage } from './extract/receipt-languages.js';
import { createReceiptOcr } from './extract/tesseract-ocr.js';
import type { ReceiptMediaType } from './media-type.js';
import type { ReadReceiptJob } from './read-receipt-queue.js';
import { checkAttachedReceipt, findSameContent, matchWaitingReceipt } from './receipt-matching.js';
import * as repo from './receipts.repository.js';
import { recordReceiptRead } from './receipt-webhooks.js';

export type ReadSource = 'image' | 'pdf_text' | 'pdf_scan' | 'text';

export interface ReceiptReading extends ReceiptFields {
  source: ReadSource;
  text: string;
  /** The OCR engine whose text this is; null where no OCR ran (a PDF's text, plain text). */
  engine: OcrEngine | null;
}


/**
 * Reads receipt files; the OCR workers start on the first image an engine reads (PaddleOCR's
 * models are loaded once for the process), the PDF reader's child process on the first PDF,
 * and all stay until close().
 */
export interface ReceiptReader {
  /**
   * `today` bounds the dates taken as printed: a date far ahead of it is a misread. The
   * company's `locale` chooses the languages OCR reads (receipt-languages.ts) and whether a
   * numeric date has its day first.
   */
  read(bytes: Buffer, mediaType: ReceiptMediaType | 'text/plain', today: Date, engine?: OcrEngine, locale?: string): Promise<ReceiptReading>;
  close(): Promise<void>;
}

/** Stored OCR text is cut here: enough to review any receipt, bounded for the database. */
export const ocrTextLengthMax = 20_000;
const merchantLengthMax = 200;

/** An amount read that no receipt has (more than 15 digits) is not kept: no guessing. */
const storableAmount = (amount: string | null) => (amount !== null && /^[0-9]{1,15}(\.[0-9]{1,4})?$/.test(amount) ? amount : null);

export function createReceiptReader(workers: number, timeoutMs: number): ReceiptReader {
  // One OCR pool per set of languages (at most one per language Outlay has data for), each
  // started on the first page to recognise in it, not with a PDF that has a text layer, which
  // needs none of its workers' memory.
  const pools = new Map<string, ReceiptOcr>();
  let paddle: ReceiptOcr | null = null;
  let pdf: PdfReader | null = null;
  const poolFor = (languages: readonly ReceiptLanguage[]): ReceiptOcr => ({
    recognize: (image, options) => {
      const key = languages.join('+');
      let ocr = pools.get(key);
      if (!ocr) pools.set(key, (ocr = createReceiptOcr(Math.max(1, workers), languages)));
      return ocr.recognize(image, options);
    },
    close: async () => undefined,
  });
  return {
    async read(bytes, mediaType, today, engine = ocrEngineDefault, locale) {
      const dayFirst = dayFirstOf(locale);
      if (mediaType === 'text/plain') {
        const text = bytes.toString('utf8');
        return { ...readReceiptFields(text, { today, dayFirst }), source: 'text', text, engine: null };
      }
      const pdfReader = mediaType === 'application/pdf' ? (pdf ??= createPdfReader()) : undefined;
      const ocrs = ocrOfEngine(engine, { tesseract: () => poolFor(receiptLanguagesOf(locale)), paddle: () => (paddle ??= createPaddleOcr()) });
      return inSpan('receipt read', { attributes: { 'receipt.media_type': mediaType, 'receipt.bytes': bytes.length, 'receipt.ocr_engine': engine } }, async (span) => {
        const started = performance.now();
        try {
          const read = await extractReceipt(bytes, { ...ocrs, pdf: pdfReader, timeoutMs, today, dayFirst });
          const source = (read as { source?: ReadSource }).source ?? 'image';
          recordOcr((performance.now() - started) / 1000, 'read');
          span?.setAttribute('receipt.source', source);
          return { ...read, source, engine: source === 'image' || source === 'pdf_scan' ? engine : null };
        } catch (error) {
          recordOcr((performance.now() - started) / 1000, 'failed');
          throw error;
        }
      });
    },
    async close() {
      await Promise.all([...[...pools.values()].map((ocr) => ocr.close()), paddle?.close(), pdf?.close()]);
      pools.clear();
      paddle = null;
      pdf = null;
    },
  };
}

/** Errors that another try cannot mend: the file itself is the problem. */
const permanentCodes = new Set(['receipt_unreadable', 'receipt_too_large', 'receipt_image_too_large', 'receipt_unsupported_type']);
const errorTextLengthMax = 300;

function describeFailure(error: unknown): { permanent: boolean; message: string } {
  const code = (error as { code?: unknown }).code;
  const permanent = typeof code === 'string' && permanentCodes.has(code);
  const message = error instanceof Error ? error.message : String(error);
  return { permanent, message: message.slice(0, errorTextLengthMax) };
}

export interface ReadingDeps {
  db: Db;
  blobs: BlobStore;
  reader: ReceiptReader;
  log?: { warn(details: object, message: string): void };
}

/** The company's OCR engine by the `ocr-engine` flag; a variant this version lacks is
 * tesseract, and said in the log. */
export async function ocrEngineOf(db: Db, companyId: string, log?: ReadingDeps['log']): Promise<OcrEngine> {
  const variant = await flagsOf(db).variantOf('ocr-engine', { companyId });
  const engine = knownVariantOr(variant, ocrEngines, ocrEngineDefault);
  if (engine !== variant) log?.warn({ companyId, variant, engine }, 'the ocr-engine flag names an engine this version does not have');
  return engine;
}

async function claim(db: Db, job: ReadReceiptJob): Promise<repo.ReceiptRow | null> {
  return db.transaction().execute(async (trx) => {
    const receipt = await repo.lockReceipt(trx, job.companyId, job.receiptId);
    // Gone (discarded) or read already: a repeated job does nothing.
    if (!receipt || receipt.read_state === 'read') return null;
    return repo.updateReceipt(trx, job.companyId, job.receiptId, { read_state: 'reading', read_error: null });
  });
}

async function store(db: Db, job: ReadReceiptJob, reading: ReceiptReading, now: Date): Promise<void> {
  await changingCardTransactions(db, async (trx) => {
    const receipt = await repo.lockReceipt(trx, job.companyId, job.receiptId);
    if (!receipt) return;
    let updated = await repo.updateReceipt(trx, job.companyId, job.receiptId, {
      read_state: 'read',
      read_error: null,
      read_source: reading.source,
      read_engine: reading.engine,
      merchant: reading.merchant?.slice(0, merchantLengthMax) ?? null,
      purchase_date: reading.date,
      total_amount: storableAmount(reading.total),
      currency: reading.currency && /^[A-Z]{3}$/.test(reading.currency) ? reading.currency : null,
      vat_amount: storableAmount(reading.vat),
      confidence: JSON.stringify(reading.confidence),
      ocr_text: reading.text.slice(0, ocrTextLengthMax),
      read_at: now,
    });
    if (updated.duplicate_of === null) {
      const same = await findSameContent(trx, updated);
      if (same) updated = await repo.updateReceipt(trx, job.companyId, job.receiptId, { duplicate_of: same.id, duplicate_reason: 'same_content' });
    }
    await recordReceiptRead(trx, updated, now);
    await (updated.match_state === 'matched' ? checkAttachedReceipt(trx, updated) : matchWaitingReceipt(trx, updated, now));
  });
}

/** Marks the reading failed, with why. `from`, where given, is the read states it may leave:
 * a receipt in another (read meanwhile) is left as it is. */
async function markFailed(db: Db, job: ReadReceiptJob, message: string, now: Date, from?: readonly ReceiptReadState[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const receipt = await repo.lockReceipt(trx, job.companyId, job.receiptId);
    if (!receipt || (from !== undefined && !from.includes(receipt.read_state))) return;
    await repo.updateReceipt(trx, job.companyId, job.receiptId, { read_state: 'failed', read_error: message, read_at: now });
  });
}

/** Told by the job queue of a reading whose last try ended with its process (killed each
 * time, or stuck past its lease): the receipt says so at once, rather than stay "reading"
 * until the receipt sweep's hour is up. A receipt read meanwhile is left as it is. */
export function readReceiptGaveUp(deps: Pick<ReadingDeps, 'db'>, clock: Clock): JobGaveUp<ReadReceiptJob> {
  return async (job) => markFailed(deps.db, job, 'the reading was cut off each time it was tried; match the receipt by hand or send it again', clock.now(), ['queued', 'reading']);
}

/** The job handler of readReceiptQueue; the clock dates the reading when it ends. */
export function readReceiptJob(deps: ReadingDeps, clock: Clock): JobHandler<ReadReceiptJob> {
  return async (job, attempt) => {
    const receipt = await claim(deps.db, job);
    if (!receipt) return;
    const bytes = await deps.blobs.get(receipt.blob_key);
    if (!bytes) {
      await markFailed(deps.db, job, 'the receipt file is missing from storage', clock.now());
      return;
    }
    let reading: ReceiptReading;
    try {
      const { locale } = await getCompany(deps.db, job.companyId);
      reading = await deps.reader.read(bytes, receipt.media_type, clock.now(), await ocrEngineOf(deps.db, job.companyId, deps.log), locale);
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.permanent || attempt.retryCount >= attempt.retryLimit) {
        await markFailed(deps.db, job, failure.message, clock.now());
        return;
      }
      await repo.updateReceipt(deps.db, job.companyId, job.receiptId, { read_state: 'queued', read_error: failure.message });
      throw error;
    }
    try {
      await store(deps.db, job, reading, clock.now());
      await liveEvents.publish({ companyId: job.companyId, type: 'receipt.read', subject: { type: 'receipt', id: job.receiptId }, audience: { userIds: [receipt.user_id], permission: 'receipts:read' } });
    } catch (error) {
      // Storing what was read failed (matching, the database): try again, and on the last
      // try say so on the receipt rather than leave it "reading".
      if (attempt.retryCount < attempt.retryLimit) throw error;
      await markFailed(deps.db, job, `what was read could not be stored: ${describeFailure(error).message}`, clock.now());
    }
  };
}
