// A reviewer's decision on an expense in review: approve it, reject it saying why, or send it
// back saying what to change. The server insists on the reason; its word is shown beside the
// box.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Expense } from '../api/types';
import { TextAreaField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { commentLengthMax } from '../expenses/expense-history';
import { expenseTitle } from '../expenses/expense-labels';

type Decision = 'approve' | 'reject' | 'request-changes';

const decisionWords: Record<Exclude<Decision, 'approve'>, { open: string; label: string; confirm: string; busy: string }> = {
  reject: { open: 'Reject', label: 'Why is it rejected?', confirm: 'Reject expense', busy: 'Rejecting…' },
  'request-changes': { open: 'Request changes', label: 'What should be changed?', confirm: 'Send back', busy: 'Sending back…' },
};

export function ReviewActions({ expense, onDecided }: { expense: Expense; onDecided: (expense: Expense) => void }) {
  const [asking, setAsking] = useState<Exclude<Decision, 'approve'> | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<Decision | null>(null);
  const problem = useFormProblem();
  const title = expenseTitle(expense);

  async function decide(decision: Decision) {
    setBusy(decision);
    problem.setProblem(null);
    try {
      const body = decision === 'approve' ? {} : { comment: comment.trim() };
      onDecided(await api.post<Expense>(`/expenses/${encodeURIComponent(expense.id)}/${decision}`, body));
    } catch (error) {
      problem.fail(error);
      setBusy(null);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (asking) void decide(asking);
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
              problem.setProblem(null);
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
        <button type="button" className="primary small" aria-label={`Approve ${title}`} disabled={busy !== null} onClick={() => void decide('approve')}>
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
