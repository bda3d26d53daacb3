// Every table has one module that owns it, and only that module's code writes it. Another
// module's table is read only in the few read-only joins listed below, each with its reason;
// everything else goes through the owner's service.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/shared/project-root.js';

/** Which module (folder of src/) owns each table of migrations/. */
const owners: Record<string, readonly string[]> = {
  http: ['idempotency_keys'],
  auth: ['attempt_limits'],
  storage: ['blobs'],
  jobs: ['scheduled_runs', 'job_leases'],
  audit: ['audit_events'],
  companies: ['companies'],
  people: ['teams', 'users', 'logins', 'invitations'],
  sessions: ['sessions', 'api_keys', 'password_resets'],
  ledger: ['ledger_accounts', 'journal_entries', 'postings', 'pending_transfers'],
  wallet: ['wallet_top_ups', 'wallet_corrections'],
  fx: ['fx_rates'],
  cards: ['card_routes', 'card_settings', 'cards', 'card_events', 'card_transactions', 'card_network_events', 'card_spend_buckets'],
  receipts: ['receipt_settings', 'receipts', 'lost_receipts', 'receipt_addresses'],
  notifications: ['notifications'],
  mail: ['outgoing_mail'],
  sso: ['sso_connections', 'sso_domains', 'sso_saml_assertions'],
  mfa: ['totp_factors', 'recovery_codes', 'passkeys', 'passkey_challenges'],
  webhooks: ['webhook_endpoints', 'webhook_deliveries', 'webhook_attempts'],
  budgets: ['budgets'],
  expenses: [
    'expense_settings', 'expense_categories', 'tax_codes', 'tag_groups', 'tags', 'per_diem_rates', 'team_reviewers', 'closed_periods', 'payee_accounts',
    'expenses', 'expense_lines', 'expense_tags', 'expense_events',
    'review_rules', 'review_steps', 'team_budget_owners', 'expense_review_rounds', 'expense_approvals', 'expense_refunds',
  ],
  payouts: ['payout_batches', 'payout_items'],
  exports: ['export_batches'],
  banking: ['payment_references', 'wallet_alerts', 'bank_statement_files', 'bank_statements', 'bank_entries'],
  flags: ['feature_flags'],
};

/** Reads of another module's table that stay a join, and why: file, table, reason. */
const readJoins: readonly [file: string, table: string, why: string][] = [
  ['src/cards/card-transactions.repository.ts', 'receipts', 'a purchase is listed with its receipt state in one query'],
  ['src/cards/card-transactions.repository.ts', 'lost_receipts', 'a purchase is listed with its receipt state in one query'],
  ['src/cards/card-transactions.repository.ts', 'receipt_settings', 'the receipt threshold decides whether a listed purchase wants a receipt'],
  ['src/cards/cards.repository.ts', 'companies', 'an authorization locks the card and reads its company\'s currency and time zone in one query, on the hot path'],
  ['src/receipts/receipts.repository.ts', 'card_transactions', 'which purchases miss their receipt, and which could match one, is one query across purchases and receipts'],
  ['src/receipts/receipts.repository.ts', 'users', 'reminders and freezes concern active people only, decided in the same query'],
  ['src/receipts/receipts.repository.ts', 'notifications', 'the reminder sweep leaves out people already reminded of a purchase, in the same query'],
  ['src/receipts/receipts.repository.ts', 'cards', 'the freeze sweep finds active cards with overdue receipts in one query; freezing goes through the cards service'],
  ['src/receipts/receipts.repository.ts', 'card_events', 'the sweep finds the cards Outlay froze for receipts in one query; lifting the freeze goes through the cards service'],
  ['src/expenses/expenses.repository.ts', 'users', 'the review queue reads the owner\'s team so that one query pages it'],
  ['src/expenses/expense-search.repository.ts', 'users', 'the company-wide list searches and sorts by the person\'s name in the query that pages it'],
  ['src/expenses/expense-search.repository.ts', 'teams', 'the company-wide list filters by team and shows its name in the query that pages it'],
  ['src/cards/card-transaction-search.repository.ts', 'users', 'the company-wide list searches and sorts by the cardholder\'s name in the query that pages it'],
  ['src/cards/card-transaction-search.repository.ts', 'teams', 'the company-wide list filters by team and shows its name in the query that pages it'],
  ['src/mail/mail.repository.ts', 'users', 'a notification is e-mailed to its person, if active, inside the notifying transaction in one query'],
  ['src/mail/mail.repository.ts', 'companies', 'an e-mail is written in its company\'s locale and named by it, read beside the recipient (and for an invitee, who is no person yet, on its own)'],
  ['src/analytics/analytics.repository.ts', 'expenses', 'the spend overview sums expenses in the database, one grouped query per series, read-only'],
  ['src/analytics/analytics.repository.ts', 'expense_lines', 'spend by category sums the lines of each category in the query that groups them'],
  ['src/analytics/analytics.repository.ts', 'expense_categories', 'spend by category names each category in the query that groups it'],
  ['src/analytics/analytics.repository.ts', 'expense_tags', 'spend by tag, and the tag filter, join each expense to its tags in the query that sums them'],
  ['src/analytics/analytics.repository.ts', 'tags', 'spend by tag names each tag in the query that groups it'],
  ['src/analytics/analytics.repository.ts', 'tag_groups', 'spend by tag names each tag with its group in the query that groups it'],
  ['src/analytics/analytics.repository.ts', 'users', 'spend by person and by team, and their filters, read the person of each expense in the query that sums them'],
  ['src/analytics/analytics.repository.ts', 'teams', 'spend by team names each team in the query that groups it'],
  ['src/analytics/analytics.repository.ts', 'card_transactions', 'the card filter, the original currency of card expenses and declines by reason are summed in one query each (read-only; cards keeps every write)'],
  ['src/budgets/budgets.repository.ts', 'users', 'a team budget covers the people of the team: its purchases and figures join each person\'s team in the statement that locks or sums them'],
  ['src/budgets/budgets.repository.ts', 'card_transactions', 'a budget\'s figures sum its people\'s card purchases in one statement, read-only, so what is spent is never stored twice (cards keeps every write)'],
  ['src/budgets/budgets.repository.ts', 'expenses', 'a budget\'s figures sum out-of-pocket and tagged expenses in the same statement, read-only'],
  ['src/budgets/budgets.repository.ts', 'expense_tags', 'a tag budget sums the expenses with its tag in the statement that sums the rest'],
  ['src/budgets/budgets.repository.ts', 'tags', 'a tag budget\'s tag is checked and named without importing the expenses module, which reads budgets for its review'],
  ['src/budgets/budgets.repository.ts', 'tag_groups', 'a tag budget names its tag with its group'],
  ['src/banking/bank.repository.ts', 'ledger_accounts', 'the low-balance sweep reads each alerting company\'s available funds in one query per page, not one per company'],
];

const ownerOf = new Map(Object.entries(owners).flatMap(([module, tables]) => tables.map((table) => [table, module] as const)));

function tablesInMigrations(): string[] {
  const dir = path.join(projectRoot, 'migrations');
  const sql = readdirSync(dir).filter((file) => file.endsWith('.sql')).map((file) => readFileSync(path.join(dir, file), 'utf8')).join('\n');
  return [...sql.matchAll(/create table (?:if not exists )?([a-z_]+)/gi)].map((match) => match[1]!.toLowerCase());
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test-support' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** The tables a file reads and writes, through Kysely's builder or in raw SQL. */
function tablesOf(source: string): { reads: Set<string>; writes: Set<string> } {
  const text = withoutComments(source);
  const known = (name: string) => ownerOf.has(name);
  const reads = new Set<string>();
  const writes = new Set<string>();
  for (const match of text.matchAll(/\b(selectFrom|innerJoin|leftJoin|rightJoin|fullJoin|join)\(\s*['"]([a-z_]+)/g)) if (known(match[2]!)) reads.add(match[2]!);
  for (const match of text.matchAll(/\b(insertInto|updateTable|deleteFrom)\(\s*['"]([a-z_]+)/g)) if (known(match[2]!)) writes.add(match[2]!);
  for (const match of text.matchAll(/\b(?:from|join)\s+([a-z_]+)\b/gi)) if (known(match[1]!)) reads.add(match[1]!);
  for (const match of text.matchAll(/\b(?:insert\s+into|update|delete\s+from)\s+([a-z_]+)\b/gi)) if (known(match[1]!)) writes.add(match[1]!);
  return { reads, writes };
}

const moduleOf = (file: string) => path.relative(path.join(projectRoot, 'src'), file).split(path.sep)[0]!;
const relative = (file: string) => path.relative(projectRoot, file).split(path.sep).join('/');

describe('modules own their tables', () => {
  it('gives every table of the migrations exactly one owner', () => {
    const tables = tablesInMigrations();
    expect(tables.length).toBeGreaterThan(40);
    expect(tables.filter((table) => !ownerOf.has(table))).toEqual([]);
    expect([...ownerOf.keys()].filter((table) => !tables.includes(table))).toEqual([]);
  });

  it('lets only the owner write a table', () => {
    const foreignWrites = sourceFiles(path.join(projectRoot, 'src')).flatMap((file) =>
      [...tablesOf(readFileSync(file, 'utf8')).writes].filter((table) => ownerOf.get(table) !== moduleOf(file)).map((table) => `${relative(file)} writes ${table} (${ownerOf.get(table)}'s)`),
    );
    expect(foreignWrites).toEqual([]);
  });

  it('reads another module\'s table only in the joins listed, each with its reason', () => {
    const allowed = new Set(readJoins.map(([file, table]) => `${file}|${table}`));
    const foreignReads = sourceFiles(path.join(projectRoot, 'src')).flatMap((file) =>
      [...tablesOf(readFileSync(file, 'utf8')).reads]
        .filter((table) => ownerOf.get(table) !== moduleOf(file) && !allowed.has(`${relative(file)}|${table}`))
        .map((table) => `${relative(file)} reads ${table} (${ownerOf.get(table)}'s)`),
    );
    expect(foreignReads).toEqual([]);
  });

  it('lists no join that is gone', () => {
    const stale = readJoins.filter(([file, table]) => !tablesOf(readFileSync(path.join(projectRoot, file), 'utf8')).reads.has(table)).map(([file, table]) => `${file}|${table}`);
    expect(stale).toEqual([]);
  });

  it('finds the tables of builder calls and of raw SQL alike', () => {
    const found = tablesOf(`
      // selectFrom('cards') in a comment does not count
      db.selectFrom('receipts as r').innerJoin('users as u', 'u.id', 'r.user_id');
      db.updateTable('expenses').set({});
      sql\`select 1 from card_transactions t join cards c on c.id = t.card_id\`;
      sql\`insert into notifications (id) values (1)\`;
    `);
    expect({ reads: [...found.reads].sort(), writes: [...found.writes].sort() }).toEqual({
      reads: ['card_transactions', 'cards', 'receipts', 'users'],
      writes: ['expenses', 'notifications'],
    });
  });
});
