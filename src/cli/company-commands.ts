// `outlay companies`: list the customer companies, or create one with its first admin.
import type { Command } from 'commander';
import { systemActor } from '../auth/actor.js';
import { createCompany, listCompanies } from '../companies/companies.service.js';
import { invitePerson } from '../people/people.service.js';
import { systemClock } from '../shared/clock.js';
import type { CommandContext } from './command-context.js';

export function registerCompanyCommands(root: Command, { io, config, withDatabase }: CommandContext): void {
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
        const invited = await invitePerson(db, settings, company.id, { email: options.adminEmail, name: options.adminName, roles: ['admin', 'employee'] }, systemActor, systemClock.now(), 'system');
        return { company, invited };
      });
      if (options.json) io.out(JSON.stringify({ id: created.company.id, name: created.company.name, invitationUrl: created.invited.invitation.url }));
      else io.out(`created ${created.company.id} ${created.company.name}\ninvitation for ${options.adminEmail}: ${created.invited.invitation.url}`);
    });
}
