// `outlay ledger verify`, `outlay fx load` and `outlay receipts extract`: the operator's tools
// for the ledger, exchange rates and reading a receipt offline.
import type { Command } from 'commander';
import { describeLoadedRates, loadRatesFile } from '../fx/fx.cli.js';
import { verifyLedger } from '../ledger/verify.js';
import { extractReceipt } from '../receipts/extract/extract-receipt.js';
import { ExitCode, type CommandContext } from './command-context.js';

export function registerToolCommands(root: Command, { io, config, withDatabase }: CommandContext): void {
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
}
