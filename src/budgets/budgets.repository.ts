// SQL of budgets: the budgets table (this module's), and the figures of each budget summed
// read-only from the card purchases (the cards module's), the expenses and their tags (the
// expenses module's) and the people's teams (the people module's), in one statement for any
// number of budgets, so that what a budget has spent is never stored beside what was spent.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { BudgetsTable } from '../db/schema.js';
import type { BudgetFigures, PeriodRange } from './budget-rules.js';

export type BudgetRow = Selectable<BudgetsTable>;

export async function insertBudget(db: Db, row: Omit<BudgetRow, 'created_at' | 'updated_at' | 'archived_at'>): Promise<BudgetRow> {
  return db.insertInto('budgets').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateBudget(db: Db, companyId: string, id: string, changes: Partial<Omit<BudgetRow, 'company_id' | 'id' | 'created_at'>>): Promise<BudgetRow> {
  return db.updateTable('budgets').set(changes).where('company_id', '=', companyId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function findBudget(db: Db, companyId: string, id: string, options: { lock?: boolean } = {}): Promise<BudgetRow | undefined> {
  let query = db.selectFrom('budgets').selectAll().where('company_id', '=', companyId).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The live budgets (all, or those one person owns), oldest first. */
export async function listBudgets(db: Db, companyId: string, filter: { ownerId?: string } = {}): Promise<BudgetRow[]> {
  let query = db.selectFrom('budgets').selectAll().where('company_id', '=', companyId).where('archived_at', 'is', null);
  if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
  return query.orderBy('id').execute();
}

/** How many live budgets the company keeps. */
export async function countBudgets(db: Db, companyId: string): Promise<number> {
  const row = await db.selectFrom('budgets').select((eb) => eb.fn.countAll<string>().as('count')).where('company_id', '=', companyId).where('archived_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Companies with a live budget that has thresholds, for the alert sweep. */
export async function companiesWithBudgets(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('budgets').select('company_id').distinct().where('archived_at', 'is', null).where('owner_id', 'is not', null).orderBy('company_id').execute();
  return rows.map((row) => row.company_id);
}

/**
 * The live enforced budgets that cover purchases of these people (their own, and their
 * team's), locked in id order for the rest of the caller's transaction. Budgets are locked
 * after the cards and before the wallets, by every authorization, so none deadlock.
 */
export async function lockEnforcedBudgetsOf(db: Db, holders: readonly { companyId: string; userId: string }[]): Promise<(BudgetRow & { holder_id: string })[]> {
  if (holders.length === 0) return [];
  const values = holders.map((holder) => sql`(${holder.companyId}::text, ${holder.userId}::text)`);
  const result = await sql<BudgetRow & { holder_id: string }>`
    select b.*, h.user_id as holder_id
    from (values ${sql.join(values)}) as h(company_id, user_id)
    join users u on u.company_id = h.company_id and u.id = h.user_id
    join budgets b on b.company_id = h.company_id and b.enforced and b.archived_at is null
      and ((b.scope = 'person' and b.user_id = h.user_id) or (b.scope = 'team' and b.team_id = u.team_id))
    order by b.company_id, b.id
    for update of b`.execute(db);
  return result.rows;
}

/** A budget and the period to sum it over. */
export interface FiguresAsk {
  budget: Pick<BudgetRow, 'company_id' | 'id' | 'scope' | 'team_id' | 'user_id' | 'tag_id' | 'amount'>;
  range: PeriodRange;
}

/**
 * What each budget spent and holds in its period, in the order of the asks. A team or person
 * budget counts the card purchases of its people (held until cleared, then as cleared, less
 * their refunds, in the purchase's period) and their out-of-pocket expenses once submitted (not rejected or voided), by the
 * purchase's moment and the expense's date. A tag budget counts the expenses with the tag,
 * card ones included once their expense exists, as the spend overview does.
 */
export async function figuresOf(db: Db, asks: readonly FiguresAsk[]): Promise<BudgetFigures[]> {
  if (asks.length === 0) return [];
  const values = asks.map(({ budget, range }, index) =>
    sql`(${index}::int, ${budget.company_id}::text, ${budget.scope}::text, ${budget.team_id}::text, ${budget.user_id}::text, ${budget.tag_id}::text, ${range.from}::date, ${range.to}::date, ${range.start}::timestamptz, ${range.end}::timestamptz)`,
  );
  const result = await sql<{ ask: number; spent: string; pending: string }>`
    with a(ask, company_id, scope, team_id, user_id, tag_id, from_day, to_day, start_at, end_at) as (values ${sql.join(values)}),
    people as (
      select a.ask, u.company_id, u.id as user_id
      from a join users u on u.company_id = a.company_id
      where (a.scope = 'person' and u.id = a.user_id) or (a.scope = 'team' and u.team_id = a.team_id)
    ),
    card_spend as (
      select p.ask,
        coalesce(sum(case when t.kind = 'refund' then -coalesce(t.settled_amount, t.wallet_amount) else coalesce(t.settled_amount, t.wallet_amount) end)
          filter (where t.state = 'settled'), 0) as spent,
        coalesce(sum(t.wallet_amount) filter (where t.state = 'pending' and t.kind <> 'refund'), 0) as pending
      from people p
      join a on a.ask = p.ask
      join card_transactions t on t.company_id = p.company_id and t.user_id = p.user_id
        and t.occurred_at >= a.start_at
        and t.kind in ('purchase', 'atm_withdrawal', 'force_post', 'refund') and t.state in ('pending', 'settled')
      -- A refund counts in the period of the purchase it gives back (never before it, so the
      -- lower bound above holds for it too); a merchant credit naming none, in its own.
      left join card_transactions o on t.kind = 'refund' and o.company_id = t.company_id and o.id = t.refund_of
      where coalesce(o.occurred_at, t.occurred_at) < a.end_at
      group by p.ask
    ),
    own as (
      select p.ask, coalesce(sum(e.amount), 0) as spent
      from people p
      join a on a.ask = p.ask
      join expenses e on e.company_id = p.company_id and e.user_id = p.user_id
        and e.kind <> 'card' and e.state not in ('draft', 'rejected', 'voided')
        and e.spent_on between a.from_day and a.to_day
      group by p.ask
    ),
    tagged as (
      select a.ask, coalesce(sum(e.amount), 0) as spent
      from a
      join expense_tags xt on xt.company_id = a.company_id and xt.tag_id = a.tag_id
      join expenses e on e.company_id = xt.company_id and e.id = xt.expense_id
        and e.state <> 'voided' and (e.kind = 'card' or e.state not in ('draft', 'rejected'))
        and e.spent_on between a.from_day and a.to_day
      where a.scope = 'tag'
      group by a.ask
    )
    select a.ask,
      (coalesce(c.spent, 0) + coalesce(o.spent, 0) + coalesce(g.spent, 0))::bigint::text as spent,
      coalesce(c.pending, 0)::bigint::text as pending
    from a
    left join card_spend c on c.ask = a.ask
    left join own o on o.ask = a.ask
    left join tagged g on g.ask = a.ask`.execute(db);
  const byAsk = new Map(result.rows.map((row) => [Number(row.ask), row]));
  return asks.map(({ budget }, index) => {
    const row = byAsk.get(index)!;
    return { amount: budget.amount, spent: BigInt(row.spent), pending: BigInt(row.pending) };
  });
}

/** For each team, the owner of its oldest live budget that has one. */
export async function teamBudgetOwners(db: Db, companyId: string): Promise<{ team_id: string; user_id: string }[]> {
  const rows = await db
    .selectFrom('budgets')
    .select(['team_id', 'owner_id'])
    .where('company_id', '=', companyId)
    .where('scope', '=', 'team')
    .where('archived_at', 'is', null)
    .where('owner_id', 'is not', null)
    .orderBy('id')
    .execute();
  const owners = new Map<string, string>();
  for (const row of rows) if (!owners.has(row.team_id!)) owners.set(row.team_id!, row.owner_id!);
  return [...owners].map(([team_id, user_id]) => ({ team_id, user_id }));
}

/** Whether the tag is one of the company's and in use (tags are the expenses module's; read only). */
export async function tagInUse(db: Db, companyId: string, tagId: string): Promise<boolean> {
  const result = await sql<{ found: number }>`select 1 as found from tags where company_id = ${companyId} and id = ${tagId} and active`.execute(db);
  return result.rows.length > 0;
}

/** The tags' names with their groups', for the budgets list (read only). */
export async function tagLabels(db: Db, companyId: string, tagIds: readonly string[]): Promise<Map<string, string>> {
  if (tagIds.length === 0) return new Map();
  const result = await sql<{ id: string; label: string }>`
    select t.id, g.name || ': ' || t.name as label from tags t join tag_groups g on g.company_id = t.company_id and g.id = t.group_id
    where t.company_id = ${companyId} and t.id in (${sql.join([...new Set(tagIds)])})`.execute(db);
  return new Map(result.rows.map((row) => [row.id, row.label]));
}
