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

type Decision = 'approve' | 'reject' | 'request-changes';

const decisionWords: Record<Exclude<Decision, 'approve'>, { open: string; label: string; confirm: string; busy: string }> = {
  reject: { open: 'Reject', label: 'Why is it rejected?', confirm: 'Reject expense', busy: 'Rejecting…' },
  'request-changes': { open: 'Request changes', label: 'What should be changed?', confirm: 'Send back', busy: 'Sending back…' },
};

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
    const words = decisionWords[asking];
    return (
      <form className="review-form" onSubmit={submit} aria-label={`${words.open}: ${title}`}>
        <TextAreaField label={words.label} maxLength={commentLengthMax} value={comment} onChange={setComment} error={problem.forField('comment')} hint="The person reads this with the expense." autoFocus />
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
            Cancel
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className="review-actions">
      <div className="row-actions">
        <button type="button" className="primary small" aria-label={`Approve ${title}`} disabled={busy !== null} onClick={() => decide.mutate('approve')}>
          {busy === 'approve' ? 'Approving…' : 'Approve'}
        </button>
        <button type="button" className="secondary small" aria-label={`Request changes to ${title}`} disabled={busy !== null} onClick={() => setAsking('request-changes')}>
          Request changes
        </button>
        <button type="button" className="danger-outline small" aria-label={`Reject ${title}`} disabled={busy !== null} onClick={() => setAsking('reject')}>
          Reject
        </button>
      </div>
      <ProblemMessage problem={problem.problem} />
    </div>
  );
}
