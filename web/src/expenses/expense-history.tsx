// What happened to an expense, oldest first, with why where the review decided something
// (what sent it to review and to whom, what policy approved, which step was approved), the
// comments between the person and their reviewer, and a box to answer. Names are shown to those who may read people; the owner
// sees "You" and, for everyone else, the part they played.
import type { UseQueryResult } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { ExpenseEvent } from '../api/types';
import { TextAreaField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { Empty, ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { eventExplanation } from '../reviews/review-labels';
import { eventActionLabel } from './expense-labels';
import { t } from '../i18n/i18n';

/** src/expenses/expense-fields.ts commentLengthMax. */
export const commentLengthMax = 1000;
const reviewActions = new Set(['approved', 'step_approved', 'rejected', 'changes_requested']);

interface ExpenseHistoryProps {
  expenseId: string;
  history: UseQueryResult<{ items: ExpenseEvent[] }>;
  /** Names of people, when the viewer may read them. */
  personName: ((userId: string) => string | undefined) | null;
  canComment: boolean;
}

export function ExpenseHistory({ expenseId, history, personName, canComment }: ExpenseHistoryProps) {
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">{t('expenses.history.heading')}</h2>
      <Loaded query={history} what="the history">
        {({ items }) => (items.length === 0 ? <Empty>{t('expenses.history.empty')}</Empty> : <HistoryList events={items} personName={personName} />)}
      </Loaded>
      {canComment && <CommentForm expenseId={expenseId} />}
    </section>
  );
}

function HistoryList({ events, personName }: { events: ExpenseEvent[]; personName: ExpenseHistoryProps['personName'] }) {
  const { session } = useSession();
  function actor(event: ExpenseEvent): string {
    if (event.actorType === 'system') return 'Outlay';
    if (event.actorType === 'api_key') return t('expenses.history.integration');
    if (event.actorId === session.person.id) return t('expenses.history.you');
    const name = event.actorId ? personName?.(event.actorId) : undefined;
    if (name) return name;
    return reviewActions.has(event.action) || event.action === 'commented' ? t('expenses.history.reviewer') : t('expenses.history.bookkeeper');
  }
  const named = (userId: string) => (userId === session.person.id ? 'you' : (personName?.(userId) ?? 'the reviewer'));
  return (
    <ol className="history" aria-label={t('expenses.history.list')}>
      {events.map((event) => (
        <li key={event.id} className={event.comment ? 'history-event with-comment' : 'history-event'}>
          <p className="small-text history-line">
            <strong>{eventActionLabel(event.action)}</strong>
            <span className="muted">
              {' '}
              · {actor(event)} · {formatDateTime(event.createdAt, session.company.timeZone)}
            </span>
          </p>
          <Explanation text={eventExplanation(event, named)} />
          {event.comment && <blockquote className="comment">{event.comment}</blockquote>}
        </li>
      ))}
    </ol>
  );
}

function Explanation({ text }: { text: string | null }) {
  return text ? <p className="small-text muted history-why">{text}</p> : null;
}

function CommentForm({ expenseId }: { expenseId: string }) {
  const [comment, setComment] = useState('');
  const send = useAction(() => ok(api.POST('/api/v1/expenses/{id}/comments', { params: { path: { id: expenseId } }, body: { comment: comment.trim() } })), {
    invalidates: ['/api/v1/expenses/{id}/history'],
    onSuccess: () => setComment(''),
  });
  const problem = formProblem(send.error);
  const busy = send.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    send.mutate();
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('expenses.history.addComment')}>
      <TextAreaField label={t('expenses.history.comment')} maxLength={commentLengthMax} required value={comment} onChange={setComment} error={problem.forField('comment')} />
      <ProblemMessage problem={problem.forForm(['comment'])} />
      <button type="submit" className="secondary" disabled={busy || comment.trim() === ''}>
        {busy ? t('expenses.history.sending') : t('expenses.history.send')}
      </button>
    </form>
  );
}

/** What the reviewer last said when sending the expense back or rejecting it. */
export function lastReviewComment(events: readonly ExpenseEvent[]): ExpenseEvent | undefined {
  return [...events].reverse().find((event) => (event.action === 'changes_requested' || event.action === 'rejected') && event.comment);
}
