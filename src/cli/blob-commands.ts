// `outlay blobs copy --from-dir <folder>`: moves an install's files from the folder they were
// kept in (OUTLAY_DATA_DIR/blobs, before OUTLAY_BLOB_STORE) into the store now configured.
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { BlobStore } from '../storage/blob-store.js';
import { copyLocalBlobs } from '../storage/copy-local-blobs.js';
import { describeBlobStore } from '../storage/open-blob-store.js';
import { ExitCode, type Io } from './command-context.js';

export interface BlobCommandContext {
  io: Io;
  config: () => Config;
  withServices: <T>(config: Config, work: (services: { db: Db; blobs: BlobStore }) => Promise<T>) => Promise<T>;
}

export function registerBlobCommands(root: Command, { io, config, withServices }: BlobCommandContext): void {
  root
    .command('blobs')
    .description('the stored files: receipts, exports, bank statement files')
    .command('copy')
    .description('copy a folder of files in the old layout (OUTLAY_DATA_DIR/blobs) into the configured store (OUTLAY_BLOB_STORE); run it with Outlay stopped when the database is embedded')
    .requiredOption('--from-dir <folder>', 'the folder to copy from; it is left as it was')
    .action(async (options: { fromDir: string }) => {
      const settings = config();
      const fromDir = path.resolve(options.fromDir);
      if (settings.storage.kind === 'local' && path.resolve(settings.storage.root) === fromDir) {
        io.err('outlay: the folder is the configured store itself (OUTLAY_BLOB_STORE=local): nothing to copy');
        throw new ExitCode(2);
      }
      // Before the database opens (and, embedded, is made and migrated) for nothing.
      const folder = await stat(fromDir).catch(() => null);
      if (!folder?.isDirectory()) {
        io.err(`outlay: ${fromDir} is not a folder`);
        throw new ExitCode(2);
      }
      const report = await withServices(settings, ({ blobs }) => copyLocalBlobs(fromDir, blobs));
      for (const skipped of report.skipped) io.err(`skipped ${skipped.file}: ${skipped.reason}`);
      io.out(`copied ${report.copied} file${report.copied === 1 ? '' : 's'} (${report.bytes} bytes) from ${fromDir} into ${describeBlobStore(settings.storage)}`);
      if (report.skipped.length > 0) throw new ExitCode(1);
    });
}
