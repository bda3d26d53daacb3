// The review rules as the form edits them, and the body that replaces them on the server
// (PUT /api/v1/review-rules): steps in order, each kept by its id, and one budget owner a team.
import type { RequestBody, ReviewRules } from '../api/types';
import type { Approver } from '../reviews/review-labels';

/** src/expenses/review-rules.service.ts reviewStepsMax. */
export const reviewStepsMax = 10;

export interface StepDraft {
  /** Tells React's list the steps apart while they move. */
  key: number;
  id: string | null;
  name: string;
  amountAbove: string;
  /** None: every team. */
  teamIds: string[];
  approver: Approver;
}

export interface RulesDraft {
  policyApproves: boolean;
  steps: StepDraft[];
  /** The budget owner of each team that has one. */
  budgetOwners: Record<string, string>;
}

let nextKey = 1;

export const newStep = (): StepDraft => ({ key: nextKey++, id: null, name: '', amountAbove: '', teamIds: [], approver: 'team_reviewer' });

export function draftOf(rules: ReviewRules): RulesDraft {
  return {
    policyApproves: rules.policyApproves,
    steps: rules.steps.map((step) => ({ key: nextKey++, id: step.id, name: step.name, amountAbove: step.amountAbove?.amount ?? '', teamIds: step.teamIds ?? [], approver: step.approver })),
    budgetOwners: Object.fromEntries(rules.budgetOwners.map((owner) => [owner.teamId, owner.userId])),
  };
}

export function bodyOf(draft: RulesDraft): RequestBody<'replaceReviewRules'> {
  return {
    policyApproves: draft.policyApproves,
    steps: draft.steps.map((step) => ({ id: step.id, name: step.name.trim(), amountAbove: step.amountAbove.trim() || null, teamIds: step.teamIds.length > 0 ? step.teamIds : null, approver: step.approver })),
    budgetOwners: Object.entries(draft.budgetOwners)
      .filter(([, userId]) => userId !== '')
      .map(([teamId, userId]) => ({ teamId, userId })),
  };
}

/** The steps with the one at `index` moved by `by` places (−1 up, +1 down). */
export function moved(steps: readonly StepDraft[], index: number, by: -1 | 1): StepDraft[] {
  const target = index + by;
  if (target < 0 || target >= steps.length) return [...steps];
  const next = [...steps];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}
