// Review words as people read them: who approves a step, where a review stands, and why the
// history says an expense went to review or was approved at once (src/expenses/review-rules.ts
// decides; the events carry the reasons).
import type { ExpenseEvent, ExpenseFlag, ExpenseReview } from '../api/types';
import { expenseFlagLabels } from '../expenses/expense-labels';
import { en } from '../i18n/en';
import { i18n, t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';

export type Approver = ExpenseReview['step']['approver'];

export const approverLabels: Record<Approver, string> = labelsOf('reviews.labels.approvers', en.reviews.labels.approvers);

const reasonLabels: Record<string, string> = labelsOf('reviews.labels.reasons', en.reviews.labels.reasons);

/** "Step 2 of 2: Second approval", or the step's name alone when it is the only one. */
export function stepLabel(review: Pick<ExpenseReview, 'step'>): string {
  return review.step.of > 1 ? t('reviews.labels.step', { position: review.step.position, of: review.step.of, name: review.step.name }) : review.step.name;
}

/** Whom the step waits for: their names when the viewer may read them, else the approver's kind. */
export function waitingForLabel(review: ExpenseReview, personName: ((userId: string) => string | undefined) | null, myId: string): string {
  if (review.youMayDecide && (review.waitingFor.length === 0 || review.waitingFor.includes(myId))) return t('reviews.labels.you');
  const names = review.waitingFor.map((userId) => (userId === myId ? t('reviews.labels.you') : (personName?.(userId) ?? null)));
  if (names.length > 0 && names.every((name) => name !== null)) return names.join(', ');
  if (review.returnedTo) return t('reviews.labels.returnedReviewer');
  return approverLabels[review.step.approver].toLocaleLowerCase(i18n.language);
}

type Details = Record<string, unknown>;
const stepName = (details: Details, key: 'step' | 'next') => (details[key] as { name?: string } | undefined)?.name;
const flagWords = (flags: unknown) =>
  Array.isArray(flags) ? flags.map((flag) => (Object.hasOwn(expenseFlagLabels, String(flag)) ? expenseFlagLabels[flag as ExpenseFlag].toLocaleLowerCase(i18n.language) : String(flag).replaceAll('_', ' '))).join(', ') : '';

/** Why the event happened, in a sentence, where its details say; null for events that need none. */
export function eventExplanation(event: ExpenseEvent, personName: (userId: string) => string): string | null {
  const details = event.details as Details;
  switch (event.action) {
    case 'submitted': {
      const reasons = Array.isArray(details.reasons) ? details.reasons.map((reason) => reasonLabels[String(reason)] ?? String(reason)).join('; ') : '';
      const returned = typeof details.returnedTo === 'string' ? `${t('reviews.labels.backTo', { name: personName(details.returnedTo) })} ` : '';
      const step = stepName(details, 'step');
      const waits = step ? (Number(details.of) > 1 ? t('reviews.labels.waitsForStepOf', { step, position: String(details.position), of: String(details.of) }) : t('reviews.labels.waitsForStep', { step })) : '';
      return `${returned}${reasons ? `${t('reviews.labels.inReview', { reasons })} ` : ''}${waits}`.trim() || null;
    }
    case 'approved_on_submit':
      if (details.approvedBy !== 'policy') return null;
      return Array.isArray(details.flagsWhenSentBack) && details.flagsWhenSentBack.length > 0
        ? t('reviews.labels.policyRemovedFlags', { flags: flagWords(details.flagsWhenSentBack) })
        : t('reviews.labels.policyNothingFlagged');
    case 'step_approved': {
      const step = stepName(details, 'step') ?? t('reviews.labels.aStep');
      const next = stepName(details, 'next');
      return next ? t('reviews.labels.stepApprovedNext', { step, next }) : t('reviews.labels.stepApproved', { step });
    }
    case 'approved':
    case 'rejected':
    case 'changes_requested': {
      const step = stepName(details, 'step');
      return Number(details.of) > 1 && step ? t('reviews.labels.atStep', { position: String(details.position), of: String(details.of), step }) : null;
    }
    default:
      return null;
  }
}
