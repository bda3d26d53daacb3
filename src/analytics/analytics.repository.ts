// All SQL of the spend overview: read-only, grouped sums over a company's expenses (with their
// people, teams, lines, tags and, for card expenses, the purchase), and its declined purchases.
// Sums are exact: bigint minor units of the company's currency, summed in the database.
//
// What counts as spend: every card expense but a voided one (the money left the wallet
// whatever its review says), and the other kinds once submitted, unless rejected or voided.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import type { OverviewFilter } from './overview-filter.js';

export type SpendDimension = 'month' | 'category' | 'team' | 'person' | 'merchant' | 'tag' | 'kind' | 'currency';

export interface SeriesRow {
  key: string | null;
  label: string | null;
  amount: bigint;
  count: number;
  /** by currency only: the sum in that currency. */
  original: bigint | null;
}

const none = sql``;
const where = (value: string | null, clause: (value: string) => RawBuilder<unknown>) => (value === null ? none : clause(value));

interface ScopeOptions {
  /** Joined after the others (lines, tags). */
  joins?: RawBuilder<unknown>;
  /** The category filter keeps the lines `l` of that category, not whole expenses. */
  categoryOfLine?: boolean;
  /** Joins the team `tm` (for its name). */
  team?: boolean;
  /** Joins the card purchase `t` even without a card filter (for its currency). */
  purchase?: boolean;
}

/** The expenses that count as spend within the filter, as `e` with the person `u`, and the
 * team `tm` and card purchase `t` where asked for: each join left out saves a pass over a
 * year of expenses. */
function spendScope(companyId: string, filter: OverviewFilter, options: ScopeOptions = {}) {
  return sql`
    from expenses e
    join users u on u.company_id = e.company_id and u.id = e.user_id
    ${options.team ? sql`left join teams tm on tm.company_id = u.company_id and tm.id = u.team_id` : none}
    ${options.purchase || filter.cardId !== null ? sql`left join card_transactions t on t.company_id = e.company_id and t.id = e.card_transaction_id` : none}
    ${options.joins ?? none}
    where e.company_id = ${companyId}
      and e.spent_on between ${filter.from}::date and ${filter.to}::date
      and e.state <> 'voided'
      and (e.kind = 'card' or e.state not in ('draft', 'rejected'))
      ${where(filter.teamId, (id) => sql`and u.team_id = ${id}`)}
      ${where(filter.userId, (id) => sql`and e.user_id = ${id}`)}
      ${where(filter.cardId, (id) => sql`and t.card_id = ${id}`)}
      ${where(filter.tagId, (id) => sql`and exists (select 1 from expense_tags xt where xt.company_id = e.company_id and xt.expense_id = e.id and xt.tag_id = ${id})`)}
      ${where(filter.categoryId, (id) => (options.categoryOfLine
        ? sql`and l.category_id = ${id}`
        : sql`and exists (select 1 from expense_lines xl where xl.company_id = e.company_id and xl.expense_id = e.id and xl.category_id = ${id})`))}`;
}

/** The original currency and amount: what an out-of-pocket expense was paid in, or what the
 * merchant charged a card; else the company's own. */
const originalCurrency = sql`coalesce(e.original_currency, t.merchant_currency, e.currency)`;
const originalAmount = sql`coalesce(e.original_amount, t.settled_merchant_amount, t.merchant_amount, e.amount)`;

function seriesQuery(companyId: string, filter: OverviewFilter, by: SpendDimension, limit: number) {
  const plain = (key: RawBuilder<unknown>, label: RawBuilder<unknown>, options: ScopeOptions = {}) => sql`
    select ${key} as key, ${label} as label, sum(e.amount)::bigint as amount, count(*)::int as count, null::bigint as original
    ${spendScope(companyId, filter, options)}
    group by 1 order by amount desc, key limit ${limit}`;
  switch (by) {
    case 'month': return sql`
      select to_char(e.spent_on, 'YYYY-MM') as key, null::text as label, sum(e.amount)::bigint as amount, count(*)::int as count, null::bigint as original
      ${spendScope(companyId, filter)}
      group by 1 order by 1 limit ${limit}`;
    case 'team': return plain(sql`u.team_id`, sql`min(tm.name)`, { team: true });
    case 'person': return plain(sql`e.user_id`, sql`min(u.name)`);
    case 'merchant': return plain(sql`e.merchant`, sql`min(e.merchant)`);
    case 'kind': return plain(sql`e.kind`, sql`null::text`);
    case 'currency': return sql`
      select ${originalCurrency} as key, null::text as label, sum(e.amount)::bigint as amount, count(*)::int as count, sum(${originalAmount})::bigint as original
      ${spendScope(companyId, filter, { purchase: true })}
      group by 1 order by amount desc, key limit ${limit}`;
    case 'category': return sql`
      select l.category_id as key, min(c.name) as label, sum(l.amount)::bigint as amount, count(distinct e.id)::int as count, null::bigint as original
      ${spendScope(companyId, filter, { categoryOfLine: true, joins: sql`
        join expense_lines l on l.company_id = e.company_id and l.expense_id = e.id
        left join expense_categories c on c.company_id = l.company_id and c.id = l.category_id` })}
      group by 1 order by amount desc, key limit ${limit}`;
    case 'tag': return sql`
      select tg.id as key, min(g.name || ': ' || tg.name) as label, sum(e.amount)::bigint as amount, count(*)::int as count, null::bigint as original
      ${spendScope(companyId, filter, { joins: sql`
        join expense_tags et on et.company_id = e.company_id and et.expense_id = e.id
        join tags tg on tg.company_id = et.company_id and tg.id = et.tag_id
        join tag_groups g on g.company_id = tg.company_id and g.id = tg.group_id` })}
      group by 1 order by amount desc, key limit ${limit}`;
  }
}

export async function spendSeries(db: Db, companyId: string, filter: OverviewFilter, by: SpendDimension, limit: number): Promise<SeriesRow[]> {
  const { rows } = await seriesQuery(companyId, filter, by, limit).execute(db);
  return rows as SeriesRow[];
}

export interface ComparisonRow {
  thisMonth: bigint;
  thisMonthCount: number;
  lastMonth: bigint;
  lastMonthCount: number;
  sameMonthLastYear: bigint;
  sameMonthLastYearCount: number;
}

/** Months as [first, last] dates; the filter's own period is replaced by the three months. */
export async function compareMonths(db: Db, companyId: string, filter: OverviewFilter, months: { thisMonth: [string, string]; lastMonth: [string, string]; sameMonthLastYear: [string, string] }): Promise<ComparisonRow> {
  const within = ([first, last]: [string, string]) => sql`e.spent_on between ${first}::date and ${last}::date`;
  const scope = { ...filter, from: months.sameMonthLastYear[0], to: months.thisMonth[1] };
  const { rows } = await sql<ComparisonRow>`
    select
      coalesce(sum(e.amount) filter (where ${within(months.thisMonth)}), 0)::bigint as "thisMonth",
      (count(*) filter (where ${within(months.thisMonth)}))::int as "thisMonthCount",
      coalesce(sum(e.amount) filter (where ${within(months.lastMonth)}), 0)::bigint as "lastMonth",
      (count(*) filter (where ${within(months.lastMonth)}))::int as "lastMonthCount",
      coalesce(sum(e.amount) filter (where ${within(months.sameMonthLastYear)}), 0)::bigint as "sameMonthLastYear",
      (count(*) filter (where ${within(months.sameMonthLastYear)}))::int as "sameMonthLastYearCount"
    ${spendScope(companyId, scope)}`.execute(db);
  return rows[0]!;
}

/** Expenses flagged missing_receipt, by person: how many and how much. */
export async function missingReceiptsByPerson(db: Db, companyId: string, filter: OverviewFilter, limit: number): Promise<SeriesRow[]> {
  const { rows } = await sql<SeriesRow>`
    select e.user_id as key, min(u.name) as label, sum(e.amount)::bigint as amount, count(*)::int as count, null::bigint as original
    ${spendScope(companyId, filter)}
      and 'missing_receipt' = any(e.flags)
    group by 1 order by count desc, amount desc, key limit ${limit}`.execute(db);
  return rows;
}

/** Declined card purchases by reason, in the period of the company's calendar ([start, end)),
 * with their amounts in the company's currency. Categories and tags do not apply to them. */
export async function declinesByReason(db: Db, companyId: string, filter: Pick<OverviewFilter, 'teamId' | 'userId' | 'cardId'>, period: { start: Date; end: Date }, limit: number): Promise<SeriesRow[]> {
  const { rows } = await sql<SeriesRow>`
    select coalesce(t.decline_reason, 'unknown') as key, null::text as label, sum(t.wallet_amount)::bigint as amount, count(*)::int as count, null::bigint as original
    from card_transactions t
    join users u on u.company_id = t.company_id and u.id = t.user_id
    where t.company_id = ${companyId}
      and t.state = 'declined'
      and t.occurred_at >= ${period.start} and t.occurred_at < ${period.end}
      ${where(filter.teamId, (id) => sql`and u.team_id = ${id}`)}
      ${where(filter.userId, (id) => sql`and t.user_id = ${id}`)}
      ${where(filter.cardId, (id) => sql`and t.card_id = ${id}`)}
    group by 1 order by count desc, key limit ${limit}`.execute(db);
  return rows;
}

export interface HomeSums {
  /** Spend of each trailing window ending today, both days included. */
  spentLast30Days: bigint;
  spentLast90Days: bigint;
  spentThisMonth: bigint;
  spentThisMonthCount: number;
  /** Expenses waiting for a reviewer's decision, of any date. */
  pendingReviews: number;
  /** Expenses that count as spend and still miss their receipt, of any date. */
  missingReceipts: number;
}

/** The admin's home figures in one pass over the company's expenses. Dates are the company's
 * calendar days (YYYY-MM-DD). What counts as spend is what the overview counts. */
export async function homeSums(db: Db, companyId: string, days: { today: string; monthStart: string; last30From: string; last90From: string }): Promise<HomeSums> {
  const since = (first: string) => sql`e.spent_on between ${first}::date and ${days.today}::date`;
  const counted = sql`e.state <> 'voided' and (e.kind = 'card' or e.state not in ('draft', 'rejected'))`;
  const { rows } = await sql<HomeSums>`
    select
      coalesce(sum(e.amount) filter (where ${counted} and ${since(days.last30From)}), 0)::bigint as "spentLast30Days",
      coalesce(sum(e.amount) filter (where ${counted} and ${since(days.last90From)}), 0)::bigint as "spentLast90Days",
      coalesce(sum(e.amount) filter (where ${counted} and ${since(days.monthStart)}), 0)::bigint as "spentThisMonth",
      (count(*) filter (where ${counted} and ${since(days.monthStart)}))::int as "spentThisMonthCount",
      (count(*) filter (where e.state = 'in_review'))::int as "pendingReviews",
      (count(*) filter (where ${counted} and 'missing_receipt' = any(e.flags)))::int as "missingReceipts"
    from expenses e
    where e.company_id = ${companyId}`.execute(db);
  return rows[0]!;
}
