// Review: the owner submits; an expense above the company's threshold or flagged by a policy
// check waits for a reviewer, who approves, rejects or sends it back with a comment; the
// owner answers and submits again. Every step is an expense event and notifies the other
// side (review-notifications.ts). Approval books the expense in the ledger
// (expense-booking.ts) in the same transaction, and makes what the company owes for
// out-of-pocket spending payable.
import { actorOf, type Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { loadBooks } from './books-lookup.js';
import { checkPeriodOpen } from './closed-periods.service.js';
import { mayReview, ownerOf, visibleExpense } from './expense-access.js';
import { incompleteness } from './expense-details.js';
import { checkComment } from './expense-fields.js';
import { recordEvent } from './expense-history.service.js';
import { transition, type ExpenseAction } from './expense-lifecycle.js';
import { settleExpense } from './expense-settlement.js';
import * as repo from './expenses.repository.js';
import { notifyOwnerOfDecision, notifyReviewers } from './review-notifications.js';

/** The history's name of a step: submitting is "approved_on_submit" when no review is needed. */
function eventActionOf(action: ExpenseAction, to: repo.ExpenseRow['state']): string {
  if (action === 'submit') return to === 'approved' ? 'approved_on_submit' : 'submitted';
  return { approve: 'approved', reject: 'rejected', request_changes: 'changes_requested', reopen: 'reopened', void: 'voided' }[action];
}

/** Moves an expense by one review action, in one transaction. */
async function act(db: Db, principal: Principal, id: string, action: ExpenseAction, comment: string | null, now: Date): Promise<repo.ExpenseRow> {
  return db.transaction().execute(async (trx) => {
    const expense = visibleExpense(principal, await repo.lockExpense(trx, principal.companyId, id));
    await checkPeriodOpen(trx, principal.companyId, expense.spent_on);
    const lookup = await loadBooks(trx, principal.companyId);
    // Flags are worked out again: a receipt may have arrived since the last change.
    const current = await settleExpense(trx, expense, lookup, actorOf(principal), now, { rebook: false });
    if (action === 'submit') {
      const missing = incompleteness(current, await repo.listLines(trx, principal.companyId, [id]));
      if (missing) throw new DomainError('expense_incomplete', missing.detail, missing.field);
    }
    const result = transition(current.state, action, {
      isOwner: ownerOf(principal) === current.user_id,
      mayReview: action === 'submit' || action === 'reopen' ? false : await mayReview(trx, principal, current),
      needsReview: current.flags.length > 0,
    });
    if (!result.allowed) throw new DomainError(result.code, result.reason);
    const decided = result.state === 'approved' || result.state === 'rejected';
    const moved = await repo.updateExpense(trx, principal.companyId, id, {
      state: result.state,
      ...(action === 'submit' ? { submitted_at: now } : {}),
      ...(decided ? { decided_at: now } : {}),
      ...(result.state === 'approved' && current.kind !== 'card' ? { reimbursement_state: 'owed' as const } : {}),
    });
    const event = await recordEvent(trx, moved, actorOf(principal), eventActionOf(action, result.state), comment, { from: current.state, to: result.state, flags: current.flags });
    if (result.state === 'in_review') await notifyReviewers(trx, moved, event.id, now);
    if (action === 'approve' || action === 'reject' || action === 'request_changes') await notifyOwnerOfDecision(trx, moved, action, event.id, comment, now);
    return result.state === 'approved' ? settleExpense(trx, moved, lookup, actorOf(principal), now, { rebook: true }) : moved;
  });
}

export const submitExpense = (db: Db, principal: Principal, id: string, now: Date) => act(db, principal, id, 'submit', null, now);
export const approveExpense = (db: Db, principal: Principal, id: string, comment: string | null | undefined, now: Date) => act(db, principal, id, 'approve', checkComment(comment, false), now);
export const rejectExpense = (db: Db, principal: Principal, id: string, comment: string, now: Date) => act(db, principal, id, 'reject', checkComment(comment, true), now);
export const requestChanges = (db: Db, principal: Principal, id: string, comment: string, now: Date) => act(db, principal, id, 'request_changes', checkComment(comment, true), now);
export const reopenExpense = (db: Db, principal: Principal, id: string, now: Date) => act(db, principal, id, 'reopen', null, now);

/** What the principal may review now, newest first. */
export async function reviewQueue(db: Db, principal: Principal, before: string | undefined, limit: number): Promise<repo.ExpenseRow[]> {
  if (principal.kind !== 'user' || !principal.permissions.has('expenses:review')) throw new DomainError('forbidden', 'this needs the expenses:review permission');
  return repo.listReviewQueue(db, principal.companyId, principal.userId, principal.roles.includes('admin'), before, limit);
}
