// Who may see and review an expense. A person sees their own expenses; expenses:read or
// expenses:manage sees everyone's. An expense the principal may not see answers "not found",
// so its existence is not given away.
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { getPerson } from '../people/people.service.js';
import { notFound } from '../shared/errors.js';
import * as repo from './expenses.repository.js';

/** The person acting, or null for an API key (which owns no expenses). */
export const ownerOf = (principal: Principal): string | null => (principal.kind === 'user' ? principal.userId : null);

export const seesAllExpenses = (principal: Principal) => principal.permissions.has('expenses:read') || principal.permissions.has('expenses:manage');

export function visibleExpense(principal: Principal, expense: repo.ExpenseRow | undefined): repo.ExpenseRow {
  if (!expense || expense.company_id !== principal.companyId || !(seesAllExpenses(principal) || ownerOf(principal) === expense.user_id)) throw notFound('expense');
  return expense;
}

/** Whether the principal reviews the owner's team: expenses:review, and a reviewer of the
 * team when it has named reviewers (admins always do). Who decides the step an expense in
 * review waits for is review-approvers.ts's decision. */
export async function mayReview(trx: Db, principal: Principal, expense: repo.ExpenseRow): Promise<boolean> {
  if (!principal.permissions.has('expenses:review') || principal.kind !== 'user') return false;
  if (principal.roles.includes('admin')) return true;
  const owner = await getPerson(trx, expense.company_id, expense.user_id);
  const named = await repo.reviewersOfTeam(trx, expense.company_id, owner.team_id);
  return named.length === 0 || named.includes(principal.userId);
}
