import { describe, expect, it } from 'vitest';
import { approversOf, refusalToDecide, type ReviewParties, type Reviewer } from './review-approvers.js';
import { approverKinds, type RoundStep } from './review-rules.js';

const person = (userId: string, role: 'reviewer' | 'admin' | 'employee' = 'reviewer'): Reviewer => ({ userId, isAdmin: role === 'admin', mayReview: role !== 'employee' });
const rita = person('rita');
const otto = person('otto');
const ada = person('ada', 'admin');
const emma = person('emma', 'employee');
const bo = person('bo');
const gone: Reviewer = { userId: 'gone', isAdmin: false, mayReview: false };

const teamStep: RoundStep = { key: 'team', name: 'Team review', approver: 'team_reviewer' };
const anyStep: RoundStep = { key: 'any', name: 'Second approval', approver: 'any_reviewer' };
const budgetStep: RoundStep = { key: 'budget', name: 'Budget', approver: 'budget_owner' };
const adminStep: RoundStep = { key: 'admin', name: 'Finance', approver: 'admin' };

const parties: ReviewParties = { ownerId: 'emma', teamReviewerIds: ['rita'], budgetOwner: bo, approverIds: [], returned: null };

/** "yes", or the refusal's code. */
function verdict(step: RoundStep, reviewer: Reviewer, change: Partial<ReviewParties> = {}): string {
  return refusalToDecide(step, reviewer, { ...parties, ...change })?.code ?? 'yes';
}

const rows: [string, RoundStep, Reviewer, Partial<ReviewParties>, string][] = [
    // 1. expenses:review
    ['a person without expenses:review never decides', anyStep, emma, { ownerId: 'someone' }, 'forbidden'],
    // 2. not their own
    ['nobody decides their own expense, admins neither', adminStep, ada, { ownerId: 'ada' }, 'forbidden'],
    ['a reviewer does not decide their own expense', anyStep, rita, { ownerId: 'rita' }, 'forbidden'],
    // 3. one step each
    ['who approved an earlier step does not approve another', anyStep, rita, { approverIds: ['rita'] }, 'review_step_not_yours'],
    ['an admin who approved an earlier step does not approve another', adminStep, ada, { approverIds: ['ada'] }, 'review_step_not_yours'],
    // 4. it came back to the reviewer who asked for the changes
    ['a step that came back to Rita is hers', teamStep, rita, { returned: { reviewer: rita, stepKey: 'team' } }, 'yes'],
    ['another reviewer of the team may not decide it', teamStep, otto, { teamReviewerIds: ['rita', 'otto'], returned: { reviewer: rita, stepKey: 'team' } }, 'review_step_not_yours'],
    ['an admin may not decide it either', teamStep, ada, { returned: { reviewer: rita, stepKey: 'team' } }, 'review_step_not_yours'],
    ['another step of the round is not hers alone', anyStep, otto, { returned: { reviewer: rita, stepKey: 'team' } }, 'yes'],
    ['once she no longer reviews, the step goes back to its usual approvers', teamStep, ada, { returned: { reviewer: { ...rita, mayReview: false }, stepKey: 'team' } }, 'yes'],
    ['once she is no reviewer of the team, the step goes back to them', teamStep, otto, { teamReviewerIds: ['otto'], returned: { reviewer: rita, stepKey: 'team' } }, 'yes'],
    // 5. by the step's approver
    ['a named reviewer of the team decides a team review', teamStep, rita, {}, 'yes'],
    ['a reviewer not named for the team does not', teamStep, otto, {}, 'review_step_not_yours'],
    ['an admin may always step in for a team review', teamStep, ada, {}, 'yes'],
    ['any reviewer decides a team review when the team names none', teamStep, otto, { teamReviewerIds: [] }, 'yes'],
    ['any reviewer decides an any-reviewer step', anyStep, otto, {}, 'yes'],
    ['the budget owner decides a budget step', budgetStep, bo, {}, 'yes'],
    ['a reviewer of the team does not decide a budget step', budgetStep, rita, {}, 'review_step_not_yours'],
    ['an admin does not while the budget owner may', budgetStep, ada, {}, 'review_step_not_yours'],
    ['an admin decides a budget step of a team without a budget owner', budgetStep, ada, { budgetOwner: null }, 'yes'],
    ['an admin decides it when the budget owner owns the expense', budgetStep, ada, { ownerId: 'bo' }, 'yes'],
    ['an admin decides it when the budget owner approved an earlier step', budgetStep, ada, { approverIds: ['bo'] }, 'yes'],
    ['an admin decides it when the budget owner no longer reviews', budgetStep, ada, { budgetOwner: gone }, 'yes'],
    ['a reviewer does not decide it in the budget owner\'s place', budgetStep, rita, { budgetOwner: null }, 'review_step_not_yours'],
    ['an admin decides an admin step', adminStep, ada, {}, 'yes'],
    ['a reviewer does not', adminStep, rita, {}, 'review_step_not_yours'],
];

describe('who may decide a step', () => {
  it.each(rows)('%s', (_, step, reviewer, change, expected) => {
    expect(verdict(step, reviewer, change)).toBe(expected);
  });

  it('has rows allowing and refusing each kind of approver', () => {
    for (const kind of approverKinds) {
      const verdicts = rows.filter(([, step]) => step.approver === kind).map(([, , , , expected]) => expected);
      expect({ kind, allows: verdicts.includes('yes'), refuses: verdicts.includes('review_step_not_yours') }).toEqual({ kind, allows: true, refuses: true });
    }
  });
});

describe('whom a step waits for', () => {
  const candidates = [rita, otto, ada, bo];
  it.each<[string, RoundStep, Partial<ReviewParties>, string[]]>([
    ['the named reviewers of the team, not the admins who may step in', teamStep, {}, ['rita']],
    ['every reviewer when the team names none', teamStep, { teamReviewerIds: [] }, ['rita', 'otto', 'ada', 'bo']],
    ['the admins when the named reviewer approved an earlier step', teamStep, { approverIds: ['rita'] }, ['ada']],
    ['the reviewer it came back to', teamStep, { teamReviewerIds: ['rita', 'otto'], returned: { reviewer: rita, stepKey: 'team' } }, ['rita']],
    ['anyone who reviews but the earlier approvers', anyStep, { approverIds: ['rita', 'bo'] }, ['otto', 'ada']],
    ['the budget owner', budgetStep, {}, ['bo']],
    ['the admins in place of a missing budget owner', budgetStep, { budgetOwner: null }, ['ada']],
    ['the admins', adminStep, {}, ['ada']],
    ['nobody when the only admin owns the expense', adminStep, { ownerId: 'ada' }, []],
  ])('%s', (_, step, change, expected) => {
    expect(approversOf(step, { ...parties, ...change }, candidates)).toEqual(expected);
  });
});
