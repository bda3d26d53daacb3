// `outlay export`: an accounting export from the command line, written at once.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { systemActor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import type { ExportFormat } from '../db/schema.js';
import type { BlobStore } from '../storage/blob-store.js';
import { createExportBatch, getExportFile } from './export-batches.service.js';
import { runExport } from './export-writing.service.js';

export interface ExportCliIo {
  out(text: string): void;
  withServices<T>(work: (services: { db: Db; blobs: BlobStore }) => Promise<T>): Promise<T>;
}

export function registerExportCommands(root: Command, io: ExportCliIo): void {
  root
    .command('export')
    .description('export a period to the books in one format: the approved expenses whose day (a card purchase\'s local day) falls in it, and refunds of that period of expenses exported before; the days are the company\'s time zone\'s, the same in every format')
    .requiredOption('--company <id>', 'the company')
    .requiredOption('--format <format>', 'csv, sie, datev or hledger')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD, in the company\'s time zone')
    .requiredOption('--to <date>', 'last day (included), YYYY-MM-DD, in the company\'s time zone')
    .requiredOption('--out <file>', 'where to write the file')
    .action(async (options: { company: string; format: string; from: string; to: string; out: string }) => {
      const now = new Date();
      const written = await io.withServices(async (services) => {
        const batch = await createExportBatch({ db: services.db, jobs: null }, options.company, { ...systemActor, actorId: 'cli' }, { format: options.format as ExportFormat, from: options.from, to: options.to }, now);
        await runExport(services, { companyId: options.company, batchId: batch.id }, now);
        return getExportFile(services, options.company, batch.id);
      });
      await writeFile(options.out, written.bytes);
      io.out(`wrote ${options.out}: ${written.batch.format} export ${written.batch.id}, ${written.batch.expense_count} expense${written.batch.expense_count === 1 ? '' : 's'}, ${written.bytes.length} bytes`);
    });
}
