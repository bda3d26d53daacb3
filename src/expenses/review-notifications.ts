// Who hears of a step in an expense's review: the people a step waits for when it reaches
// them (the reviewer who sent it back, when it comes back), its owner when it is decided,
// and the other side of a comment. Each notice is an in-app notification written in the
// transaction of the step.
import type { Db } from '../db/database.js';
import { formatAmount } from '../money/money.js';
import { notify } from '../notifications/notifications.service.js';
import { getPerson } from '../people/people.service.js';
import * as repo from './expenses.repository.js';
import type { ReviewState } from './review-state.js';

/** Reviewers told of an expense to review, at most (the rest see it in their queue). */
export const reviewersNotifiedMax = 20;

const describe = (expense: repo.ExpenseRow) => `${expense.merchant ?? expense.kind.replace('_', ' ')}, ${formatAmount(expense.amount, expense.currency)} ${expense.currency}`;

/** Why the step's approvers hear of the expense: it was submitted, it came back to the reviewer who sent it back, or an earlier step was approved. */
export type ReviewNotice = 'submitted' | 'returned' | 'next_step';

function noticeOf(notice: ReviewNotice, expense: repo.ExpenseRow, ownerName: string, state: ReviewState, userId: string) {
  const step = state.steps.length > 1 ? ` Step ${state.position} of ${state.steps.length}: ${state.step.name}.` : '';
  if (notice === 'returned' && state.returnedTo === userId) return { title: `Back for your review: ${describe(expense)}`, body: `${ownerName} answered the changes you asked for.${step}` };
  if (notice === 'next_step') return { title: `To review: ${describe(expense)}`, body: `An earlier step of ${ownerName}'s expense was approved; it waits for you now.${step}` };
  return { title: `To review: ${describe(expense)}`, body: `${ownerName} submitted an expense${expense.flags.length > 0 ? ` (${expense.flags.join(', ').replaceAll('_', ' ')})` : ''}.${step}` };
}

/** Tells the people the step waits for (review-state.ts says who) that the expense waits for them. */
export async function notifyApprovers(trx: Db, expense: repo.ExpenseRow, state: ReviewState, notice: ReviewNotice, eventId: string, now: Date): Promise<void> {
  const owner = await getPerson(trx, expense.company_id, expense.user_id);
  for (const userId of state.waitingFor.slice(0, reviewersNotifiedMax)) {
    await notify(trx, {
      companyId: expense.company_id,
      userId,
      kind: 'expense_to_review',
      subject: { type: 'expense_event', id: `${eventId}:${userId}` },
      link: { type: 'expense', id: expense.id },
      ...noticeOf(notice, expense, owner.name, state, userId),
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
  await notify(trx, { companyId: expense.company_id, userId: expense.user_id, kind, subject: { type: 'expense_event', id: eventId }, link: { type: 'expense', id: expense.id }, title: `Expense ${verb}: ${describe(expense)}`, body: comment ?? `Your expense was ${verb}.` }, now);
}

/** Tells the other side of a comment: the owner hears from reviewers; the reviewers who acted on the expense hear from the owner. */
export async function notifyOfComment(trx: Db, expense: repo.ExpenseRow, eventId: string, byOwner: boolean, comment: string, now: Date): Promise<void> {
  const events = await repo.listEvents(trx, expense.company_id, expense.id, 500);
  const reviewerIds = [...new Set(events.filter((e) => e.actor_type === 'user' && e.actor_id !== expense.user_id && e.actor_id).map((e) => e.actor_id!))];
  const recipients = byOwner ? reviewerIds : [expense.user_id];
  for (const userId of recipients.slice(0, reviewersNotifiedMax)) {
    await notify(trx, { companyId: expense.company_id, userId, kind: 'expense_comment', subject: { type: 'expense_event', id: `${eventId}:${userId}` }, link: { type: 'expense', id: expense.id }, title: `Comment on ${describe(expense)}`, body: comment }, now);
  }
}
