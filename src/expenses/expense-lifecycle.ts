/**
 * The states of an expense and who moves it between them. Pure: the current state, the
 * action and what is known of the actor in; the next state or the reason it may not happen.
 *
 *                 ┌─approve (steps left)─┐
 *                 ▼                      │
 *   draft ──submit──► in_review ─────────┴─approve (last step)──► approved
 *     ▲  └──submit (no review needed)──────────────────────────────▲
 *     │            │ request_changes                               │
 *     │            ▼                                               │
 *     └── changes_requested ──submit──► in_review ──reject──► rejected
 *
 * Whether a submitted expense needs review, and whether an approval leaves steps of its
 * review, is review-rules.ts's decision; who may decide is review-approvers.ts's. A sent-back
 * expense submitted again goes to review like any other, and to the reviewer who sent it back.
 * Any state but approved can be voided (the card purchase was reversed); rejected can be
 * reopened by its owner as a draft.
 */
import type { ExpenseState } from '../db/schema.js';

export const expenseStates: readonly ExpenseState[] = ['draft', 'in_review', 'changes_requested', 'approved', 'rejected', 'voided'];
export const expenseActions = ['submit', 'approve', 'reject', 'request_changes', 'reopen', 'void'] as const;
export type ExpenseAction = (typeof expenseActions)[number];

export interface TransitionContext {
  /** The actor owns the expense. */
  isOwner: boolean;
  /** The actor may decide the step of the review the expense waits for. */
  mayReview: boolean;
  /** Policy flags, the amount or the company's review rules send it to review. */
  needsReview: boolean;
  /** Approving leaves steps of the review for other approvers. */
  stepsLeft?: boolean;
}

export type Transition = { allowed: true; state: ExpenseState } | { allowed: false; reason: string; code: 'expense_state_invalid' | 'forbidden' };

const refuse = (reason: string, code: 'expense_state_invalid' | 'forbidden' = 'expense_state_invalid'): Transition => ({ allowed: false, reason, code });

export function transition(state: ExpenseState, action: ExpenseAction, context: TransitionContext): Transition {
  switch (action) {
    case 'submit':
      if (state !== 'draft' && state !== 'changes_requested') return refuse(`a ${state.replace('_', ' ')} expense cannot be submitted`);
      if (!context.isOwner) return refuse('only the expense\'s owner submits it', 'forbidden');
      return { allowed: true, state: context.needsReview ? 'in_review' : 'approved' };
    case 'approve':
    case 'reject':
    case 'request_changes':
      if (state !== 'in_review') return refuse(`only an expense in review can be ${action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'sent back'}`);
      if (context.isOwner) return refuse('nobody reviews their own expense', 'forbidden');
      if (!context.mayReview) return refuse('this needs a reviewer of the person\'s team', 'forbidden');
      if (action === 'approve') return { allowed: true, state: context.stepsLeft ? 'in_review' : 'approved' };
      return { allowed: true, state: action === 'reject' ? 'rejected' : 'changes_requested' };
    case 'reopen':
      if (state !== 'rejected') return refuse('only a rejected expense can be reopened');
      if (!context.isOwner) return refuse('only the expense\'s owner reopens it', 'forbidden');
      return { allowed: true, state: 'draft' };
    case 'void':
      if (state === 'approved' || state === 'voided') return refuse(`a ${state} expense cannot be voided`);
      return { allowed: true, state: 'voided' };
  }
}

/** Whether the owner may still change the expense's details. */
export function isEditableByOwner(state: ExpenseState): boolean {
  return state === 'draft' || state === 'changes_requested';
}
