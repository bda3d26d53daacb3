// SQL of expenses, their lines, tags and history.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { ExpenseEventsTable, ExpenseLinesTable, ExpensesTable, ExpenseState } from '../db/schema.js';

export type ExpenseRow = Selectable<ExpensesTable>;
export type ExpenseLineRow = Selectable<ExpenseLinesTable>;
export type ExpenseEventRow = Selectable<ExpenseEventsTable>;

export async function insertExpense(db: Db, row: Insertable<ExpensesTable>): Promise<ExpenseRow> {
  return db.insertInto('expenses').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Sets the flags of many expenses of one company with one statement. */
export async function updateFlagsOfMany(db: Db, companyId: string, flags: ReadonlyMap<string, readonly string[]>): Promise<void> {
  if (flags.size === 0) return;
  const values = [...flags].map(([id, list]) => sql`(${id}::text, ${[...list]}::text[])`);
  await sql`
    update expenses e set flags = v.flags, updated_at = now()
    from (values ${sql.join(values)}) as v(id, flags)
    where e.company_id = ${companyId} and e.id = v.id`.execute(db);
}

export async function insertExpenses(db: Db, rows: readonly Insertable<ExpensesTable>[]): Promise<ExpenseRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto('expenses').values([...rows]).returningAll().execute();
}

export async function findExpense(db: Db, companyId: string, id: string): Promise<ExpenseRow | undefined> {
  return db.selectFrom('expenses').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function lockExpense(db: Db, companyId: string, id: string): Promise<ExpenseRow | undefined> {
  return db.selectFrom('expenses').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks the expenses of the card transactions, in id order. */
export async function lockExpensesOfTransactions(db: Db, companyId: string, transactionIds: readonly string[]): Promise<ExpenseRow[]> {
  if (transactionIds.length === 0) return [];
  return db.selectFrom('expenses').selectAll().where('company_id', '=', companyId).where('card_transaction_id', 'in', transactionIds).orderBy('id').forUpdate().execute();
}

export async function updateExpense(db: Db, companyId: string, id: string, patch: Updateable<ExpensesTable>): Promise<ExpenseRow> {
  return db
    .updateTable('expenses')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ExpenseFilter {
  companyId: string;
  userId?: string;
  states?: readonly ExpenseState[];
  kind?: ExpensesTable['kind'];
  from?: string;
  to?: string;
  exportState?: ExpensesTable['export_state'];
  reimbursementState?: ExpensesTable['reimbursement_state'];
  before?: string;
  limit: number;
}

export async function listExpenses(db: Db, filter: ExpenseFilter): Promise<ExpenseRow[]> {
  let query = db.selectFrom('expenses').selectAll().where('company_id', '=', filter.companyId);
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.states && filter.states.length > 0) query = query.where('state', 'in', filter.states);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.from) query = query.where('spent_on', '>=', filter.from);
  if (filter.to) query = query.where('spent_on', '<=', filter.to);
  if (filter.exportState) query = query.where('export_state', '=', filter.exportState);
  if (filter.reimbursementState) query = query.where('reimbursement_state', '=', filter.reimbursementState);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** The expenses (not voided or rejected) of the company that share a person, amount and day
 * with any of the keys: the candidates for the expenses' twins (hasTwinAmong), in one query. */
export async function listTwinCandidates(db: Db, companyId: string, keys: readonly Pick<ExpenseRow, 'user_id' | 'amount' | 'spent_on'>[]): Promise<ExpenseRow[]> {
  if (keys.length === 0) return [];
  const values = keys.map((key) => sql`(${key.user_id}::text, ${key.amount}::bigint, ${key.spent_on}::date)`);
  const result = await sql<ExpenseRow>`
    select e.* from expenses e
    join (select distinct * from (values ${sql.join(values)}) as v(user_id, amount, spent_on)) k
      on e.user_id = k.user_id and e.amount = k.amount and e.spent_on = k.spent_on
    where e.company_id = ${companyId} and e.state not in ('voided', 'rejected')`.execute(db);
  return result.rows;
}

// --- Lines and tags ---------------------------------------------------------------------------

export async function listLines(db: Db, companyId: string, expenseIds: readonly string[]): Promise<ExpenseLineRow[]> {
  if (expenseIds.length === 0) return [];
  return db.selectFrom('expense_lines').selectAll().where('company_id', '=', companyId).where('expense_id', 'in', expenseIds).orderBy('expense_id').orderBy('line').execute();
}

export async function replaceLines(db: Db, companyId: string, expenseId: string, lines: readonly Omit<Insertable<ExpenseLinesTable>, 'company_id' | 'expense_id'>[]): Promise<void> {
  await db.deleteFrom('expense_lines').where('company_id', '=', companyId).where('expense_id', '=', expenseId).execute();
  await insertLines(db, companyId, expenseId, lines);
}

/** The lines of an expense that has none yet. */
export async function insertLines(db: Db, companyId: string, expenseId: string, lines: readonly Omit<Insertable<ExpenseLinesTable>, 'company_id' | 'expense_id'>[]): Promise<void> {
  await insertLinesOfMany(db, lines.map((line) => ({ ...line, company_id: companyId, expense_id: expenseId })));
}

/** Lines of any number of expenses in one insert. */
export async function insertLinesOfMany(db: Db, lines: readonly Insertable<ExpenseLinesTable>[]): Promise<void> {
  if (lines.length > 0) await db.insertInto('expense_lines').values([...lines]).execute();
}

export async function listTagIds(db: Db, companyId: string, expenseIds: readonly string[]): Promise<{ expense_id: string; tag_id: string }[]> {
  if (expenseIds.length === 0) return [];
  return db.selectFrom('expense_tags').select(['expense_id', 'tag_id']).where('company_id', '=', companyId).where('expense_id', 'in', expenseIds).execute();
}

export async function replaceTags(db: Db, companyId: string, expenseId: string, tagIds: readonly string[]): Promise<void> {
  await db.deleteFrom('expense_tags').where('company_id', '=', companyId).where('expense_id', '=', expenseId).execute();
  if (tagIds.length > 0) await db.insertInto('expense_tags').values(tagIds.map((tagId) => ({ company_id: companyId, expense_id: expenseId, tag_id: tagId }))).execute();
}

// --- History ----------------------------------------------------------------------------------

export async function insertEvent(db: Db, row: Insertable<ExpenseEventsTable>): Promise<ExpenseEventRow> {
  return db.insertInto('expense_events').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertEvents(db: Db, rows: readonly Insertable<ExpenseEventsTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('expense_events').values([...rows]).execute();
}

export async function listEvents(db: Db, companyId: string, expenseId: string, limit: number): Promise<ExpenseEventRow[]> {
  return db.selectFrom('expense_events').selectAll().where('company_id', '=', companyId).where('expense_id', '=', expenseId).orderBy('id').limit(limit).execute();
}

// --- Review -----------------------------------------------------------------------------------

/**
 * Expenses of others in review that the reviewer takes part in: every one for an admin; else
 * those of a team they review (or of a team without named reviewers), those that came back to
 * them, those of a team whose budget they own (in the review rules, or a budget's owner
 * in `budgetTeamIds`), and those with a step any reviewer approves.
 * Where each one's review stands, and whether it waits for them, review-state.ts works out.
 */
export async function listReviewQueue(db: Db, companyId: string, reviewerId: string, seesAllTeams: boolean, before: string | undefined, limit: number, budgetTeamIds: readonly string[] = []): Promise<ExpenseRow[]> {
  let query = db
    .selectFrom('expenses as e')
    // users is the people module's: read only for the owner's team, so one query pages the queue.
    .innerJoin('users as u', (join) => join.onRef('u.company_id', '=', 'e.company_id').onRef('u.id', '=', 'e.user_id'))
    .selectAll('e')
    .where('e.company_id', '=', companyId)
    .where('e.state', '=', 'in_review')
    .where('e.user_id', '<>', reviewerId);
  if (!seesAllTeams) {
    const anyReviewerStep = JSON.stringify([{ approver: 'any_reviewer' }]);
    query = query.where(({ or, exists, not, selectFrom }) =>
      or([
        exists(selectFrom('team_reviewers as r').select('r.user_id').whereRef('r.company_id', '=', 'e.company_id').whereRef('r.team_id', '=', 'u.team_id').where('r.user_id', '=', reviewerId)),
        not(exists(selectFrom('team_reviewers as r').select('r.user_id').whereRef('r.company_id', '=', 'e.company_id').whereRef('r.team_id', '=', 'u.team_id'))),
        exists(selectFrom('team_budget_owners as b').select('b.user_id').whereRef('b.company_id', '=', 'e.company_id').whereRef('b.team_id', '=', 'u.team_id').where('b.user_id', '=', reviewerId)),
        ...(budgetTeamIds.length > 0 ? [sql<boolean>`u.team_id in (${sql.join(budgetTeamIds)})`] : []),
        exists(
          selectFrom('expense_review_rounds as o')
            .select('o.round')
            .whereRef('o.company_id', '=', 'e.company_id')
            .whereRef('o.expense_id', '=', 'e.id')
            .where('o.ended_at', 'is', null)
            .where((eb) => eb.or([eb('o.returned_to', '=', reviewerId), sql<boolean>`o.steps @> ${anyReviewerStep}::jsonb`])),
        ),
      ]),
    );
  }
  if (before) query = query.where('e.id', '<', before);
  return query.orderBy('e.id', 'desc').limit(limit).execute();
}

/** The reviewers named for a team (empty: anyone who reviews may). */
export async function reviewersOfTeam(db: Db, companyId: string, teamId: string | null): Promise<string[]> {
  if (teamId === null) return [];
  const rows = await db.selectFrom('team_reviewers').select('user_id').where('company_id', '=', companyId).where('team_id', '=', teamId).execute();
  return rows.map((row) => row.user_id);
}

// --- Reimbursement (src/payouts pays what is owed) ------------------------------------------

export interface OwedRow {
  user_id: string;
  amount: bigint;
  expense_count: number;
}

/** Approved expenses still owed to each person, summed. */
export async function owedByPerson(db: Db, companyId: string): Promise<OwedRow[]> {
  const rows = await sql<{ user_id: string; amount: string; expense_count: string }>`
    select user_id, sum(amount) as amount, count(*) as expense_count
    from expenses
    where company_id = ${companyId} and state = 'approved' and reimbursement_state = 'owed'
    group by user_id
    order by user_id`.execute(db);
  return rows.rows.map((row) => ({ user_id: row.user_id, amount: BigInt(row.amount), expense_count: Number(row.expense_count) }));
}

/** Locks the owed expenses of the company, so two batches can never take the same one. */
export async function lockOwedExpenses(db: Db, companyId: string) {
  return db
    .selectFrom('expenses')
    .select(['id', 'user_id', 'amount', 'currency'])
    .where('company_id', '=', companyId)
    .where('state', '=', 'approved')
    .where('reimbursement_state', '=', 'owed')
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function markExpensesInBatch(db: Db, companyId: string, expenseIds: readonly string[], batchId: string): Promise<void> {
  if (expenseIds.length === 0) return;
  await db
    .updateTable('expenses')
    .set({ reimbursement_state: 'in_batch', payout_batch_id: batchId, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', 'in', expenseIds)
    .execute();
}

export async function markBatchExpensesPaid(db: Db, companyId: string, batchId: string): Promise<string[]> {
  const rows = await db
    .updateTable('expenses')
    .set({ reimbursement_state: 'paid', updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('payout_batch_id', '=', batchId)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

// --- Export state (src/exports writes the books' files) ---------------------------------------

/** Approved expenses of the period not yet exported (or whose export failed), locked. */
export async function lockExportable(db: Db, companyId: string, from: string, to: string, limit: number): Promise<ExpenseRow[]> {
  return db
    .selectFrom('expenses')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('state', '=', 'approved')
    .where('export_state', 'in', ['not_exported', 'failed'])
    .where('spent_on', '>=', from)
    .where('spent_on', '<=', to)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .execute();
}

export async function markQueued(db: Db, companyId: string, expenseIds: readonly string[], batchId: string): Promise<void> {
  if (expenseIds.length === 0) return;
  for (let start = 0; start < expenseIds.length; start += 10_000) {
    await db
      .updateTable('expenses')
      .set({ export_state: 'queued', export_batch_id: batchId, updated_at: sql<Date>`now()` })
      .where('company_id', '=', companyId)
      .where('id', 'in', expenseIds.slice(start, start + 10_000))
      .execute();
  }
}

async function setBatchExpenseState(db: Db, companyId: string, batchId: string, from: readonly ExpenseRow['export_state'][], to: ExpenseRow['export_state']): Promise<string[]> {
  const rows = await db
    .updateTable('expenses')
    .set({ export_state: to, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('export_batch_id', '=', batchId)
    .where('export_state', 'in', from)
    .where('state', '=', 'approved')
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export const markExpensesExporting = (db: Db, companyId: string, batchId: string) => setBatchExpenseState(db, companyId, batchId, ['queued'], 'exporting');
export const markExpensesExported = (db: Db, companyId: string, batchId: string) => setBatchExpenseState(db, companyId, batchId, ['queued', 'exporting'], 'exported');
export const markExpensesFailed = (db: Db, companyId: string, batchId: string) => setBatchExpenseState(db, companyId, batchId, ['queued', 'exporting'], 'failed');

/** Expenses voided while their batch was being written leave it without being exported. */
export async function releaseVoided(db: Db, companyId: string, batchId: string): Promise<void> {
  await db
    .updateTable('expenses')
    .set({ export_state: 'not_exported', export_batch_id: null, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('export_batch_id', '=', batchId)
    .where('state', '<>', 'approved')
    .where('export_state', 'in', ['queued', 'exporting'])
    .execute();
}

/** The batch's expenses that are still approved (one voided meanwhile goes to no file). */
export async function listBatchExpenses(db: Db, companyId: string, batchId: string): Promise<ExpenseRow[]> {
  return db.selectFrom('expenses').selectAll().where('company_id', '=', companyId).where('export_batch_id', '=', batchId).where('state', '=', 'approved').orderBy('spent_on').orderBy('id').execute();
}

/** The expenses with these ids (the export of refunds reads the expenses they refund). */
export async function listExpensesByIds(db: Db, companyId: string, ids: readonly string[]): Promise<ExpenseRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('expenses').selectAll().where('company_id', '=', companyId).where('id', 'in', ids).execute();
}
