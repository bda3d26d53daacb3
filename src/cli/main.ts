// `outlay`: the operator's command line. Each command parses the configuration, opens the
// database, does one thing and exits with 0 on success, 1 on failure and 2 on misuse.
import { Command, CommanderError } from 'commander';
import { countCompanies } from '../companies/companies.service.js';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { migrate, SchemaTooNewError } from '../db/migrate.js';
import { demoLogins, demoPassword } from '../demo/seed.js';
import { startServer } from '../server/server.js';
import { DomainError } from '../shared/errors.js';
import { registerSimulateCommands, SimulatorError } from '../simulator/simulate.cli.js';
import { registerBankCommands } from '../banking/statements/bank.cli.js';
import { registerPayoutCommands } from '../payouts/payouts.cli.js';
import { registerExportCommands } from '../exports/exports.cli.js';
import { registerBankImportCommands } from '../banking/bank-import.cli.js';
import type { BlobStore } from '../storage/blob-store.js';
import { openBlobStore } from '../storage/open-blob-store.js';
import type { Db } from '../db/database.js';
import { ensurePlatformCompany } from '../banking/platform-company.service.js';
import { registerFlagCommands } from '../flag-management/flags.cli.js';
import { declareFlags } from '../flags/flag-store.js';
import { ReceiptFileError } from '../receipts/extract/extract-receipt.js';
import { registerBlobCommands } from './blob-commands.js';
import { ExitCode, type Io } from './command-context.js';
import { registerCompanyCommands } from './company-commands.js';
import { registerKeyCommands } from './key-commands.js';
import { registerToolCommands } from './tool-commands.js';

const defaultIo: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  env: process.env,
};

async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config.database, config.limits);
  try {
    await migrate(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}

/** The database and the configured blob store, for commands that store or read files. */
async function withServices<T>(config: Config, work: (services: { db: Db; blobs: BlobStore }) => Promise<T>): Promise<T> {
  return withDatabase(config, async (database) => {
    const blobs = openBlobStore(config.storage, database.db);
    try {
      return await work({ db: database.db, blobs });
    } finally {
      await blobs.close();
    }
  });
}

async function serve(config: Config, io: Io): Promise<void> {
  const server = await startServer(config);
  const companies = await countCompanies(server.database.db);
  io.err(`Outlay is running at ${server.url} (${server.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`);
  if (config.demo && companies > 0) {
    io.err(`Demo logins (password ${demoPassword}): ${demoLogins.map((login) => `${login.email} (${login.role})`).join(', ')}`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.err('Outlay is stopping');
  // Requests under way and running jobs get until the deadline; new requests are answered 503
  // meanwhile, so a load balancer moves on. Past it the process exits without them: what was
  // not committed rolls back, and jobs left running are taken up again by another process.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), config.limits.shutdownTimeoutMs);
    timer.unref();
  });
  const outcome = await Promise.race([server.close().then(() => 'stopped' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    io.err(`Outlay did not stop within ${config.limits.shutdownTimeoutMs / 1000} s (OUTLAY_SHUTDOWN_TIMEOUT_SECONDS); exiting without waiting further`);
    process.exit(1);
  }
}

function program(io: Io): Command {
  const config = () => loadConfig(io.env);
  const root = new Command('outlay')
    .description('Outlay: company spend with prepaid cards, a double-entry ledger and the banking formats around them.\nConfiguration comes from the environment; see the README.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });

  root.command('serve').description('run the HTTP server (what `npm start` does)').action(async () => serve(config(), io));

  root.command('migrate').description('apply pending database migrations').action(async () => {
    // Opened without withDatabase, which migrates first and would leave nothing to report.
    const settings = config();
    const database = await openDatabase(settings.database, settings.limits);
    const result = await migrate(database.db).finally(() => database.close());
    if (result.ahead.length > 0) io.out(`the schema is ahead of this version (migrations ${result.ahead.join(', ')}, expand steps it runs on); nothing applied`);
    else io.out(result.applied.length ? `applied migrations ${result.applied.join(', ')}; schema is at ${result.current}` : `schema is current (${result.current})`);
  });

  registerCompanyCommands(root, { io, config, withDatabase });
  registerKeyCommands(root, { io, config, withDatabase });
  registerToolCommands(root, { io, config, withDatabase });

  registerSimulateCommands(root, { out: io.out, config });
  registerBankCommands(root, { out: io.out });
  registerPayoutCommands(root, { out: io.out, withDb: (work) => withDatabase(config(), (database) => work(database.db)) });
  registerBankImportCommands(root, { out: io.out, config, withServices: (work) => withServices(config(), work) });
  registerExportCommands(root, { out: io.out, withServices: (work) => withServices(config(), work) });
  registerBlobCommands(root, { io, config, withServices });
  registerFlagCommands(root, {
    out: io.out,
    // Flags are audited in the platform's trail and listed as the code declares them, also
    // on a database no server has started on yet.
    withDb: (work) => {
      const settings = config();
      return withDatabase(settings, async (database) => {
        await ensurePlatformCompany(database.db, settings.banking.topUpAccount.currency);
        await declareFlags(database.db);
        return work(database.db);
      });
    },
  });
  return root;
}

/** Runs the CLI with arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    await program(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof ExitCode) return error.code;
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ConfigError) {
      io.err(`outlay: configuration: ${error.message}`);
      return 2;
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      io.err(`outlay: no such file: ${(error as NodeJS.ErrnoException).path ?? ''}`);
      return 1;
    }
    if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') {
      io.err('outlay: could not reach Outlay; is it running? (set --url or OUTLAY_PUBLIC_URL)');
      return 1;
    }
    if (error instanceof DomainError || error instanceof DataDirLockedError || error instanceof SchemaTooNewError || error instanceof SimulatorError || error instanceof ReceiptFileError) {
      io.err(`outlay: ${error.message}`);
      return 1;
    }
    io.err(`outlay: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return 1;
  }
}
