// Accounting exports: a bookkeeper (expenses:manage) exports a period's approved expenses
// in the format of the company's books. The period is days in the company's time zone and
// means one thing in every format: the expenses whose day (a card purchase's local day, or
// the day given for out-of-pocket, mileage and per diem) falls in it, and the refunds whose
// own local day falls in it that came after their expense was exported, as negative vouchers
// (export-models.ts). The expenses go into a batch and are locked (queued,
// then exporting) in the transaction that creates it; a background job writes the file
// (export-writing.service.ts) and marks them exported, or failed so that a later batch takes
// them again. An expense corrected after its export is not exported again until the next
// batch takes it.
import { recordAudit } from '../audit/audit.service.js';
import { principalId, type Principal } from '../auth/principal.js';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import type { ExportFormat } from '../db/schema.js';
import * as exportState from '../expenses/expense-export-state.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { BlobStore } from '../storage/blob-store.js';
import { exportFileOf } from './export-files.js';
import { exportQueue, type ExportJob } from './export-writing.service.js';
import * as repo from './exports.repository.js';

export type { ExportBatchRow } from './exports.repository.js';

export const exportFormats: readonly ExportFormat[] = ['csv', 'sie', 'datev', 'hledger'];
/** Expenses one export takes at most; a longer period is exported in parts. */
export const expensesPerExportMax = 20_000;
/** The longest period one export covers. */
export const exportPeriodDaysMax = 366;

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
export async function createExportBatch(deps: { db: Db; jobs: JobQueue | null }, companyId: string, actor: Actor & { actorId: string }, input: ExportInput, now: Date): Promise<repo.ExportBatchRow> {
  if (!exportFormats.includes(input.format)) throw new DomainError('validation_failed', `the format is one of ${exportFormats.join(', ')}`, 'format');
  checkPeriod(input.from, input.to);
  const batch = await deps.db.transaction().execute(async (trx) => {
    const expenses = await exportState.lockExportable(trx, companyId, input.from, input.to, expensesPerExportMax + 1);
    const refunds = await exportState.lockExportableRefunds(trx, companyId, input.from, input.to, expensesPerExportMax + 1);
    if (expenses.length + refunds.length > expensesPerExportMax) throw new DomainError('validation_failed', `the period holds more than ${expensesPerExportMax} expenses and refunds to export: export it in shorter parts`, 'to');
    if (expenses.length === 0 && refunds.length === 0) throw new DomainError('nothing_to_export', `no approved expense (nor refund of an exported one) from ${input.from} to ${input.to} waits to be exported`);
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
    await exportState.markQueued(trx, companyId, expenses.map((expense) => expense.id), created.id, refunds.map((refund) => refund.transaction_id));
    await recordAudit(trx, { companyId, ...actor, action: 'export_batch.requested', subjectType: 'export_batch', subjectId: created.id, details: { format: input.format, from: input.from, to: input.to, expenses: expenses.length, refunds: refunds.length } });
    await deps.jobs?.send<ExportJob>(trx, exportQueue, { companyId, batchId: created.id });
    return created;
  });
  deps.jobs?.wake(exportQueue);
  return batch;
}

/** A bookkeeper asks for an export; the job queue writes it. */
export async function requestExport(deps: { db: Db; jobs: JobQueue }, principal: Principal, input: ExportInput, now: Date): Promise<repo.ExportBatchRow> {
  return createExportBatch(deps, principal.companyId, { actorType: principal.kind, actorId: principalId(principal) }, input, now);
}

/** One batch; "latest" is the company's newest. */
export async function getExportBatch(db: Db, companyId: string, id: string): Promise<repo.ExportBatchRow> {
  const batch = id === 'latest' ? await repo.findLatestBatch(db, companyId) : await repo.findBatch(db, companyId, id);
  if (!batch) throw notFound('export batch');
  return batch;
}

export async function getExportFile(deps: { db: Db; blobs: BlobStore }, companyId: string, id: string) {
  const batch = await getExportBatch(deps.db, companyId, id);
  if (batch.state !== 'exported' || !batch.blob_key) throw new DomainError('conflict', batch.state === 'failed' ? `the export failed: ${batch.error ?? ''}` : 'the export is still being written');
  const bytes = await deps.blobs.get(batch.blob_key);
  if (!bytes) throw notFound('export file');
  return { batch, bytes, ...exportFileOf(batch) };
}

export const listExportBatches = repo.listBatches;
