// Review: the owner submits; an expense that is flagged, or that the company's review rules
// send to review, waits for the approvers of each step of its round in turn
// (review-rules.ts), who approve it, reject it or send it back with a comment; the owner
// answers and submits again. A sent-back expense goes back to review like any other unless
// the change removed every flag and the rules let policy approve it; in review, the step the
// reviewer sent it back from is assigned to them: they alone decide it (review-approvers.ts),
// and they are told it is back. Every step is an expense event that says what happened and
// why, and notifies the other side (review-notifications.ts). The last approval books the
// expense in the ledger (expense-booking.ts) in the same transaction, and makes what the
// company owes for out-of-pocket spending payable.
import { actorOf, type Principal } from '../auth/principal.js';
import { teamBudgetOwners } from '../budgets/budgets.service.js';
import type { Db } from '../db/database.js';
import { getPerson, namesOf } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { liveEvents } from '../shared/live-events.js';
import { loadBooks } from './books-lookup.js';
import { checkPeriodOpen } from './closed-periods.service.js';
import { ownerOf, visibleExpense } from './expense-access.js';
import { incompleteness } from './expense-details.js';
import { checkComment } from './expense-fields.js';
import { recordEvent } from './expense-history.service.js';
import { transition, type ExpenseAction } from './expense-lifecycle.js';
import { settleExpense } from './expense-settlement.js';
import * as repo from './expenses.repository.js';
import { notifyApprovers, notifyOwnerOfDecision } from './review-notifications.js';
import { decideReview, teamReviewStep, type RoundStep } from './review-rules.js';
import { loadReviewRules } from './review-rules.service.js';
import { refusalOf, reviewStateOf, type ReviewState } from './review-state.js';
import * as review from './review.repository.js';

/** Locks the expense and works its flags out again: a receipt may have arrived since the last change. */
async function prepare(trx: Db, principal: Principal, id: string, now: Date) {
  const expense = visibleExpense(principal, await repo.lockExpense(trx, principal.companyId, id));
  await checkPeriodOpen(trx, principal.companyId, expense.spent_on);
  const lookup = await loadBooks(trx, principal.companyId);
  return { current: await settleExpense(trx, expense, lookup, actorOf(principal), now, { rebook: false }), lookup };
}

/**
 * Who the round answers when the expense comes back from changes requested: the reviewer who
 * asked, for the step they were deciding if the new round has it, else its first step.
 */
function returnedTo(request: Awaited<ReturnType<typeof review.lastChangesRequest>>, steps: readonly RoundStep[]): { returned_to: string; returned_step: string } | null {
  if (!request || request.actor_type !== 'user' || !request.actor_id) return null;
  const asked = (request.details.step as { key?: unknown } | undefined)?.key;
  const step = steps.find((candidate) => candidate.key === asked) ?? steps[0]!;
  return { returned_to: request.actor_id, returned_step: step.key };
}

/** The owner submits: approved at once by policy, or sent to review (back to who sent it back). */
async function submit(db: Db, principal: Principal, id: string, now: Date): Promise<repo.ExpenseRow> {
  return db.transaction().execute(async (trx) => {
    const { current, lookup } = await prepare(trx, principal, id, now);
    const missing = incompleteness(current, await repo.listLines(trx, principal.companyId, [id]));
    if (missing) throw new DomainError('expense_incomplete', missing.detail, missing.field);
    const owner = await getPerson(trx, principal.companyId, current.user_id);
    const decision = decideReview({ amount: current.amount, teamId: owner.team_id, flags: current.flags }, await loadReviewRules(trx, principal.companyId), null);
    const result = transition(current.state, 'submit', { isOwner: ownerOf(principal) === current.user_id, mayReview: false, needsReview: decision.outcome === 'waiting' });
    if (!result.allowed) throw new DomainError(result.code, result.reason);
    const sentBack = current.state === 'changes_requested' ? await review.lastChangesRequest(trx, principal.companyId, id) : undefined;
    const approved = result.state === 'approved';
    const moved = await repo.updateExpense(trx, principal.companyId, id, {
      state: result.state,
      submitted_at: now,
      ...(approved ? { decided_at: now, ...(current.kind !== 'card' ? { reimbursement_state: 'owed' as const } : {}) } : {}),
    });
    const answered = sentBack ? { flagsWhenSentBack: sentBack.details.flags ?? [] } : {};
    if (decision.outcome !== 'waiting') {
      // Policy approves: no flag (left), and nothing in the rules asks for a reviewer.
      await recordEvent(trx, moved, actorOf(principal), 'approved_on_submit', null, { from: current.state, to: result.state, flags: current.flags, approvedBy: 'policy', ...answered });
      return settleExpense(trx, moved, lookup, actorOf(principal), now, { rebook: true });
    }
    const returned = returnedTo(sentBack, decision.steps);
    const round = await review.startRound(trx, { company_id: principal.companyId, expense_id: id, steps: JSON.stringify(decision.steps), returned_to: returned?.returned_to ?? null, returned_step: returned?.returned_step ?? null, started_at: now });
    const event = await recordEvent(trx, moved, actorOf(principal), 'submitted', null, {
      from: current.state, to: result.state, flags: current.flags, reasons: decision.reasons, round: round.round,
      step: { key: decision.step.key, name: decision.step.name }, position: decision.position, of: decision.steps.length, returnedTo: returned?.returned_to ?? null, ...answered,
    });
    await notifyApprovers(trx, moved, await reviewStateOf(trx, moved), returned ? 'returned' : 'submitted', event.id, now);
    return moved;
  });
}

/** The refusal of a person who may not decide the step, saying which step and whom it waits for. */
async function stepRefusal(trx: Db, companyId: string, state: ReviewState, refusal: { reason: string; code: 'forbidden' | 'review_step_not_yours' }): Promise<DomainError> {
  const names = await namesOf(trx, companyId, state.waitingFor);
  const who = state.waitingFor.flatMap((userId) => names.get(userId) ?? []);
  const waits = who.length > 0 ? `; it waits for ${who.join(', ')}` : '';
  return new DomainError(refusal.code, `${refusal.reason} (step ${state.position} of ${state.steps.length}, "${state.step.name}"${waits})`);
}

/** Tells the owner's open pages, and those of everyone who sees all expenses, once the
 * decision is committed. */
async function announceDecision(expense: repo.ExpenseRow): Promise<repo.ExpenseRow> {
  await liveEvents.publish({ companyId: expense.company_id, type: 'expense.reviewed', subject: { type: 'expense', id: expense.id }, audience: { userIds: [expense.user_id], permission: 'expenses:read' } });
  return expense;
}

/** A reviewer decides the step the expense waits for: approve it, reject the expense, or send it back. */
async function decide(db: Db, principal: Principal, id: string, action: 'approve' | 'reject' | 'request_changes', comment: string | null, now: Date, stepKey?: string): Promise<repo.ExpenseRow> {
  return announceDecision(await db.transaction().execute(async (trx) => {
    const { current, lookup } = await prepare(trx, principal, id, now);
    const state = current.state === 'in_review' ? await reviewStateOf(trx, current) : null;
    // Two approvers of one step at once: the second one's approval is not for the next step.
    if (state && stepKey !== undefined && stepKey !== state.step.key) throw new DomainError('expense_state_invalid', `the review moved on: it now waits for step ${state.position} of ${state.steps.length}, "${state.step.name}"`);
    const refusal = state ? refusalOf(state, principal) : null;
    const stepsLeft = action === 'approve' && state !== null && state.position < state.steps.length;
    const result = transition(current.state, action, { isOwner: ownerOf(principal) === current.user_id, mayReview: state !== null && refusal === null, needsReview: false, stepsLeft });
    if (!result.allowed) throw state && refusal && result.code === 'forbidden' ? await stepRefusal(trx, principal.companyId, state, refusal) : new DomainError(result.code, result.reason);
    const open = state!;
    const round = open.round || (await review.startRound(trx, { company_id: current.company_id, expense_id: id, steps: JSON.stringify([teamReviewStep]), started_at: now })).round;
    if (action === 'approve') await review.insertApproval(trx, { company_id: current.company_id, expense_id: id, round, step_key: open.step.key, user_id: ownerOf(principal)!, approved_at: now });
    if (result.state !== 'in_review') await review.endOpenRound(trx, current.company_id, id, now);
    const decided = result.state === 'approved' || result.state === 'rejected';
    const moved = await repo.updateExpense(trx, principal.companyId, id, {
      state: result.state,
      ...(decided ? { decided_at: now } : {}),
      ...(result.state === 'approved' && current.kind !== 'card' ? { reimbursement_state: 'owed' as const } : {}),
    });
    const next = stepsLeft ? open.steps[open.position] : undefined;
    const event = await recordEvent(trx, moved, actorOf(principal), eventActionOf(action, stepsLeft), comment, {
      from: current.state, to: result.state, flags: current.flags, round,
      step: { key: open.step.key, name: open.step.name }, position: open.position, of: open.steps.length, ...(next ? { next: { key: next.key, name: next.name } } : {}),
    });
    if (stepsLeft) await notifyApprovers(trx, moved, await reviewStateOf(trx, moved), 'next_step', event.id, now);
    else await notifyOwnerOfDecision(trx, moved, action, event.id, comment, now);
    return result.state === 'approved' ? settleExpense(trx, moved, lookup, actorOf(principal), now, { rebook: true }) : moved;
  }));
}

/** The history's name of a decision: an approval that leaves steps approves its step only. */
function eventActionOf(action: 'approve' | 'reject' | 'request_changes', stepsLeft: boolean): string {
  if (action === 'approve') return stepsLeft ? 'step_approved' : 'approved';
  return action === 'reject' ? 'rejected' : 'changes_requested';
}

/** The owner reopens a rejected expense as a draft. */
async function reopen(db: Db, principal: Principal, id: string, now: Date): Promise<repo.ExpenseRow> {
  return db.transaction().execute(async (trx) => {
    const { current } = await prepare(trx, principal, id, now);
    const action: ExpenseAction = 'reopen';
    const result = transition(current.state, action, { isOwner: ownerOf(principal) === current.user_id, mayReview: false, needsReview: false });
    if (!result.allowed) throw new DomainError(result.code, result.reason);
    const moved = await repo.updateExpense(trx, principal.companyId, id, { state: result.state });
    await recordEvent(trx, moved, actorOf(principal), 'reopened', null, { from: current.state, to: result.state, flags: current.flags });
    return moved;
  });
}

export const submitExpense = (db: Db, principal: Principal, id: string, now: Date) => submit(db, principal, id, now);
export const approveExpense = (db: Db, principal: Principal, id: string, comment: string | null | undefined, now: Date, stepKey?: string) => decide(db, principal, id, 'approve', checkComment(comment, false), now, stepKey);
export const rejectExpense = (db: Db, principal: Principal, id: string, comment: string, now: Date) => decide(db, principal, id, 'reject', checkComment(comment, true), now);
export const requestChanges = (db: Db, principal: Principal, id: string, comment: string, now: Date) => decide(db, principal, id, 'request_changes', checkComment(comment, true), now);
export const reopenExpense = (db: Db, principal: Principal, id: string, now: Date) => reopen(db, principal, id, now);

/** What the principal takes part in reviewing now, newest first: the rows and where each review stands. */
export async function reviewQueue(db: Db, principal: Principal, before: string | undefined, limit: number): Promise<repo.ExpenseRow[]> {
  if (principal.kind !== 'user' || !principal.permissions.has('expenses:review')) throw new DomainError('forbidden', 'this needs the expenses:review permission');
  const seesAll = principal.roles.includes('admin');
  // Teams whose budget they own, where the review rules name no budget owner (src/budgets).
  const ownedTeams = seesAll ? [] : (await teamBudgetOwners(db, principal.companyId)).filter((owner) => owner.user_id === principal.userId).map((owner) => owner.team_id);
  return repo.listReviewQueue(db, principal.companyId, principal.userId, seesAll, before, limit, ownedTeams);
}
