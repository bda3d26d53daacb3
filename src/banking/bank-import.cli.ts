// `outlay bank import` and `outlay operators create`: the platform's banking from the command line.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { systemActor } from '../auth/actor.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import { invitePerson } from '../people/people.service.js';
import type { BlobStore } from '../storage/blob-store.js';
import { ensurePlatformCompany } from './platform-company.service.js';
import { importStatementFile } from './statement-import.service.js';
import { companyOwnerOf } from './statement-owner.js';
import { describeWarning } from './statements/bank.cli.js';

export interface BankImportIo {
  out(text: string): void;
  config(): Config;
  withServices<T>(work: (services: { db: Db; blobs: BlobStore }) => Promise<T>): Promise<T>;
}

export function registerBankImportCommands(root: Command, io: BankImportIo): void {
  const bank = root.commands.find((command) => command.name() === 'bank') ?? root.command('bank').description('bank files');
  bank
    .command('import')
    .description('import a statement file: the top-up account\'s (default) or a company\'s own account (--company); importing it again changes nothing')
    .argument('<file>', 'a camt.052/053/054 or MT940/MT942 file')
    .option('--company <id>', 'the company whose own bank account the statement is of')
    .option('--json', 'print the import summary as JSON')
    .action(async (file: string, options: { company?: string; json?: boolean }) => {
      const config = io.config();
      const bytes = await readFile(file);
      const summary = await io.withServices(async ({ db, blobs }) => {
        const owner = options.company ? await companyOwnerOf(db, options.company) : { companyId: (await ensurePlatformCompany(db, config.banking.topUpAccount.currency)).id, isPlatform: true };
        return importStatementFile({ db, blobs, topUpAccount: config.banking.topUpAccount }, owner, { bytes, fileName: path.basename(file), via: 'cli' }, { ...systemActor, actorId: 'cli' }, new Date());
      });
      if (options.json) {
        io.out(JSON.stringify(summary));
        return;
      }
      if (summary.duplicateFile) {
        io.out(`${path.basename(file)} was imported before; nothing changed`);
        return;
      }
      io.out(`${summary.format}, ${summary.statements.length} statement${summary.statements.length === 1 ? '' : 's'}`);
      for (const statement of summary.statements) {
        const entries = Object.entries(statement.entries).map(([state, count]) => `${count} ${state.replace('_', ' ')}`).join(', ');
        io.out(`  ${statement.statementRef ?? statement.id}: ${statement.duplicate ? 'seen before, unchanged' : statement.state}${statement.inconsistency ? ` (${statement.inconsistency})` : ''}${entries ? `; ${entries}` : ''}`);
      }
      for (const warning of summary.warnings) io.out(describeWarning(warning));
    });

  root
    .command('operators')
    .description('the platform\'s operators, who import the top-up account\'s statements')
    .command('create')
    .description('invite a platform operator (prints the invitation link)')
    .requiredOption('--email <email>', 'the operator\'s e-mail')
    .requiredOption('--name <name>', 'the operator\'s name')
    .action(async (options: { email: string; name: string }) => {
      const config = io.config();
      const invited = await io.withServices(async ({ db }) => {
        const platform = await ensurePlatformCompany(db, config.banking.topUpAccount.currency);
        return invitePerson(db, config, platform.id, { email: options.email, name: options.name, roles: ['operator'] }, systemActor, new Date(), 'system');
      });
      io.out(`invitation for ${options.email}: ${invited.invitation.url}`);
    });
}
