// Spend overview benchmark: seeds a year of a 1,000-person company (25 teams, a card each,
// 120,000 card purchases of which one in thirty declined, 24,000 out-of-pocket expenses,
// a category line on every expense and a project tag on a third of them) with set-based
// inserts, then asks every series of the overview over real HTTP with an API key, one
// request at a time, and prints one JSON line: each endpoint's p50 and p95 in milliseconds.
//
// The seed writes the tables directly (as the demo and the card network would have filled
// them over a year); the requests go through the whole server: authentication, the filter
// checks, the SQL and the presentation.
//
//   npm run bench:analytics -- [--repeats 20]                 embedded PGlite
//   DATABASE_URL=postgres://… npm run bench:analytics         a throw-away database on that server
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';
import { createApiKey, createTenant } from '../src/test-support/api-client.js';
import { startTestServer } from '../src/test-support/server.js';
import { quantile } from './quantile.js';

const { values: flags } = parseArgs({ options: { repeats: { type: 'string', default: '20' }, warmups: { type: 'string', default: '2' } } });
const repeats = Number(flags.repeats);
const warmups = Number(flags.warmups);

const people = 1000;
const teams = 25;
const purchases = 120_000;
const outOfPocket = 24_000;

/** Seeds the company's year with one statement per table; returns the counts written. */
async function seedYear(db: Db, companyId: string, currency: string, today: string): Promise<Record<string, number>> {
  const person = (n: string) => sql.raw(`'usr_b' || lpad((${n} % ${people})::text, 4, '0')`);
  await sql`insert into teams (company_id, id, name) select ${companyId}, 'team_b' || t, 'Team ' || t from generate_series(1, ${teams}) t`.execute(db);
  await sql`insert into users (company_id, id, email, name, roles, team_id, status)
    select ${companyId}, 'usr_b' || lpad(n::text, 4, '0'), 'person' || n || '@bench.test', 'Person ' || n, array['employee'], 'team_b' || (1 + n % ${teams}), 'active'
    from generate_series(0, ${people - 1}) n`.execute(db);
  await sql`insert into expense_categories (company_id, id, account_code, name) select ${companyId}, 'cat_b' || c, (6100 + c)::text, 'Category ' || c from generate_series(1, 12) c`.execute(db);
  await sql`insert into tag_groups (company_id, id, name) values (${companyId}, 'tgg_b1', 'Project')`.execute(db);
  await sql`insert into tags (company_id, id, group_id, name) select ${companyId}, 'tag_b' || t, 'tgg_b1', 'Project ' || t from generate_series(1, 20) t`.execute(db);
  await sql`insert into cards (company_id, id, user_id, kind, status, last4, pan_ciphertext, cvv_ciphertext, expiry_month, expiry_year)
    select ${companyId}, 'card_b' || lpad(n::text, 4, '0'), 'usr_b' || lpad(n::text, 4, '0'), 'virtual', 'active', lpad(n::text, 4, '0'), 'bench', 'bench', 12, 2030
    from generate_series(0, ${people - 1}) n`.execute(db);
  // Spread over the year by multiplying with primes: every person, day and merchant comes up.
  await sql`insert into card_transactions (company_id, id, network_id, card_id, user_id, kind, state, decline_reason, merchant_name, mcc, merchant_country, channel,
      merchant_amount, merchant_currency, wallet_amount, settled_amount, wallet_currency, occurred_at, settled_at, expense_synced)
    select ${companyId}, 'ctx_b' || i, 'net_b' || i, replace(${person('i')}, 'usr_', 'card_'), ${person('i')}, 'purchase',
      case when i % 30 = 0 then 'declined' else 'settled' end,
      case when i % 30 = 0 then (array['insufficient_funds', 'card_frozen', 'mcc_blocked', 'over_limit'])[1 + (i / 30) % 4] end,
      'Merchant ' || (i * 31 % 400), '5812', 'DK', 'online',
      amount, case when i % 10 = 0 then 'USD' else ${currency} end, amount, case when i % 30 = 0 then null else amount end, ${currency},
      (${today}::date - ((i * 7919) % 365)::int) + time '12:00', case when i % 30 = 0 then null else (${today}::date - ((i * 7919) % 365)::int) + time '18:00' end, true
    from (select i, 500 + (i * 104729) % 50000 as amount from generate_series(1::bigint, ${purchases}) i) purchase`.execute(db);
  await sql`insert into expenses (company_id, id, user_id, kind, state, card_transaction_id, spent_on, merchant, amount, currency, reimbursement_state, export_state, flags)
    select company_id, 'exp_b' || substr(id, 6), user_id, 'card', 'approved', id, occurred_at::date, merchant_name, settled_amount, wallet_currency, 'none', 'not_exported',
      case when substr(id, 6)::int % 7 = 0 then array['missing_receipt'] else '{}' end
    from card_transactions where company_id = ${companyId} and state = 'settled'`.execute(db);
  await sql`insert into expenses (company_id, id, user_id, kind, state, spent_on, merchant, amount, currency, reimbursement_state, export_state)
    select ${companyId}, 'exp_bo' || i, ${person('(i * 13)')}, 'out_of_pocket', 'approved', ${today}::date - ((i * 7907) % 365)::int, 'Shop ' || (i % 200), 1000 + (i::bigint * 7901) % 30000, ${currency}, 'paid', 'exported'
    from generate_series(1, ${outOfPocket}) i`.execute(db);
  await sql`insert into expense_lines (company_id, expense_id, line, amount, category_id)
    select company_id, id, 1, amount, 'cat_b' || (1 + right(id, 1)::int + case when kind = 'card' then 0 else 2 end) from expenses where company_id = ${companyId}`.execute(db);
  await sql`insert into expense_tags (company_id, expense_id, tag_id)
    select company_id, id, 'tag_b' || (1 + right(id, 1)::int * 2 + case when kind = 'card' then 0 else 1 end) from expenses where company_id = ${companyId} and right(id, 1) in ('0', '3', '6')`.execute(db);
  await sql`analyze`.execute(db);
  const count = async (table: string) => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where company_id = ${companyId}`.execute(db)).rows[0]!.n);
  return { people: await count('users'), cardTransactions: await count('card_transactions'), expenses: await count('expenses'), expenseTags: await count('expense_tags') };
}

async function timeRequests(url: string, apiKey: string): Promise<{ p50Ms: number; p95Ms: number; items: number }> {
  const ask = async () => {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
    const text = await response.text();
    if (!response.ok) throw new Error(`${url}: ${response.status} ${text}`);
    return { ms: performance.now() - started, text };
  };
  for (let i = 0; i < warmups; i++) await ask();
  const times: number[] = [];
  let last = '';
  for (let i = 0; i < repeats; i++) {
    const { ms, text } = await ask();
    times.push(ms);
    last = text;
  }
  times.sort((x, y) => x - y);
  const items = url.includes('format=csv') ? last.split('\r\n').length - 2 : ((JSON.parse(last) as { items?: unknown[] }).items?.length ?? 3);
  return { p50Ms: Math.round(quantile(times, 0.5) * 10) / 10, p95Ms: Math.round(quantile(times, 0.95) * 10) / 10, items };
}

const server = await startTestServer();
try {
  const tenant = await createTenant(server, { name: 'Bench Year A/S', currency: 'DKK', adminEmail: 'admin@bench.test' });
  const today = new Date().toISOString().slice(0, 10);
  const seedStarted = performance.now();
  const counts = await seedYear(server.database.db, tenant.company.id, 'DKK', today);
  const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;
  const { secret } = await createApiKey(tenant.client, 'bench', ['analytics:read']);
  const base = `${server.url}/api/v1/analytics`;
  const endpoints: Record<string, string> = {
    'spend by month': `${base}/spend?by=month`,
    'spend by category': `${base}/spend?by=category`,
    'spend by team': `${base}/spend?by=team`,
    'spend by person': `${base}/spend?by=person`,
    'spend by merchant (top 10)': `${base}/spend?by=merchant&limit=10`,
    'spend by tag': `${base}/spend?by=tag`,
    'spend by kind': `${base}/spend?by=kind`,
    'spend by currency': `${base}/spend?by=currency`,
    comparison: `${base}/comparison`,
    declines: `${base}/declines`,
    'missing receipts': `${base}/missing-receipts`,
    'spend by month, one team': `${base}/spend?by=month&teamId=team_b1`,
    'spend by person, one tag': `${base}/spend?by=person&tagId=tag_b1`,
    'spend by person, CSV': `${base}/spend?by=person&format=csv`,
  };
  const timings: Record<string, { p50Ms: number; p95Ms: number; items: number }> = {};
  for (const [name, url] of Object.entries(endpoints)) timings[name] = await timeRequests(url, secret);
  const overviewP50Ms = Math.round(Object.values(timings).slice(0, 11).reduce((sum, timing) => sum + timing.p50Ms, 0) * 10) / 10;
  console.log(JSON.stringify({
    bench: 'analytics',
    database: server.database.kind,
    ...counts,
    seedSeconds,
    repeats,
    overviewP50Ms,
    endpoints: timings,
  }));
} finally {
  await server.close();
}
