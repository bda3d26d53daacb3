// SQL of review: a company's review rules and its teams' budget owners, and the rounds of an
// expense's review with their approvals.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { ExpenseApprovalsTable, ExpenseReviewRoundsTable, ReviewStepsTable } from '../db/schema.js';

export type ReviewStepRow = Selectable<ReviewStepsTable>;
export type ReviewRoundRow = Selectable<ExpenseReviewRoundsTable>;
export type ApprovalRow = Selectable<ExpenseApprovalsTable>;

// --- Rules ------------------------------------------------------------------------------------

/** Whether policy approves expenses without flags; undefined: the company never set rules. */
export async function findPolicyApproves(db: Db, companyId: string): Promise<{ policy_approves: boolean; updated_at: Date } | undefined> {
  return db.selectFrom('review_rules').select(['policy_approves', 'updated_at']).where('company_id', '=', companyId).executeTakeFirst();
}

export async function listSteps(db: Db, companyId: string): Promise<ReviewStepRow[]> {
  return db.selectFrom('review_steps').selectAll().where('company_id', '=', companyId).orderBy('position').execute();
}

/** Replaces the rules in one go; the upsert locks the company's row, so two changes queue. */
export async function replaceRules(db: Db, companyId: string, policyApproves: boolean, steps: readonly Omit<Insertable<ReviewStepsTable>, 'company_id'>[]): Promise<void> {
  await db
    .insertInto('review_rules')
    .values({ company_id: companyId, policy_approves: policyApproves })
    .onConflict((conflict) => conflict.column('company_id').doUpdateSet({ policy_approves: policyApproves, updated_at: sql<Date>`now()` }))
    .execute();
  await db.deleteFrom('review_steps').where('company_id', '=', companyId).execute();
  if (steps.length > 0) await db.insertInto('review_steps').values(steps.map((step) => ({ ...step, company_id: companyId }))).execute();
}

export async function listBudgetOwners(db: Db, companyId: string): Promise<{ team_id: string; user_id: string }[]> {
  return db.selectFrom('team_budget_owners').select(['team_id', 'user_id']).where('company_id', '=', companyId).orderBy('team_id').execute();
}

export async function replaceBudgetOwners(db: Db, companyId: string, owners: readonly { team_id: string; user_id: string }[]): Promise<void> {
  await db.deleteFrom('team_budget_owners').where('company_id', '=', companyId).execute();
  if (owners.length > 0) await db.insertInto('team_budget_owners').values(owners.map((owner) => ({ ...owner, company_id: companyId }))).execute();
}

// --- Rounds and approvals ---------------------------------------------------------------------

export async function listOpenRounds(db: Db, companyId: string, expenseIds: readonly string[]): Promise<ReviewRoundRow[]> {
  if (expenseIds.length === 0) return [];
  return db.selectFrom('expense_review_rounds').selectAll().where('company_id', '=', companyId).where('expense_id', 'in', expenseIds).where('ended_at', 'is', null).execute();
}

/** Starts the expense's next round of review. */
export async function startRound(db: Db, row: Omit<Insertable<ExpenseReviewRoundsTable>, 'round'>): Promise<ReviewRoundRow> {
  const last = await db
    .selectFrom('expense_review_rounds')
    .select((eb) => eb.fn.max('round').as('round'))
    .where('company_id', '=', row.company_id)
    .where('expense_id', '=', row.expense_id)
    .executeTakeFirst();
  return db.insertInto('expense_review_rounds').values({ ...row, round: (last?.round ?? 0) + 1 }).returningAll().executeTakeFirstOrThrow();
}

/** Ends the expense's open round, if it has one (an expense voided in review kept its own). */
export async function endOpenRound(db: Db, companyId: string, expenseId: string, now: Date): Promise<void> {
  await db.updateTable('expense_review_rounds').set({ ended_at: now }).where('company_id', '=', companyId).where('expense_id', '=', expenseId).where('ended_at', 'is', null).execute();
}

export async function insertApproval(db: Db, row: Insertable<ExpenseApprovalsTable>): Promise<ApprovalRow> {
  return db.insertInto('expense_approvals').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The approvals of the rounds given, oldest first. */
export async function listApprovals(db: Db, companyId: string, rounds: readonly Pick<ReviewRoundRow, 'expense_id' | 'round'>[]): Promise<ApprovalRow[]> {
  if (rounds.length === 0) return [];
  return db
    .selectFrom('expense_approvals')
    .selectAll()
    .where('company_id', '=', companyId)
    .where((eb) => eb.or(rounds.map((round) => eb.and([eb('expense_id', '=', round.expense_id), eb('round', '=', round.round)]))))
    .orderBy('approved_at')
    .execute();
}

/** The last time a reviewer sent the expense back: who, and the event's details. */
export async function lastChangesRequest(db: Db, companyId: string, expenseId: string): Promise<{ actor_id: string | null; actor_type: string; details: Record<string, unknown> } | undefined> {
  return db
    .selectFrom('expense_events')
    .select(['actor_id', 'actor_type', 'details'])
    .where('company_id', '=', companyId)
    .where('expense_id', '=', expenseId)
    .where('action', '=', 'changes_requested')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
