// Who hears of a step in an expense's review: its reviewers when it waits for them, its owner
// when it is decided, and the other side of a comment. Each notice is an in-app notification
// written in the transaction of the step.
import type { Db } from '../db/database.js';
import { formatAmount } from '../money/money.js';
import { notify } from '../notifications/notifications.service.js';
import { activeReviewerIds, getPerson } from '../people/people.service.js';
import * as repo from './expenses.repository.js';

/** Reviewers told of a new expense to review, at most (the rest see it in their queue). */
export const reviewersNotifiedMax = 20;

const describe = (expense: repo.ExpenseRow) => `${expense.merchant ?? expense.kind.replace('_', ' ')}, ${formatAmount(expense.amount, expense.currency)} ${expense.currency}`;

/** Tells the reviewers of the owner's team (or, for a team without, every reviewer) that the expense waits for them. */
export async function notifyReviewers(trx: Db, expense: repo.ExpenseRow, eventId: string, now: Date): Promise<void> {
  const owner = await getPerson(trx, expense.company_id, expense.user_id);
  const named = await repo.reviewersOfTeam(trx, expense.company_id, owner.team_id);
  const reviewers = (named.length > 0 ? named : await activeReviewerIds(trx, expense.company_id)).filter((id) => id !== expense.user_id).slice(0, reviewersNotifiedMax);
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

const decisions = {
  approve: { kind: 'expense_approved', verb: 'approved' },
  reject: { kind: 'expense_rejected', verb: 'rejected' },
  request_changes: { kind: 'expense_changes_requested', verb: 'sent back' },
} as const;

/** Tells the owner a reviewer approved, rejected or sent back their expense. */
export async function notifyOwnerOfDecision(trx: Db, expense: repo.ExpenseRow, decision: keyof typeof decisions, eventId: string, comment: string | null, now: Date): Promise<void> {
  const { kind, verb } = decisions[decision];
  await notify(trx, { companyId: expense.company_id, userId: expense.user_id, kind, subject: { type: 'expense_event', id: eventId }, title: `Expense ${verb}: ${describe(expense)}`, body: comment ?? `Your expense was ${verb}.` }, now);
}

/** Tells the other side of a comment: the owner hears from reviewers; the reviewers who acted on the expense hear from the owner. */
export async function notifyOfComment(trx: Db, expense: repo.ExpenseRow, eventId: string, byOwner: boolean, comment: string, now: Date): Promise<void> {
  const events = await repo.listEvents(trx, expense.company_id, expense.id, 500);
  const reviewerIds = [...new Set(events.filter((e) => e.actor_type === 'user' && e.actor_id !== expense.user_id && e.actor_id).map((e) => e.actor_id!))];
  const recipients = byOwner ? reviewerIds : [expense.user_id];
  for (const userId of recipients.slice(0, reviewersNotifiedMax)) {
    await notify(trx, { companyId: expense.company_id, userId, kind: 'expense_comment', subject: { type: 'expense_event', id: `${eventId}:${userId}` }, title: `Comment on ${describe(expense)}`, body: comment }, now);
  }
}
