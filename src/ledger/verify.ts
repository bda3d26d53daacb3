// Recomputes what the ledger claims from its postings and names every invariant that does
// not hold. `outlay ledger verify` and the tests run it; it only reads.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.js';

export interface Violation {
  invariant:
    | 'entry_has_too_few_postings'
    | 'entry_unbalanced'
    | 'posting_currency_differs_from_account'
    | 'posted_balance_mismatch'
    | 'pending_balance_mismatch'
    | 'account_overdrawn'
    | 'posted_transfer_without_entry';
  companyId: string;
  subject: string;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  accounts: number;
  entries: number;
  violations: Violation[];
}

/** Violations reported at most per check: enough to act on, bounded on a broken ledger. */
export const violationsPerCheckMax = 100;

function scoped(companyId: string | undefined, column = 'company_id') {
  return companyId ? sql`${sql.ref(column)} = ${companyId}` : sql`true`;
}

type ViolationRow = { company_id: string; subject: string; detail: string };
/** One invariant, as a query that lists at most `limit` rows breaking it. */
type Check = (companyId: string | undefined, limit: number) => RawBuilder<ViolationRow>;

const checks: readonly [Violation['invariant'], Check][] = [
  ['entry_has_too_few_postings', (companyId, limit) => sql<ViolationRow>`
    select e.company_id, e.id as subject, 'has ' || count(p.line) || ' postings' as detail
    from journal_entries e left join postings p on p.company_id = e.company_id and p.entry_id = e.id
    where ${scoped(companyId, 'e.company_id')}
    group by e.company_id, e.id having count(p.line) < 2
    order by e.company_id, e.id limit ${limit}`],
  ['entry_unbalanced', (companyId, limit) => sql<ViolationRow>`
    select company_id, entry_id as subject, currency || ' postings sum to ' || sum(amount)::text as detail
    from postings where ${scoped(companyId)}
    group by company_id, entry_id, currency having sum(amount) <> 0
    order by company_id, entry_id limit ${limit}`],
  ['posting_currency_differs_from_account', (companyId, limit) => sql<ViolationRow>`
    select p.company_id, p.entry_id || ' line ' || p.line as subject,
           'posting in ' || p.currency || ' on account ' || a.code || ' kept in ' || a.currency as detail
    from postings p join ledger_accounts a on a.company_id = p.company_id and a.id = p.account_id
    where ${scoped(companyId, 'p.company_id')} and p.currency <> a.currency
    order by p.company_id, p.entry_id, p.line limit ${limit}`],
  ['posted_balance_mismatch', (companyId, limit) => sql<ViolationRow>`
    with sums as (
      select company_id, account_id,
             coalesce(sum(amount) filter (where amount > 0), 0)::bigint as debits,
             coalesce(-sum(amount) filter (where amount < 0), 0)::bigint as credits
      from postings where ${scoped(companyId)} group by company_id, account_id)
    select a.company_id, a.code || ' (' || a.id || ')' as subject,
           'stored debits/credits ' || a.debits_posted || '/' || a.credits_posted ||
           ', postings give ' || coalesce(s.debits, 0) || '/' || coalesce(s.credits, 0) as detail
    from ledger_accounts a left join sums s on s.company_id = a.company_id and s.account_id = a.id
    where ${scoped(companyId, 'a.company_id')}
      and (a.debits_posted <> coalesce(s.debits, 0) or a.credits_posted <> coalesce(s.credits, 0))
    order by a.company_id, a.id limit ${limit}`],
  ['pending_balance_mismatch', (companyId, limit) => sql<ViolationRow>`
    with holds as (
      select company_id, account_id, sum(debit)::bigint as debits, sum(credit)::bigint as credits from (
        select company_id, debit_account_id as account_id, amount as debit, 0 as credit
        from pending_transfers where state = 'pending' and ${scoped(companyId)}
        union all
        select company_id, credit_account_id, 0, amount
        from pending_transfers where state = 'pending' and ${scoped(companyId)}) t
      group by company_id, account_id)
    select a.company_id, a.code || ' (' || a.id || ')' as subject,
           'stored pending debits/credits ' || a.debits_pending || '/' || a.credits_pending ||
           ', open pending transfers give ' || coalesce(h.debits, 0) || '/' || coalesce(h.credits, 0) as detail
    from ledger_accounts a left join holds h on h.company_id = a.company_id and h.account_id = a.id
    where ${scoped(companyId, 'a.company_id')}
      and (a.debits_pending <> coalesce(h.debits, 0) or a.credits_pending <> coalesce(h.credits, 0))
    order by a.company_id, a.id limit ${limit}`],
  ['account_overdrawn', (companyId, limit) => sql<ViolationRow>`
    select company_id, code || ' (' || id || ')' as subject, 'available balance is ' ||
      (case when type in ('asset', 'expense') then debits_posted - credits_posted - credits_pending
            else credits_posted - debits_posted - debits_pending end) || ' minor units' as detail
    from ledger_accounts
    where ${scoped(companyId)} and no_overdraft and
      (case when type in ('asset', 'expense') then debits_posted - credits_posted - credits_pending
            else credits_posted - debits_posted - debits_pending end) < 0
    order by company_id, id limit ${limit}`],
  ['posted_transfer_without_entry', (companyId, limit) => sql<ViolationRow>`
    select t.company_id, t.id as subject, 'posted ' || t.posted_amount || ' but no entry records it' as detail
    from pending_transfers t left join journal_entries e on e.company_id = t.company_id and e.id = t.entry_id
    where ${scoped(companyId, 't.company_id')} and t.state = 'posted' and e.id is null
    order by t.company_id, t.id limit ${limit}`],
];

export async function verifyLedger(db: Db, companyId?: string): Promise<VerifyReport> {
  const violations: Violation[] = [];
  for (const [invariant, check] of checks) {
    const rows = (await check(companyId, violationsPerCheckMax).execute(db)).rows;
    for (const row of rows) violations.push({ invariant, companyId: row.company_id, subject: row.subject, detail: row.detail });
  }

  const counts = await sql<{ accounts: bigint; entries: bigint }>`
    select (select count(*) from ledger_accounts where ${scoped(companyId)}) as accounts,
           (select count(*) from journal_entries where ${scoped(companyId)}) as entries`.execute(db);
  return {
    ok: violations.length === 0,
    accounts: Number(counts.rows[0]!.accounts),
    entries: Number(counts.rows[0]!.entries),
    violations,
  };
}
