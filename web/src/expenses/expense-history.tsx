// What happened to an expense, oldest first, with the comments between the person and their
// reviewer, and a box to answer. Names are shown to those who may read people; the owner
// sees "You" and, for everyone else, the part they played.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { ExpenseEvent } from '../api/types';
import { TextAreaField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import type { ResourceHandle } from '../components/use-resource';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { eventActionLabel } from './expense-labels';

/** src/expenses/expense-fields.ts commentLengthMax. */
export const commentLengthMax = 1000;
const reviewActions = new Set(['approved', 'rejected', 'changes_requested']);

interface ExpenseHistoryProps {
  expenseId: string;
  history: ResourceHandle<{ items: ExpenseEvent[] }>;
  /** Names of people, when the viewer may read them. */
  personName: ((userId: string) => string | undefined) | null;
  canComment: boolean;
  onCommented: () => void;
}

export function ExpenseHistory({ expenseId, history, personName, canComment, onCommented }: ExpenseHistoryProps) {
  const { session } = useSession();
  const { resource } = history;
  function actor(event: ExpenseEvent): string {
    if (event.actorType === 'system') return 'Outlay';
    if (event.actorType === 'api_key') return 'An integration';
    if (event.actorId === session.person.id) return 'You';
    const name = event.actorId ? personName?.(event.actorId) : undefined;
    if (name) return name;
    return reviewActions.has(event.action) || event.action === 'commented' ? 'Reviewer' : 'Bookkeeper';
  }
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">History and comments</h2>
      {resource.status === 'loading' && <Loading what="the history" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={history.reload} />}
      {resource.status === 'ready' &&
        (resource.data.items.length === 0 ? (
          <Empty>Nothing happened yet.</Empty>
        ) : (
          <ol className="history" aria-label="History">
            {resource.data.items.map((event) => (
              <li key={event.id} className={event.comment ? 'history-event with-comment' : 'history-event'}>
                <p className="small-text history-line">
                  <strong>{eventActionLabel(event.action)}</strong>
                  <span className="muted">
                    {' '}
                    · {actor(event)} · {formatDateTime(event.createdAt, session.company.timeZone)}
                  </span>
                </p>
                {event.comment && <blockquote className="comment">{event.comment}</blockquote>}
              </li>
            ))}
          </ol>
        ))}
      {canComment && <CommentForm expenseId={expenseId} onCommented={onCommented} />}
    </section>
  );
}

function CommentForm({ expenseId, onCommented }: { expenseId: string; onCommented: () => void }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      await api.post(`/expenses/${encodeURIComponent(expenseId)}/comments`, { comment: comment.trim() });
      setComment('');
      onCommented();
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Add a comment">
      <TextAreaField label="Comment" maxLength={commentLengthMax} required value={comment} onChange={setComment} error={problem.forField('comment')} />
      <ProblemMessage problem={problem.forForm(['comment'])} />
      <button type="submit" className="secondary" disabled={busy || comment.trim() === ''}>
        {busy ? 'Sending…' : 'Send comment'}
      </button>
    </form>
  );
}

/** What the reviewer last said when sending the expense back or rejecting it. */
export function lastReviewComment(events: readonly ExpenseEvent[]): ExpenseEvent | undefined {
  return [...events].reverse().find((event) => (event.action === 'changes_requested' || event.action === 'rejected') && event.comment);
}
