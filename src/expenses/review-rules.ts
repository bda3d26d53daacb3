/**
 * What the review of an expense waits for. Pure: the expense (its amount, its owner's team
 * and its policy flags), the company's review rules and the approvals so far in; either
 * "approved" (by policy, or because every step has its approval) or the step it waits for.
 *
 * A company's rules are whether policy approves an expense without flags, and ordered steps.
 * A step applies to an expense above its amount (none: any amount) of a person in one of its
 * teams (none: any team), and names who approves it (review-approvers.ts says who that is).
 * Flags decide whether an expense is reviewed; the steps decide who approves it and how many
 * times. A step above an amount sends an expense above it to review even without a flag:
 * "above 1,000 a second approver" means that no expense above 1,000 passes on policy alone.
 * When no step applies, an expense in review waits for one reviewer of the person's team, as
 * for a company that never set rules.
 *
 * Decided in this order:
 * 1. being submitted, with no flag, in a company whose policy approves, and no step above an
 *    amount applying: approved by policy;
 * 2. the first step of the round without its approval: waiting for it;
 * 3. every step approved: approved by its reviewers.
 *
 * An expense in review is decided against the steps its round took when it was submitted
 * (roundRules), so that a change of the rules or of the amount meanwhile does not move the
 * steps under a reviewer.
 */
import type { ReviewApprover } from '../db/schema.js';

export const approverKinds: readonly ReviewApprover[] = ['team_reviewer', 'any_reviewer', 'budget_owner', 'admin'];

/** One step of a company's review rules; `key` is the step's id. */
export interface ReviewStepRule {
  key: string;
  name: string;
  /** Minor units: the step applies to an expense above this; null: to any amount. */
  amountAbove: bigint | null;
  /** The step applies to expenses of people in these teams; null: of anyone. */
  teamIds: readonly string[] | null;
  approver: ReviewApprover;
}

export interface ReviewRules {
  /** An expense without flags is approved when submitted (unless a step above an amount applies). */
  policyApproves: boolean;
  steps: readonly ReviewStepRule[];
}

/** A step as a round keeps it: what it is called and who approves it. */
export interface RoundStep {
  key: string;
  name: string;
  approver: ReviewApprover;
}

/** The rules of a company that never set any. */
export const defaultReviewRules: ReviewRules = { policyApproves: true, steps: [] };

/** The step of an expense in review when no step of the rules applies to it. */
export const teamReviewStep: RoundStep = { key: 'team_review', name: 'Team review', approver: 'team_reviewer' };

export interface ReviewSubject {
  amount: bigint;
  /** The owner's team, or null. */
  teamId: string | null;
  /** The policy flags, whatever they are: any flag sends the expense to review. */
  flags: readonly string[];
}

export interface Approval {
  stepKey: string;
  userId: string;
}

/** Why an expense goes to review when submitted. */
export type ReviewReason = 'flagged' | 'amount_step' | 'policy_approval_off';

export type ReviewDecision =
  | { outcome: 'approved'; by: 'policy' }
  | { outcome: 'approved'; by: 'reviewers'; steps: RoundStep[] }
  | { outcome: 'waiting'; step: RoundStep; position: number; steps: RoundStep[]; reasons: ReviewReason[] };

const applies = (rule: ReviewStepRule, subject: ReviewSubject) =>
  (rule.amountAbove === null || subject.amount > rule.amountAbove) && (rule.teamIds === null || (subject.teamId !== null && rule.teamIds.includes(subject.teamId)));

const roundStepOf = (rule: ReviewStepRule): RoundStep => ({ key: rule.key, name: rule.name, approver: rule.approver });

/** Why a submitted expense would go to review; empty: policy may approve it. */
export function reviewReasons(subject: ReviewSubject, rules: ReviewRules): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  if (subject.flags.length > 0) reasons.push('flagged');
  if (rules.steps.some((rule) => rule.amountAbove !== null && applies(rule, subject))) reasons.push('amount_step');
  if (!rules.policyApproves) reasons.push('policy_approval_off');
  return reasons;
}

/** The steps a round of review of the expense goes through, in order. */
export function stepsOf(subject: ReviewSubject, rules: ReviewRules): RoundStep[] {
  const steps = rules.steps.filter((rule) => applies(rule, subject)).map(roundStepOf);
  return steps.length > 0 ? steps : [teamReviewStep];
}

/**
 * What the expense waits for. `approvals` is null while it is being submitted, and the
 * approvals of its round once it is in review.
 */
export function decideReview(subject: ReviewSubject, rules: ReviewRules, approvals: readonly Approval[] | null): ReviewDecision {
  const reasons = approvals === null ? reviewReasons(subject, rules) : [];
  if (approvals === null && reasons.length === 0) return { outcome: 'approved', by: 'policy' };
  const steps = stepsOf(subject, rules);
  const position = steps.findIndex((step) => !(approvals ?? []).some((approval) => approval.stepKey === step.key));
  if (position >= 0) return { outcome: 'waiting', step: steps[position]!, position: position + 1, steps, reasons };
  return { outcome: 'approved', by: 'reviewers', steps };
}

/** The rules an expense in review is decided by: the steps its round took, each applying. */
export function roundRules(steps: readonly RoundStep[]): ReviewRules {
  return { policyApproves: false, steps: steps.map((step) => ({ ...step, amountAbove: null, teamIds: null })) };
}
