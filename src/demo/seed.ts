// Demo data for a first start: one company with its people and a funded wallet, so a
// newcomer signs in to something that looks alive: people, a funded wallet, cards and a few
// weeks of purchases, and a webhook endpoint whose deliveries go to the server's own demo
// receiver. Never used when OUTLAY_DEMO=0.
import type { PasswordCost } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { FieldKeys } from '../shared/field-encryption.js';
import type { Role } from '../db/schema.js';
import { createCompany, type CompanyRow } from '../companies/companies.service.js';
import { addActivePerson, createTeam } from '../people/people.service.js';
import { recordTopUp } from '../wallet/wallet.service.js';
import { seedDemoCards } from './demo-cards.js';
import { seedDemoReceipts } from './demo-receipts.js';
import { seedDemoExpenses } from './demo-expenses.js';
import { seedDemoBanking } from './demo-banking.js';
import { seedDemoBudgets } from './demo-budgets.js';
import { createDemoEndpoint } from '../webhooks/webhooks.service.js';
import type { TopUpAccount } from '../banking/top-up-account.js';
import type { ReceiptsDeps } from '../receipts/receipt-intake.service.js';

/** Demo-only password: printed at start, so it is no secret. */
export const demoPassword = 'outlay-demo-2026';

export const demoLogins: readonly { role: Role; name: string; email: string; password: string; team: string | null }[] = [
  { role: 'admin', name: 'Ada Lindqvist', email: 'admin@demo.outlay.test', password: demoPassword, team: null },
  { role: 'bookkeeper', name: 'Bo Jensen', email: 'bookkeeper@demo.outlay.test', password: demoPassword, team: null },
  { role: 'employee', name: 'Emma Nørgaard', email: 'emma@demo.outlay.test', password: demoPassword, team: 'Design' },
  { role: 'employee', name: 'Felix Braun', email: 'felix@demo.outlay.test', password: demoPassword, team: 'Sales' },
];

const system = { actorType: 'system' as const, actorId: null };

export async function seedDemo(db: Db, keys: { encryptionKey: FieldKeys; passwordCost: PasswordCost; publicUrl: string }, receipts: Omit<ReceiptsDeps, 'db'>, topUpAccount: TopUpAccount, today = new Date()): Promise<CompanyRow> {
  const { encryptionKey, passwordCost } = keys;
  const company = await createCompany(db, { name: 'Nordlys Studio', currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  // First, so that what the seeding does (top-up, cards, purchases, expenses) is delivered to it.
  await createDemoEndpoint(db, encryptionKey, company.id, keys.publicUrl, system, today);
  const teams = new Map<string, string>();
  for (const name of ['Design', 'Sales']) teams.set(name, (await createTeam(db, company.id, name, system)).id);
  const employees = new Map<string, string>();
  const people = new Map<string, string>();
  for (const login of demoLogins) {
    const person = await addActivePerson(db, company.id, {
      email: login.email,
      name: login.name,
      roles: login.role === 'employee' ? ['employee'] : [login.role, 'employee'],
      teamId: login.team ? teams.get(login.team) : null,
      password: login.password,
    }, passwordCost);
    if (login.role === 'employee') employees.set(login.email.split('@')[0]!, person.id);
    people.set(login.email.split('@')[0]!, person.id);
  }
  const received = new Date(today.getTime() - 14 * 24 * 3600_000).toISOString().slice(0, 10);
  await recordTopUp(db, company.id, { amount: '25000.00', currency: 'EUR', bankReference: 'DEMO-FUNDING-1', receivedOn: received }, system, today);
  const transactions = await seedDemoCards(db, encryptionKey, company.id, employees, today);
  await seedDemoReceipts(db, { db, ...receipts }, company.id, employees, transactions, today);
  await seedDemoExpenses(db, { db, ...receipts }, company.id, teams, people, today);
  await seedDemoBudgets(db, company.id, teams, people.get('admin')!);
  await seedDemoBanking(db, receipts.blobs, topUpAccount, company.id, { password: demoPassword, cost: passwordCost }, today);
  return company;
}
