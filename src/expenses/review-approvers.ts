/**
 * Who may decide the step an expense in review waits for (approve it, reject the expense or
 * send it back). Pure: the step, the person and the parties of the review in; null when they
 * may, else why not. In this order:
 * 1. a person without expenses:review never decides;
 * 2. nobody decides their own expense;
 * 3. nobody approves two steps of one round: a second approver is another person;
 * 4. a step that came back to the reviewer who asked for the changes is theirs alone, while
 *    they may still decide it by the rules below (deactivated, or no longer a reviewer of
 *    the team, it goes back to the step's usual approvers);
 * 5. by the step's approver: a reviewer of the person's team (a team without named reviewers:
 *    any reviewer; admins may always step in), any reviewer, the team's budget owner (none
 *    named, or unable to: an admin in their place), or an admin.
 */
import type { RoundStep } from './review-rules.js';

/** A person as the review sees them. */
export interface Reviewer {
  userId: string;
  isAdmin: boolean;
  /** Active, with expenses:review (the reviewer and admin roles). */
  mayReview: boolean;
}

/** Who takes part in the review of one expense. */
export interface ReviewParties {
  ownerId: string;
  /** The reviewers named for the owner's team; empty: anyone who reviews. */
  teamReviewerIds: readonly string[];
  budgetOwner: Reviewer | null;
  /** Who approved earlier steps of this round. */
  approverIds: readonly string[];
  /** The reviewer this round answers, and the step they decide. */
  returned: { reviewer: Reviewer; stepKey: string } | null;
}

export type StepRefusal = { code: 'forbidden' | 'review_step_not_yours'; reason: string };

const refuse = (reason: string, code: StepRefusal['code'] = 'review_step_not_yours'): StepRefusal => ({ code, reason });

/** Rules 1 to 3: what rules anyone out of any step. */
function ruledOut(reviewer: Reviewer, parties: ReviewParties): StepRefusal | null {
  if (!reviewer.mayReview) return refuse('this needs the expenses:review permission', 'forbidden');
  if (reviewer.userId === parties.ownerId) return refuse('nobody reviews their own expense', 'forbidden');
  if (parties.approverIds.includes(reviewer.userId)) return refuse('you approved an earlier step of this review: this step needs another person');
  return null;
}

/** Rule 5: whether the step's approver is this person. */
function byApprover(step: RoundStep, reviewer: Reviewer, parties: ReviewParties): StepRefusal | null {
  switch (step.approver) {
    case 'team_reviewer': {
      const named = parties.teamReviewerIds;
      return reviewer.isAdmin || named.length === 0 || named.includes(reviewer.userId) ? null : refuse('this step needs a reviewer of the person\'s team');
    }
    case 'any_reviewer':
      return null;
    case 'budget_owner': {
      const owner = parties.budgetOwner;
      if (owner && ruledOut(owner, parties) === null) return owner.userId === reviewer.userId ? null : refuse('this step needs the budget owner of the person\'s team');
      return reviewer.isAdmin ? null : refuse('this step needs an admin, as the team has no budget owner who may approve it');
    }
    case 'admin':
      return reviewer.isAdmin ? null : refuse('this step needs an admin');
  }
}

/** Null when the person may decide the step now; else why they may not. */
export function refusalToDecide(step: RoundStep, reviewer: Reviewer, parties: ReviewParties): StepRefusal | null {
  const out = ruledOut(reviewer, parties);
  if (out) return out;
  const returned = parties.returned?.stepKey === step.key ? parties.returned.reviewer : null;
  if (returned && returned.userId !== reviewer.userId && ruledOut(returned, parties) === null && byApprover(step, returned, parties) === null) {
    return refuse('it came back to the reviewer who asked for the changes: they decide it');
  }
  return byApprover(step, reviewer, parties);
}

/**
 * The people the step waits for, among those who review: the reviewer it came back to, the
 * team's named reviewers, its budget owner, or everyone who may decide it when the step
 * names nobody in particular (admins are left out while someone named may decide).
 */
export function approversOf(step: RoundStep, parties: ReviewParties, candidates: readonly Reviewer[]): string[] {
  const able = candidates.filter((candidate) => refusalToDecide(step, candidate, parties) === null);
  const named = step.approver === 'team_reviewer' && parties.teamReviewerIds.length > 0 ? able.filter((candidate) => parties.teamReviewerIds.includes(candidate.userId)) : able;
  return (named.length > 0 ? named : able).map((candidate) => candidate.userId);
}
