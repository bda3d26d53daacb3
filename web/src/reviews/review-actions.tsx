// A reviewer's decision on an expense in review: approve it, reject it saying why, or send it
// back saying what to change. The server insists on the reason; its word is shown beside the
// box.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Expense } from '../api/types';
import { TextAreaField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { expenseChanged } from '../expenses/expense-changes';
import { commentLengthMax } from '../expenses/expense-history';
import { expenseTitle } from '../expenses/expense-labels';
import { t } from '../i18n/i18n';

type Decision = 'approve' | 'reject' | 'request-changes';

const decisionWords = (): Record<Exclude<Decision, 'approve'>, { open: string; label: string; confirm: string; busy: string }> => ({
  reject: { open: t('reviews.actions.reject'), label: t('reviews.actions.rejectWhy'), confirm: t('reviews.actions.rejectConfirm'), busy: t('reviews.actions.rejecting') },
  'request-changes': { open: t('reviews.actions.requestChanges'), label: t('reviews.actions.changesWhat'), confirm: t('reviews.actions.sendBack'), busy: t('reviews.actions.sendingBack') },
});

function runDecision(expense: Expense, decision: Decision, comment: string): Promise<Expense> {
  const path = { params: { path: { id: expense.id } } };
  // The step shown is the one approved: if the review moved on meanwhile, the server refuses.
  if (decision === 'approve') return ok(api.POST('/api/v1/expenses/{id}/approve', { ...path, body: expense.review ? { stepKey: expense.review.step.key } : {} }));
  if (decision === 'reject') return ok(api.POST('/api/v1/expenses/{id}/reject', { ...path, body: { comment } }));
  return ok(api.POST('/api/v1/expenses/{id}/request-changes', { ...path, body: { comment } }));
}

export function ReviewActions({ expense, onDecided }: { expense: Expense; onDecided: (expense: Expense) => void }) {
  const [asking, setAsking] = useState<Exclude<Decision, 'approve'> | null>(null);
  const [comment, setComment] = useState('');
  const decide = useAction((decision: Decision) => runDecision(expense, decision, comment.trim()), { invalidates: expenseChanged, onSuccess: onDecided });
  const busy = decide.isPending ? decide.variables : null;
  const problem = formProblem(decide.error);
  const title = expenseTitle(expense);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (asking) decide.mutate(asking);
  }

  if (asking) {
    const words = decisionWords()[asking];
    return (
      <form className="review-form" onSubmit={submit} aria-label={`${words.open}: ${title}`}>
        <TextAreaField label={words.label} maxLength={commentLengthMax} value={comment} onChange={setComment} error={problem.forField('comment')} hint={t('reviews.actions.readsThis')} autoFocus />
        <ProblemMessage problem={problem.forForm(['comment'])} />
        <div className="button-row wrap">
          <button type="submit" className={asking === 'reject' ? 'danger small' : 'primary small'} disabled={busy !== null}>
            {busy ? words.busy : words.confirm}
          </button>
          <button
            type="button"
            className="secondary small"
            onClick={() => {
              setAsking(null);
              decide.reset();
            }}
          >
            {t('reviews.actions.cancel')}
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className="review-actions">
      <div className="row-actions">
        <button type="button" className="primary small" aria-label={t('reviews.actions.approveNamed', { title })} disabled={busy !== null} onClick={() => decide.mutate('approve')}>
          {busy === 'approve' ? t('reviews.actions.approving') : t('reviews.actions.approve')}
        </button>
        <button type="button" className="secondary small" aria-label={t('reviews.actions.requestChangesNamed', { title })} disabled={busy !== null} onClick={() => setAsking('request-changes')}>
          {t('reviews.actions.requestChanges')}
        </button>
        <button type="button" className="danger-outline small" aria-label={t('reviews.actions.rejectNamed', { title })} disabled={busy !== null} onClick={() => setAsking('reject')}>
          {t('reviews.actions.reject')}
        </button>
      </div>
      <ProblemMessage problem={problem.problem} />
    </div>
  );
}
