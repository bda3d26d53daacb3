import { describe, expect, it } from 'vitest';
import type { ExpenseState } from '../db/schema.js';
import { transition, type ExpenseAction, type TransitionContext } from './expense-lifecycle.js';

const owner: TransitionContext = { isOwner: true, mayReview: false, needsReview: false };
const reviewer: TransitionContext = { isOwner: false, mayReview: true, needsReview: false };
const bystander: TransitionContext = { isOwner: false, mayReview: false, needsReview: false };

describe('expense transitions', () => {
  it.each<[ExpenseState, ExpenseAction, TransitionContext, string]>([
    ['draft', 'submit', owner, 'approved'],
    ['draft', 'submit', { ...owner, needsReview: true }, 'in_review'],
    ['changes_requested', 'submit', { ...owner, needsReview: true }, 'in_review'],
    ['draft', 'submit', reviewer, 'forbidden'],
    ['in_review', 'submit', owner, 'expense_state_invalid'],
    ['in_review', 'approve', reviewer, 'approved'],
    ['in_review', 'approve', { ...reviewer, stepsLeft: true }, 'in_review'],
    ['in_review', 'approve', { ...bystander, stepsLeft: true }, 'forbidden'],
    ['in_review', 'reject', reviewer, 'rejected'],
    ['in_review', 'request_changes', reviewer, 'changes_requested'],
    ['in_review', 'approve', { ...reviewer, isOwner: true }, 'forbidden'],
    ['in_review', 'approve', bystander, 'forbidden'],
    ['draft', 'approve', reviewer, 'expense_state_invalid'],
    ['approved', 'reject', reviewer, 'expense_state_invalid'],
    ['rejected', 'reopen', owner, 'draft'],
    ['rejected', 'reopen', reviewer, 'forbidden'],
    ['draft', 'reopen', owner, 'expense_state_invalid'],
    ['in_review', 'void', bystander, 'voided'],
    ['approved', 'void', bystander, 'expense_state_invalid'],
    ['voided', 'void', bystander, 'expense_state_invalid'],
  ])('%s --%s--> %s', (state, action, context, expected) => {
    const result = transition(state, action, context);
    expect(result.allowed ? result.state : result.code).toBe(expected);
  });
});
