// `outlay`: the operator's command line. Each command parses the configuration, opens the
// database, does one thing and exits with 0 on success, 1 on failure and 2 on misuse.
import { Command, CommanderError } from 'commander';
import { countCompanies, createCompany, listCompanies } from '../companies/companies.service.js';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { migrate } from '../db/migrate.js';
import { demoLogins, demoPassword } from '../demo/seed.js';
import { verifyLedger } from '../ledger/verify.js';
import { systemActor } from '../auth/actor.js';
import { invitePerson } from '../people/people.service.js';
import { systemClock } from '../shared/clock.js';
import { startServer } from '../server/server.js';
import { DomainError } from '../shared/errors.js';
import { describeLoadedRates, loadRatesFile } from '../fx/fx.cli.js';
import { registerSimulateCommands, SimulatorError } from '../simulator/simulate.cli.js';
import { registerBankCommands } from '../banking/statements/bank.cli.js';
import { registerPayoutCommands } from '../payouts/payouts.cli.js';
import { registerExportCommands } from '../exports/exports.cli.js';
import { registerBankImportCommands } from '../banking/bank-import.cli.js';
import { LocalBlobStore } from '../storage/blob-store.js';
import path from 'node:path';
import { extractReceipt, ReceiptFileError } from '../receipts/extract/extract-receipt.js';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  env: process.env,
};

class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config.database);
  try {
    await migrate(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
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
  await server.close();
}

function program(io: Io): Command {
  const config = () => loadConfig(io.env);
  const root = new Command('outlay')
    .description('Outlay: company spend with prepaid cards, a double-entry ledger and the banking formats around them.\nConfiguration comes from the environment; see the README.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });

  root.command('serve').description('run the HTTP server (what `npm start` does)').action(async () => serve(config(), io));

  root.command('migrate').description('apply pending database migrations').action(async () => {
    const result = await withDatabase(config(), (database) => migrate(database.db));
    io.out(result.applied.length ? `applied migrations ${result.applied.join(', ')}; schema is at ${result.current}` : `schema is current (${result.current})`);
  });

  const companies = root.command('companies').description('list and create companies');
  companies
    .command('list')
    .description('list companies')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const rows = await withDatabase(config(), (database) => listCompanies(database.db));
      const items = rows.map((row) => ({ id: row.id, name: row.name, currency: row.currency, timeZone: row.time_zone, people: row.people, createdAt: row.created_at.toISOString() }));
      if (options.json) io.out(JSON.stringify(items));
      else for (const item of items) io.out(`${item.id}  ${item.currency}  ${String(item.people).padStart(4)} people  ${item.name}`);
    });
  companies
    .command('create')
    .description('create a company and invite its first admin (prints the invitation link)')
    .requiredOption('--name <name>', 'company name')
    .requiredOption('--currency <code>', 'wallet currency, ISO 4217 (e.g. EUR)')
    .option('--time-zone <zone>', 'IANA time zone for calendar limits', 'UTC')
    .requiredOption('--admin-email <email>', 'e-mail of the first admin')
    .requiredOption('--admin-name <name>', 'name of the first admin')
    .option('--json', 'print JSON')
    .action(async (options: { name: string; currency: string; timeZone: string; adminEmail: string; adminName: string; json?: boolean }) => {
      const settings = config();
      const created = await withDatabase(settings, async ({ db }) => {
        const company = await createCompany(db, { name: options.name, currency: options.currency, timeZone: options.timeZone });
        const invited = await invitePerson(db, settings, company.id, { email: options.adminEmail, name: options.adminName, roles: ['admin', 'employee'] }, systemActor, systemClock.now());
        return { company, invited };
      });
      if (options.json) io.out(JSON.stringify({ id: created.company.id, name: created.company.name, invitationUrl: created.invited.invitation.url }));
      else io.out(`created ${created.company.id} ${created.company.name}\ninvitation for ${options.adminEmail}: ${created.invited.invitation.url}`);
    });

  root
    .command('ledger')
    .description('ledger tools')
    .command('verify')
    .description('recompute every balance from the postings and check every invariant; exits 1 on the first broken one')
    .option('--company <id>', 'only this company')
    .option('--json', 'print the report as JSON')
    .action(async (options: { company?: string; json?: boolean }) => {
      const report = await withDatabase(config(), (database) => verifyLedger(database.db, options.company));
      if (options.json) io.out(JSON.stringify(report));
      else if (report.ok) io.out(`ledger ok: ${report.accounts} accounts, ${report.entries} entries, every invariant holds`);
      else {
        const first = report.violations[0]!;
        io.err(`ledger broken: ${first.invariant} in company ${first.companyId}: ${first.subject}: ${first.detail}`);
        if (report.violations.length > 1) io.err(`(${report.violations.length - 1} more violations; --json lists them)`);
      }
      if (!report.ok) throw new ExitCode(1);
    });

  root
    .command('fx')
    .description('exchange rates')
    .command('load')
    .description('load exchange rates from an ECB euro reference-rate XML file (daily or history)')
    .argument('<file>', 'eurofxref-daily.xml or eurofxref-hist.xml')
    .option('--json', 'print the counts as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const loaded = await withDatabase(config(), (database) => loadRatesFile(database.db, file));
      if (options.json) io.out(JSON.stringify(loaded));
      else io.out(describeLoadedRates(loaded));
    });

  root
    .command('receipts')
    .description('receipt tools')
    .command('extract')
    .description('read a receipt photo offline (no server or database needed) and print its fields')
    .argument('<file>', 'a JPEG, PNG or WebP image')
    .option('--json', 'print JSON: merchant, date, total, currency, vat (null where unreadable)')
    .option('--text', 'also print the OCR text')
    .action(async (file: string, options: { json?: boolean; text?: boolean }) => {
      const read = await extractReceipt(file);
      const fields = { merchant: read.merchant, date: read.date, total: read.total, currency: read.currency, vat: read.vat };
      if (options.json) io.out(JSON.stringify(options.text ? { ...fields, confidence: read.confidence, text: read.text } : fields));
      else {
        for (const [name, value] of Object.entries(fields)) io.out(`${name.padEnd(9)}${value ?? '(not readable)'}`);
        if (options.text) io.out(`\n${read.text}`);
      }
    });

  registerSimulateCommands(root, { out: io.out, config });
  registerBankCommands(root, { out: io.out });
  registerPayoutCommands(root, { out: io.out, withDb: (work) => withDatabase(config(), (database) => work(database.db)) });
  registerBankImportCommands(root, {
    out: io.out,
    config,
    withServices: (work) => {
      const settings = config();
      return withDatabase(settings, (database) => work({ db: database.db, blobs: new LocalBlobStore(path.join(settings.dataDir, 'blobs')) }));
    },
  });
  registerExportCommands(root, {
    out: io.out,
    withServices: (work) => {
      const settings = config();
      return withDatabase(settings, (database) => work({ db: database.db, blobs: new LocalBlobStore(path.join(settings.dataDir, 'blobs')) }));
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
    if (error instanceof DomainError || error instanceof DataDirLockedError || error instanceof SimulatorError || error instanceof ReceiptFileError) {
      io.err(`outlay: ${error.message}`);
      return 1;
    }
    io.err(`outlay: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return 1;
  }
}
