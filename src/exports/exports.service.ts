// Accounting exports: a bookkeeper (expenses:manage) exports a period's approved expenses
// in the format of the company's books. The expenses go into a batch and are locked (queued,
// then exporting) in the transaction that creates it; a background job writes the file and
// marks them exported, or failed so that a later batch takes them again. An expense corrected
// after its export is not exported again until the next batch takes it.
import { createHash } from 'node:crypto';
import { principalId, type Principal } from '../auth/principal.js';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import type { ExportFormat } from '../db/schema.js';
import * as exportState from '../expenses/expense-export-state.service.js';
import type { JobHandler, JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { BlobStore } from '../storage/blob-store.js';
import { writeDatevBuchungsstapel } from './formats/datev-buchungsstapel.js';
import { writeExpenseCsv } from './formats/expense-csv.js';
import { writeHledgerJournal } from './formats/hledger-journal.js';
import { writeSie4 } from './formats/sie4.js';
import { ledgerExportOf, voucherExportOf } from './export-models.js';
import * as repo from './exports.repository.js';

export type { ExportBatchRow } from './exports.repository.js';

export const exportFormats: readonly ExportFormat[] = ['csv', 'sie', 'datev', 'hledger'];
/** Expenses one export takes at most; a longer period is exported in parts. */
export const expensesPerExportMax = 20_000;
/** The longest period one export covers. */
export const exportPeriodDaysMax = 366;

export const exportQueue: QueueDefinition = { name: 'export-write', retryLimit: 2, retryDelaySeconds: 5, expireInSeconds: 10 * 60 };
export interface ExportJob {
  companyId: string;
  batchId: string;
}

export interface ExportDeps {
  db: Db;
  blobs: BlobStore;
  jobs: JobQueue;
}

const fileInfo: Record<ExportFormat, { extension: string; mediaType: string }> = {
  csv: { extension: 'csv', mediaType: 'text/csv; charset=utf-8' },
  sie: { extension: 'se', mediaType: 'text/plain; charset=IBM437' },
  datev: { extension: 'csv', mediaType: 'text/csv; charset=windows-1252' },
  hledger: { extension: 'journal', mediaType: 'text/plain; charset=utf-8' },
};

export function exportFileOf(batch: repo.ExportBatchRow): { name: string; mediaType: string } {
  const info = fileInfo[batch.format];
  const prefix = batch.format === 'datev' ? 'EXTF_Buchungsstapel' : `outlay-${batch.format}`;
  return { name: `${prefix}_${batch.period_from}_${batch.period_to}.${info.extension}`, mediaType: info.mediaType };
}

function checkPeriod(from: string, to: string): void {
  const valid = (date: string) => /^\d{4}-\d{2}-\d{2}$/.test(date) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
  if (!valid(from)) throw new DomainError('validation_failed', 'from is a date, YYYY-MM-DD', 'from');
  if (!valid(to)) throw new DomainError('validation_failed', 'to is a date, YYYY-MM-DD', 'to');
  if (to < from) throw new DomainError('validation_failed', 'the period ends before it begins', 'to');
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= exportPeriodDaysMax) throw new DomainError('validation_failed', `one export covers at most ${exportPeriodDaysMax} days`, 'to');
}

export interface ExportInput {
  format: ExportFormat;
  from: string;
  to: string;
}

/**
 * Creates the batch and queues the job that writes its file (without a job queue, the caller
 * writes it with runExport, as the command line does); returns the batch.
 */
export async function createExportBatch(deps: Pick<ExportDeps, 'db'> & { jobs: JobQueue | null }, companyId: string, actor: Actor & { actorId: string }, input: ExportInput, now = new Date()): Promise<repo.ExportBatchRow> {
  if (!exportFormats.includes(input.format)) throw new DomainError('validation_failed', `the format is one of ${exportFormats.join(', ')}`, 'format');
  checkPeriod(input.from, input.to);
  const batch = await deps.db.transaction().execute(async (trx) => {
    const expenses = await exportState.lockExportable(trx, companyId, input.from, input.to, expensesPerExportMax + 1);
    if (expenses.length > expensesPerExportMax) throw new DomainError('validation_failed', `the period holds more than ${expensesPerExportMax} expenses to export: export it in shorter parts`, 'to');
    // The ledger journal is worth exporting without new expenses (top-ups, card spend).
    if (expenses.length === 0 && input.format !== 'hledger') throw new DomainError('nothing_to_export', `no approved expense from ${input.from} to ${input.to} waits to be exported`);
    const created = await repo.insertBatch(trx, {
      company_id: companyId,
      id: newId('exportBatch', now.getTime()),
      format: input.format,
      period_from: input.from,
      period_to: input.to,
      state: 'exporting',
      expense_count: expenses.length,
      created_by: actor.actorId,
    });
    await exportState.markQueued(trx, companyId, expenses.map((expense) => expense.id), created.id);
    await deps.jobs?.send<ExportJob>(trx, exportQueue, { companyId, batchId: created.id });
    return created;
  });
  deps.jobs?.wake(exportQueue);
  return batch;
}

export async function requestExport(deps: ExportDeps, principal: Principal, input: ExportInput): Promise<repo.ExportBatchRow> {
  return createExportBatch(deps, principal.companyId, { actorType: principal.kind, actorId: principalId(principal) }, input);
}

async function writeFile(db: Db, batch: repo.ExportBatchRow, now: Date): Promise<Buffer> {
  const expenses = await exportState.listBatchExpenses(db, batch.company_id, batch.id);
  if (batch.format === 'hledger') return writeHledgerJournal(await ledgerExportOf(db, batch.company_id, batch.period_from, batch.period_to, now));
  const model = await voucherExportOf(db, batch.company_id, expenses, batch.period_from, batch.period_to, now);
  if (batch.format === 'csv') return writeExpenseCsv(model);
  if (batch.format === 'sie') return writeSie4(model);
  return writeDatevBuchungsstapel(model);
}

/**
 * Writes the batch's file; the job handler and the command line both run it. Whatever goes
 * wrong on the way (the writer refuses the books, storage fails) marks the batch and its
 * expenses failed, so they are never left locked and a later batch takes them again.
 */
export async function runExport(deps: Pick<ExportDeps, 'db' | 'blobs'>, job: ExportJob, now = new Date()): Promise<repo.ExportBatchRow> {
  const batch = await repo.findBatch(deps.db, job.companyId, job.batchId);
  if (!batch) throw notFound('export batch');
  if (batch.state !== 'exporting') return batch;
  try {
    await exportState.startWriting(deps.db, job.companyId, batch.id);
    const file = await writeFile(deps.db, batch, now);
    const key = `exports/${job.companyId}/${batch.id}.${fileInfo[batch.format].extension}`;
    await deps.blobs.put(key, file);
    return await deps.db.transaction().execute(async (trx) => {
      const exported = await exportState.markExported(trx, job.companyId, batch);
      return repo.updateBatch(trx, job.companyId, batch.id, {
        state: 'exported',
        expense_count: exported.length,
        blob_key: key,
        byte_size: file.length,
        sha256: createHash('sha256').update(file).digest('hex'),
        finished_at: now,
      });
    });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    return deps.db.transaction().execute(async (trx) => {
      await exportState.markFailed(trx, job.companyId, batch.id);
      return repo.updateBatch(trx, job.companyId, batch.id, { state: 'failed', error: message, finished_at: now });
    });
  }
}

export function exportJob(deps: Pick<ExportDeps, 'db' | 'blobs'>): JobHandler<ExportJob> {
  return async (job) => {
    await runExport(deps, job);
  };
}

export async function getExportBatch(db: Db, companyId: string, id: string): Promise<repo.ExportBatchRow> {
  const batch = id === 'latest' ? await repo.findLatestBatch(db, companyId) : await repo.findBatch(db, companyId, id);
  if (!batch) throw notFound('export batch');
  return batch;
}

export async function getExportFile(deps: Pick<ExportDeps, 'db' | 'blobs'>, companyId: string, id: string) {
  const batch = await getExportBatch(deps.db, companyId, id);
  if (batch.state !== 'exported' || !batch.blob_key) throw new DomainError('conflict', batch.state === 'failed' ? `the export failed: ${batch.error ?? ''}` : 'the export is still being written');
  const bytes = await deps.blobs.get(batch.blob_key);
  if (!bytes) throw notFound('export file');
  return { batch, bytes, ...exportFileOf(batch) };
}

export const listExportBatches = repo.listBatches;
