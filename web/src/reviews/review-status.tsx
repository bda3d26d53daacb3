// Where the review of an expense stands, the same in the queue and on the expense's page: the
// step it waits for and whom, that it came back to the reviewer who asked for the changes,
// and the steps approved so far.
import type { ExpenseReview } from '../api/types';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { stepLabel, waitingForLabel } from './review-labels';
import { t } from '../i18n/i18n';

export type PersonName = ((userId: string) => string | undefined) | null;

export function ReviewStatus({ review, personName }: { review: ExpenseReview; personName: PersonName }) {
  const { session } = useSession();
  const me = session.person.id;
  const nameOf = (userId: string) => (userId === me ? t('reviews.labels.you') : (personName?.(userId) ?? t('reviews.status.theReviewer')));
  return (
    <div className="notice info review-status" role="note" aria-label={t('reviews.status.review')}>
      <p>
        <strong>{stepLabel(review)}</strong> · {t('reviews.status.waitsFor', { whom: waitingForLabel(review, personName, me) })}
      </p>
      <ReturnedTo review={review} personName={personName} me={me} />
      {review.approvals.length > 0 && (
        <ul className="small-text approvals" aria-label={t('reviews.status.approvedSteps')}>
          {review.approvals.map((approval) => (
            <li key={approval.stepKey}>
              {t('reviews.status.approvedBy', { step: approval.stepName, name: nameOf(approval.userId), date: formatDateTime(approval.approvedAt, session.company.timeZone) })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Whom the round came back to, when the viewer may know their name (else "waits for" says it). */
function ReturnedTo({ review, personName, me }: { review: ExpenseReview; personName: PersonName; me: string }) {
  if (!review.returnedTo) return null;
  const name = review.returnedTo === me ? null : personName?.(review.returnedTo);
  if (review.returnedTo !== me && !name) return null;
  return <p className="small-text">{name ? t('reviews.status.cameBackTo', { name }) : t('reviews.status.cameBackToYou')}</p>;
}
