// Writing an export batch's file, in the background (the export-write job) or at once (the
// command line and the demo): the batch's expenses and refunds as vouchers, written as CSV,
// SIE, DATEV or an hledger journal, stored in the blob store.
import { recordAudit } from '../audit/audit.service.js';
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { isTimeoutOrLockFailure } from '../db/unique-violation.js';
import * as exportState from '../expenses/expense-export-state.service.js';
import type { JobGaveUp, JobHandler, QueueDefinition } from '../jobs/job-queue.js';
import type { Clock } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { exportBlobKey } from './export-files.js';
import { journalOfVouchers, voucherExportOf } from './export-models.js';
import { writeDatevBuchungsstapel } from './formats/datev-buchungsstapel.js';
import { writeExpenseCsv } from './formats/expense-csv.js';
import { writeHledgerJournal } from './formats/hledger-journal.js';
import { writeSie4 } from './formats/sie4.js';
import * as repo from './exports.repository.js';
import { recordWebhookEvent } from '../webhooks/webhooks.service.js';

export const exportQueue: QueueDefinition = { name: 'export-write', retryLimit: 2, retryDelaySeconds: 5, expireInSeconds: 10 * 60 };
export interface ExportJob {
  companyId: string;
  batchId: string;
}

export interface ExportWritingDeps {
  db: Db;
  blobs: BlobStore;
}

async function writeFile(db: Db, batch: repo.ExportBatchRow, now: Date): Promise<Buffer> {
  const expenses = await exportState.listBatchExpenses(db, batch.company_id, batch.id);
  const { refunds, expenses: refundedExpenses } = await exportState.listBatchRefunds(db, batch.company_id, batch.id);
  // Every format writes the same vouchers: the period means one thing in each.
  const model = await voucherExportOf(db, batch.company_id, { expenses, refunds, refundedExpenses }, batch.period_from, batch.period_to, now);
  if (batch.format === 'hledger') return writeHledgerJournal(journalOfVouchers(model));
  if (batch.format === 'csv') return writeExpenseCsv(model);
  if (batch.format === 'sie') return writeSie4(model);
  return writeDatevBuchungsstapel(model);
}

export interface RunExportOptions {
  /**
   * Another attempt follows this one (the job queue's retry): a database that gave up (a lock
   * wait or a statement past its limit, a deadlock) rolled back and changed nothing, so the
   * batch stays exporting for that attempt instead of failing for good.
   */
  retryFollows?: boolean;
}

/**
 * Writes the batch's file; the job handler and the command line both run it. Whatever else
 * goes wrong on the way (the writer refuses the books, storage fails), or a database that gave
 * up on the last attempt, marks the batch and its expenses failed, so they are never left
 * locked and a later batch takes them again.
 */
export async function runExport(deps: ExportWritingDeps, job: ExportJob, now: Date, options: RunExportOptions = {}): Promise<repo.ExportBatchRow> {
  const batch = await repo.findBatch(deps.db, job.companyId, job.batchId);
  if (!batch) throw notFound('export batch');
  if (batch.state !== 'exporting') return batch;
  try {
    await exportState.startWriting(deps.db, job.companyId, batch.id);
    const file = await writeFile(deps.db, batch, now);
    const key = exportBlobKey(batch);
    await deps.blobs.put(key, file);
    return await deps.db.transaction().execute(async (trx) => {
      // Another run of the same job (a retry that overlapped this one) may have ended it.
      const current = await repo.lockBatch(trx, job.companyId, batch.id);
      if (!current || current.state !== 'exporting') return current ?? batch;
      const exported = await exportState.markExported(trx, job.companyId, batch);
      await recordAudit(trx, { companyId: job.companyId, actorType: 'system', actorId: null, action: 'export_batch.exported', subjectType: 'export_batch', subjectId: batch.id, details: { expenses: exported.length, bytes: file.length } });
      const done = await repo.updateBatch(trx, job.companyId, batch.id, {
        state: 'exported',
        expense_count: exported.length,
        blob_key: key,
        byte_size: file.length,
        sha256: createHash('sha256').update(file).digest('hex'),
        finished_at: now,
      });
      const data = { id: done.id, format: done.format, periodFrom: done.period_from, periodTo: done.period_to, expenseCount: done.expense_count, byteSize: done.byte_size, sha256: done.sha256 };
      await recordWebhookEvent(trx, job.companyId, 'export.completed', data, now);
      return done;
    });
  } catch (error) {
    if (options.retryFollows && isTimeoutOrLockFailure(error)) throw error;
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    return failBatch(deps.db, job.companyId, batch.id, message, now);
  }
}

/** Marks a batch still being written failed, its expenses free for a later batch; a batch
 * that ended meanwhile is left as it ended. */
async function failBatch(db: Db, companyId: string, batchId: string, message: string, now: Date): Promise<repo.ExportBatchRow> {
  return db.transaction().execute(async (trx) => {
    const current = await repo.lockBatch(trx, companyId, batchId);
    if (!current) throw notFound('export batch');
    if (current.state !== 'exporting') return current;
    await exportState.markFailed(trx, companyId, batchId);
    await recordAudit(trx, { companyId, actorType: 'system', actorId: null, action: 'export_batch.failed', subjectType: 'export_batch', subjectId: batchId, details: { error: message } });
    return repo.updateBatch(trx, companyId, batchId, { state: 'failed', error: message, finished_at: now });
  });
}

/** An export still being written after this was cut off: its job's every attempt (ten
 * minutes each at most, export-write's expiry, three attempts with their delays) is over. */
export const exportStaleMs = 45 * 60_000;
const staleExportsPerSweepMax = 100;

/**
 * The sweep's part: a batch whose job ended without writing it (its last attempt's process
 * was killed, or the job expired) is marked failed, so its expenses go to a later export.
 * Answers how many.
 */
export async function failStaleExports(db: Db, now: Date): Promise<number> {
  const stale = await repo.findStaleBatches(db, new Date(now.getTime() - exportStaleMs), staleExportsPerSweepMax);
  for (const batch of stale) await failBatch(db, batch.company_id, batch.id, 'the export was cut off before its file was written; ask for it again', now);
  return stale.length;
}

/** Told by the job queue of an export whose last try ended with its process: the batch is
 * failed at once (its expenses free for a later export), not after the sweep's wait. */
export function exportGaveUp(deps: { db: Db; clock: Clock }): JobGaveUp<ExportJob> {
  return async (job) => {
    await failBatch(deps.db, job.companyId, job.batchId, 'the export was cut off each time it was tried; ask for it again', deps.clock.now());
  };
}

/** The export-write job: each run reads the clock once, when it starts writing. */
export function exportJob(deps: ExportWritingDeps & { clock: Clock }): JobHandler<ExportJob> {
  return async (job, attempt) => {
    await runExport(deps, job, deps.clock.now(), { retryFollows: attempt.retryCount < attempt.retryLimit });
  };
}
