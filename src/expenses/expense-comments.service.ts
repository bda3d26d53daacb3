// Comments on an expense: the owner answering a reviewer, or the other way round (a reviewer
// of the team, a bookkeeper, or whoever approves a step of its review). A comment is an event
// in the expense's history, and the other side hears of it.
import { actorOf, type Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { mayReview, ownerOf, visibleExpense } from './expense-access.js';
import { checkComment } from './expense-fields.js';
import { recordEvent } from './expense-history.service.js';
import * as repo from './expenses.repository.js';
import { notifyOfComment } from './review-notifications.js';
import { reviewStateOf } from './review-state.js';

/** Whether the principal approves a step of the expense's review, or did in this round (a budget owner, any reviewer). */
async function takesPartInReview(trx: Db, principal: Principal, expense: repo.ExpenseRow): Promise<boolean> {
  if (expense.state !== 'in_review' || principal.kind !== 'user') return false;
  const state = await reviewStateOf(trx, expense);
  return state.waitingFor.includes(principal.userId) || state.approvals.some((approval) => approval.user_id === principal.userId);
}

export async function commentOnExpense(db: Db, principal: Principal, id: string, comment: string, now: Date): Promise<repo.ExpenseEventRow> {
  const text = checkComment(comment, true)!;
  return db.transaction().execute(async (trx) => {
    const expense = visibleExpense(principal, await repo.lockExpense(trx, principal.companyId, id));
    const isOwner = ownerOf(principal) === expense.user_id;
    if (!isOwner && !(await mayReview(trx, principal, expense)) && !principal.permissions.has('expenses:manage') && !(await takesPartInReview(trx, principal, expense))) {
      throw new DomainError('forbidden', 'only the owner, a reviewer or a bookkeeper comments on an expense');
    }
    const event = await recordEvent(trx, expense, actorOf(principal), 'commented', text);
    await notifyOfComment(trx, expense, event.id, isOwner, text, now);
    return event;
  });
}
