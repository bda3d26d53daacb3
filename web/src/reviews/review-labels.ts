// Review words as people read them: who approves a step, where a review stands, and why the
// history says an expense went to review or was approved at once (src/expenses/review-rules.ts
// decides; the events carry the reasons).
import type { ExpenseEvent, ExpenseReview } from '../api/types';

export type Approver = ExpenseReview['step']['approver'];

export const approverLabels: Record<Approver, string> = {
  team_reviewer: 'A reviewer of the team',
  any_reviewer: 'Any reviewer',
  budget_owner: 'The team’s budget owner',
  admin: 'An admin',
};

const reasonLabels: Record<string, string> = {
  flagged: 'flagged',
  amount_step: 'above the amount of a review step',
  policy_approval_off: 'every expense is reviewed',
};

/** "Step 2 of 2: Second approval", or the step's name alone when it is the only one. */
export function stepLabel(review: Pick<ExpenseReview, 'step'>): string {
  return review.step.of > 1 ? `Step ${review.step.position} of ${review.step.of}: ${review.step.name}` : review.step.name;
}

/** Whom the step waits for: their names when the viewer may read them, else the approver's kind. */
export function waitingForLabel(review: ExpenseReview, personName: ((userId: string) => string | undefined) | null, myId: string): string {
  if (review.youMayDecide && (review.waitingFor.length === 0 || review.waitingFor.includes(myId))) return 'you';
  const names = review.waitingFor.map((userId) => (userId === myId ? 'you' : (personName?.(userId) ?? null)));
  if (names.length > 0 && names.every((name) => name !== null)) return names.join(', ');
  if (review.returnedTo) return 'the reviewer who asked for the changes';
  return approverLabels[review.step.approver].toLowerCase();
}

type Details = Record<string, unknown>;
const stepName = (details: Details, key: 'step' | 'next') => (details[key] as { name?: string } | undefined)?.name;
const flagWords = (flags: unknown) => (Array.isArray(flags) ? flags.map((flag) => String(flag).replaceAll('_', ' ')).join(', ') : '');

/** Why the event happened, in a sentence, where its details say; null for events that need none. */
export function eventExplanation(event: ExpenseEvent, personName: (userId: string) => string): string | null {
  const details = event.details as Details;
  switch (event.action) {
    case 'submitted': {
      const reasons = Array.isArray(details.reasons) ? details.reasons.map((reason) => reasonLabels[String(reason)] ?? String(reason)).join('; ') : '';
      const returned = typeof details.returnedTo === 'string' ? `Back to ${personName(details.returnedTo)}, who asked for the changes. ` : '';
      const waits = stepName(details, 'step') ? `It waits for: ${stepName(details, 'step')}${Number(details.of) > 1 ? ` (step ${String(details.position)} of ${String(details.of)})` : ''}.` : '';
      return `${returned}${reasons ? `In review: ${reasons}. ` : ''}${waits}`.trim() || null;
    }
    case 'approved_on_submit':
      if (details.approvedBy !== 'policy') return null;
      return Array.isArray(details.flagsWhenSentBack) && details.flagsWhenSentBack.length > 0
        ? `Approved by policy: the changes removed every flag (${flagWords(details.flagsWhenSentBack)}).`
        : 'Approved by policy: nothing flagged it for review.';
    case 'step_approved':
      return `${stepName(details, 'step') ?? 'A step'} approved${stepName(details, 'next') ? `; next: ${stepName(details, 'next')}` : ''}.`;
    case 'approved':
    case 'rejected':
    case 'changes_requested':
      return Number(details.of) > 1 && stepName(details, 'step') ? `At step ${String(details.position)} of ${String(details.of)}: ${stepName(details, 'step')}.` : null;
    default:
      return null;
  }
}
