// `outlay payouts`: payout batches from the command line.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Db } from '../db/database.js';
import { pain001Of } from './payout-file.service.js';

export interface PayoutsCliIo {
  out(text: string): void;
  withDb<T>(work: (db: Db) => Promise<T>): Promise<T>;
}

export function registerPayoutCommands(root: Command, io: PayoutsCliIo): void {
  root
    .command('payouts')
    .description('reimbursement payouts')
    .command('pain001')
    .description('write a payout batch as a SEPA credit transfer file (pain.001.001.03)')
    .requiredOption('--company <id>', 'the company')
    .requiredOption('--batch <id>', 'the batch id, or "latest"')
    .requiredOption('--out <file>', 'where to write the XML')
    .action(async (options: { company: string; batch: string; out: string }) => {
      const { batch, xml } = await io.withDb((db) => pain001Of(db, options.company, options.batch, new Date()));
      await writeFile(options.out, xml);
      io.out(`wrote ${options.out}: batch ${batch.id}, ${batch.item_count} transfer${batch.item_count === 1 ? '' : 's'}, ${xml.length} bytes`);
    });
}
