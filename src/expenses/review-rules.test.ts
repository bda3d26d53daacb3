import { describe, expect, it } from 'vitest';
import { decideReview, defaultReviewRules, roundRules, stepsOf, teamReviewStep, type Approval, type ReviewReason, type ReviewRules, type ReviewStepRule, type ReviewSubject } from './review-rules.js';

const team = 'team_sales';
const clean: ReviewSubject = { amount: 50_00n, teamId: team, flags: [] };
const flagged: ReviewSubject = { ...clean, flags: ['missing_receipt'] };

const reviewer: ReviewStepRule = { key: 'first', name: 'Team review', amountAbove: null, teamIds: null, approver: 'team_reviewer' };
const second: ReviewStepRule = { key: 'second', name: 'Second approval', amountAbove: 1000_00n, teamIds: null, approver: 'any_reviewer' };
const budget: ReviewStepRule = { key: 'budget', name: 'Sales budget', amountAbove: null, teamIds: [team], approver: 'budget_owner' };
const company: ReviewRules = { policyApproves: true, steps: [reviewer, second, budget] };
const strict: ReviewRules = { ...company, policyApproves: false };

const by = (stepKey: string, userId = `usr_${stepKey}`): Approval => ({ stepKey, userId });
type Expected = string;

/** "policy", "reviewers" or "waiting <step> <position>/<of> <reasons>". */
function summary(subject: ReviewSubject, rules: ReviewRules, approvals: Approval[] | null): Expected {
  const decision = decideReview(subject, rules, approvals);
  if (decision.outcome === 'approved') return decision.by;
  return `waiting ${decision.step.key} ${decision.position}/${decision.steps.length} ${decision.reasons.join(',')}`.trim();
}

const rows: [string, ReviewSubject, ReviewRules, Approval[] | null, Expected][] = [
    // 1. Policy approves on submission: nothing asks for review.
    ['a clean expense in a company without rules is approved by policy', clean, defaultReviewRules, null, 'policy'],
    ['a clean expense below every amount step is approved by policy, team steps notwithstanding', clean, company, null, 'policy'],
    ['a clean expense of another team is approved by policy', { ...clean, teamId: 'team_it' }, company, null, 'policy'],
    ['a clean expense at a step\'s amount exactly is approved by policy', { ...clean, teamId: null, amount: 1000_00n }, company, null, 'policy'],
    // 2. Waiting for the first step without its approval.
    ['a flagged expense in a company without rules waits for its team\'s reviewer', flagged, defaultReviewRules, null, 'waiting team_review 1/1 flagged'],
    ['a clean expense waits for review when policy never approves', clean, { policyApproves: false, steps: [] }, null, 'waiting team_review 1/1 policy_approval_off'],
    ['a clean expense above a step\'s amount goes to review without a flag', { ...clean, teamId: null, amount: 1000_01n }, company, null, 'waiting first 1/2 amount_step'],
    ['a flagged expense of the team goes through the steps that apply', flagged, company, null, 'waiting first 1/2 flagged'],
    ['every reason is named, in order', { ...flagged, amount: 2000_00n }, strict, null, 'waiting first 1/3 flagged,amount_step,policy_approval_off'],
    ['a flagged expense that no step applies to waits for the team\'s reviewer', { ...flagged, teamId: null }, { policyApproves: true, steps: [second, budget] }, null, 'waiting team_review 1/1 flagged'],
    ['in review, it waits for the first step without approval', { ...clean, amount: 2000_00n }, company, [by('first')], 'waiting second 2/3'],
    ['an approval of a later step does not stand for an earlier one', { ...clean, amount: 2000_00n }, company, [by('budget')], 'waiting first 1/3'],
    ['in review, policy no longer approves, even when the flags are gone', clean, roundRules([teamReviewStep]), [], 'waiting team_review 1/1'],
    ['an approval of a step the round does not have counts for nothing', flagged, defaultReviewRules, [by('second')], 'waiting team_review 1/1'],
    // 3. Every step approved.
    ['one approval of the team review approves it', flagged, defaultReviewRules, [by('team_review')], 'reviewers'],
    ['every step approved approves it', { ...clean, amount: 2000_00n }, company, [by('first'), by('second'), by('budget')], 'reviewers'],
];

describe('decideReview', () => {
  it.each(rows)('%s', (_, subject, rules, approvals, expected) => {
    expect(summary(subject, rules, approvals)).toBe(expected);
  });

  it('has a row for every outcome and every reason', () => {
    const outcomes = rows.map(([, subject, rules, approvals]) => summary(subject, rules, approvals));
    expect(outcomes).toContain('policy');
    expect(outcomes).toContain('reviewers');
    for (const reason of ['flagged', 'amount_step', 'policy_approval_off'] satisfies ReviewReason[]) expect(outcomes.some((outcome) => outcome.startsWith('waiting') && outcome.includes(reason))).toBe(true);
  });

  it('decides an expense in review by the steps its round took, whatever its amount or team now', () => {
    const round = stepsOf({ ...clean, amount: 2000_00n }, company);
    expect(round.map((step) => step.key)).toEqual(['first', 'second', 'budget']);
    const now = roundRules(round);
    expect(summary({ ...clean, amount: 1_00n, teamId: null }, now, [by('first')])).toBe('waiting second 2/3');
    expect(summary({ ...clean, amount: 1_00n, teamId: null }, now, [by('first'), by('second'), by('budget')])).toBe('reviewers');
  });
});
