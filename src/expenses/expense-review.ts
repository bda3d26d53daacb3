// Review: the owner submits; an expense above the company's threshold or flagged by a policy
// check waits for a reviewer, who approves, rejects or sends it back with a comment; the
// owner answers and submits again. Every step is an expense event and notifies the other
// side. Approval books the expense in the ledger (expense-booking.ts) in the same
// transaction, and makes what the company owes for out-of-pocket spending payable.
import { actorOf, type Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { notify } from '../notifications/notifications.service.js';
import { formatAmount } from '../money/money.js';
import { getPerson } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { checkPeriodOpen } from './closed-periods.service.js';
import { incompleteness, loadBooks } from './expense-details.js';
import { transition, type ExpenseAction } from './expense-lifecycle.js';
import * as repo from './expenses.repository.js';
import { recordEvent, settleExpense, visibleExpense } from './expenses.service.js';

export const commentLengthMax = 1000;
/** Reviewers told of a new expense to review, at most (the rest see it in their queue). */
export const reviewersNotifiedMax = 20;

const ownerOf = (principal: Principal): string | null => (principal.kind === 'user' ? principal.userId : null);

/** Whether the principal may decide this expense: expenses:review, not their own, and a
 * reviewer of the owner's team when that team has named reviewers (admins always may). */
async function mayReview(trx: Db, principal: Principal, expense: repo.ExpenseRow): Promise<boolean> {
  if (!principal.permissions.has('expenses:review') || principal.kind !== 'user') return false;
  if (principal.roles.includes('admin')) return true;
  const owner = await getPerson(trx, expense.company_id, expense.user_id);
  const named = await repo.reviewersOfTeam(trx, expense.company_id, owner.team_id);
  return named.length === 0 || named.includes(principal.userId);
}

function checkComment(comment: string | null | undefined, required: boolean): string | null {
  const text = comment?.trim() ?? '';
  if (text.length > commentLengthMax) throw new DomainError('validation_failed', `a comment has at most ${commentLengthMax} characters`, 'comment');
  if (required && text.length === 0) throw new DomainError('validation_failed', 'say why, so the person knows what to do', 'comment');
  return text.length === 0 ? null : text;
}

const describe = (expense: repo.ExpenseRow) => `${expense.merchant ?? expense.kind.replace('_', ' ')}, ${formatAmount(expense.amount, expense.currency)} ${expense.currency}`;

async function notifyReviewers(trx: Db, expense: repo.ExpenseRow, eventId: string, now: Date): Promise<void> {
  const owner = await getPerson(trx, expense.company_id, expense.user_id);
  const named = await repo.reviewersOfTeam(trx, expense.company_id, owner.team_id);
  const reviewers = (named.length > 0 ? named : await repo.listCompanyReviewers(trx, expense.company_id)).filter((id) => id !== expense.user_id).slice(0, reviewersNotifiedMax);
  for (const userId of reviewers) {
    await notify(trx, {
      companyId: expense.company_id,
      userId,
      kind: 'expense_to_review',
      subject: { type: 'expense_event', id: `${eventId}:${userId}` },
      title: `To review: ${describe(expense)}`,
      body: `${owner.name} submitted an expense${expense.flags.length > 0 ? ` (${expense.flags.join(', ').replaceAll('_', ' ')})` : ''}.`,
    }, now);
  }
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
    const event = await recordEvent(trx, moved, actorOf(principal), result.state === 'approved' && action === 'submit' ? 'approved_on_submit' : action === 'submit' ? 'submitted' : { approve: 'approved', reject: 'rejected', request_changes: 'changes_requested', reopen: 'reopened', void: 'voided' }[action], comment, { from: current.state, to: result.state, flags: current.flags });
    if (result.state === 'in_review') await notifyReviewers(trx, moved, event.id, now);
    if (action === 'approve' || action === 'reject' || action === 'request_changes') {
      const kind = action === 'approve' ? 'expense_approved' : action === 'reject' ? 'expense_rejected' : 'expense_changes_requested';
      const verb = action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'sent back';
      await notify(trx, { companyId: moved.company_id, userId: moved.user_id, kind, subject: { type: 'expense_event', id: event.id }, title: `Expense ${verb}: ${describe(moved)}`, body: comment ?? `Your expense was ${verb}.` }, now);
    }
    return result.state === 'approved' ? settleExpense(trx, moved, lookup, actorOf(principal), now, { rebook: true }) : moved;
  });
}

export const submitExpense = (db: Db, principal: Principal, id: string, now = new Date()) => act(db, principal, id, 'submit', null, now);
export const approveExpense = (db: Db, principal: Principal, id: string, comment?: string | null, now = new Date()) => act(db, principal, id, 'approve', checkComment(comment, false), now);
export const rejectExpense = (db: Db, principal: Principal, id: string, comment: string, now = new Date()) => act(db, principal, id, 'reject', checkComment(comment, true), now);
export const requestChanges = (db: Db, principal: Principal, id: string, comment: string, now = new Date()) => act(db, principal, id, 'request_changes', checkComment(comment, true), now);
export const reopenExpense = (db: Db, principal: Principal, id: string, now = new Date()) => act(db, principal, id, 'reopen', null, now);

/** A comment in the expense's history: the owner answering a reviewer, or the other way round. */
export async function commentOnExpense(db: Db, principal: Principal, id: string, comment: string, now = new Date()): Promise<repo.ExpenseEventRow> {
  const text = checkComment(comment, true)!;
  return db.transaction().execute(async (trx) => {
    const expense = visibleExpense(principal, await repo.lockExpense(trx, principal.companyId, id));
    const isOwner = ownerOf(principal) === expense.user_id;
    if (!isOwner && !(await mayReview(trx, principal, expense)) && !principal.permissions.has('expenses:manage')) {
      throw new DomainError('forbidden', 'only the owner, a reviewer or a bookkeeper comments on an expense');
    }
    const event = await recordEvent(trx, expense, actorOf(principal), 'commented', text);
    // Tell the other side: the owner hears from reviewers; the last reviewer who acted hears from the owner.
    const events = await repo.listEvents(trx, expense.company_id, expense.id, 500);
    const reviewerIds = [...new Set(events.filter((e) => e.actor_type === 'user' && e.actor_id !== expense.user_id && e.actor_id).map((e) => e.actor_id!))];
    const recipients = isOwner ? reviewerIds : [expense.user_id];
    for (const userId of recipients.slice(0, reviewersNotifiedMax)) {
      await notify(trx, { companyId: expense.company_id, userId, kind: 'expense_comment', subject: { type: 'expense_event', id: `${event.id}:${userId}` }, title: `Comment on ${describe(expense)}`, body: text }, now);
    }
    return event;
  });
}

/** What the principal may review now, newest first. */
export async function reviewQueue(db: Db, principal: Principal, before: string | undefined, limit: number): Promise<repo.ExpenseRow[]> {
  if (principal.kind !== 'user' || !principal.permissions.has('expenses:review')) throw new DomainError('forbidden', 'this needs the expenses:review permission');
  return repo.listReviewQueue(db, principal.companyId, principal.userId, principal.roles.includes('admin'), before, limit);
}
