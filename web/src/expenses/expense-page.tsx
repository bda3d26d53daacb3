// One expense: where it stands and what Outlay noticed, the step of its review it waits for
// and whom, what the reviewer said, the editor while its owner may change it (or the facts
// once it is in review or decided), its receipt, a reviewer's decision (when the step is
// theirs to decide), and its history with the comments.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { Expense } from '../api/types';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { formatDate, formatMoney } from '../format';
import { i18n, t } from '../i18n/i18n';
import { can } from '../permissions';
import { ReviewActions } from '../reviews/review-actions';
import { ReviewStatus } from '../reviews/review-status';
import { Link } from '../router';
import { useSession } from '../session';
import { ExpenseFlags, ExpenseStateBadge } from './expense-badges';
import { ExpenseEditor, type EditorMode } from './expense-editor';
import { ExpenseFacts, ExpenseLinesTable } from './expense-facts';
import { ExpenseHistory, lastReviewComment } from './expense-history';
import { expenseFlagLabels, expenseKindLabels, expenseTitle, isEditableByOwner } from './expense-labels';
import { ExpenseReceipt, showsReceipt } from './expense-receipt';
import { ExpenseRefunds } from './expense-refunds';
import { expenseChanged } from './expense-changes';
import { useBooks, type Books } from './use-books';

const peoplePageSize = 200;

const expenseQuery = (id: string) => getQuery('/api/v1/expenses/{id}', { params: { path: { id } } });

export function ExpensePage({ id }: { id: string }) {
  const expense = useQuery(expenseQuery(id));
  const books = useBooks();
  if (expense.isError && !expense.isFetching) return <LoadError problem={expense.error} onRetry={() => void expense.refetch()} />;
  if (books.status === 'error') return <LoadError problem={books.problem} onRetry={books.retry} />;
  if (!expense.data || books.status === 'loading') return <Loading what={t('expenses.page.loadingExpense')} />;
  return <ExpenseView expense={expense.data} books={books.books} />;
}

type Outcome = 'saved' | 'submitted' | 'decided' | 'reopened' | null;

function ExpenseView({ expense, books }: { expense: Expense; books: Books }) {
  const queryClient = useQueryClient();
  const { session } = useSession();
  const { person } = session;
  // A new editor after each save or submit, so it starts from what the server kept.
  const [editorGeneration, setEditorGeneration] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const history = useQuery(getQuery('/api/v1/expenses/{id}/history', { params: { path: { id: expense.id } } }));
  const mayReadPeople = can(session, 'people:read');
  const people = useQuery({ ...getQuery('/api/v1/people', { params: { query: { limit: String(peoplePageSize) } } }), enabled: mayReadPeople });
  const peopleList = people.data ?? null;
  const personName = peopleList ? (userId: string) => peopleList.items.find((item) => item.id === userId)?.name : null;

  const isOwner = expense.userId === person.id;
  const ownerEdits = isOwner && isEditableByOwner(expense.state);
  const corrects = !ownerEdits && can(session, 'expenses:manage') && expense.state !== 'voided';
  const editorMode: EditorMode | null = ownerEdits ? 'owner' : corrects ? 'correction' : null;
  // The server says whether the step the expense waits for is this person's to decide.
  const mayReview = expense.review?.youMayDecide === true;
  const mayComment = isOwner || can(session, 'expenses:review') || can(session, 'expenses:manage');
  const reviewComment = history.data ? lastReviewComment(history.data.items) : undefined;

  /** What the server kept is shown at once (the editor starts from it); the rest follows. */
  function changed(updated: Expense, what: Outcome) {
    queryClient.setQueryData(expenseQuery(updated.id).queryKey, updated);
    setOutcome(what);
    if (what !== null) setEditorGeneration((value) => value + 1);
  }

  return (
    <div className="expense-layout">
      <section className="card expense-card" aria-labelledby="expense-heading">
        <ExpenseHeading expense={expense} back={isOwner ? 'own' : can(session, 'expenses:review') && expense.state === 'in_review' ? 'review' : 'other'} owner={!isOwner && personName ? (personName(expense.userId) ?? t('expenses.page.someone')) : null} />
        <ExpenseFlags expense={expense} />
        <OutcomeNotice expense={expense} outcome={outcome} />
        {expense.review && <ReviewStatus review={expense.review} personName={personName} />}
        {reviewComment && (expense.state === 'changes_requested' || expense.state === 'rejected') && (
          <div className="notice warning reviewer-comment" role="note" aria-label={t('expenses.page.reviewerSaid')}>
            <strong>{expense.state === 'rejected' ? t('expenses.page.rejectedBecause') : t('expenses.page.reviewerAsks')}</strong> {reviewComment.comment}
          </div>
        )}
        {isOwner && expense.state === 'rejected' && <ReopenButton expense={expense} onReopened={(updated) => changed(updated, 'reopened')} />}
        {editorMode ? (
          <ExpenseEditor key={editorGeneration} expense={expense} books={books} mode={editorMode} onChanged={changed} />
        ) : (
          <ExpenseFacts expense={expense} books={books} />
        )}
        {editorMode && expense.lines.length > 1 && <SavedSplit expense={expense} books={books} />}
        <ExpenseRefunds expense={expense} />
        {showsReceipt(expense) && (
          <ExpenseReceipt expense={expense} editable={editorMode !== null} onChanged={(updated) => changed(updated, null)} />
        )}
        {mayReview && (
          <section className="review-box" aria-labelledby="decide-heading">
            <h2 id="decide-heading">{t('expenses.page.yourDecision')}</h2>
            <ReviewActions expense={expense} onDecided={(updated) => changed(updated, 'decided')} />
          </section>
        )}
      </section>
      <ExpenseHistory expenseId={expense.id} history={history} personName={personName} canComment={mayComment} />
    </div>
  );
}

const backLinks = {
  own: { href: '/expenses', label: () => t('expenses.page.backOwn') },
  review: { href: '/reviews', label: () => t('expenses.page.backReview') },
  other: { href: '/expenses', label: () => t('expenses.page.backOther') },
};

function ExpenseHeading({ expense, back, owner }: { expense: Expense; back: keyof typeof backLinks; owner: string | null }) {
  return (
    <>
      <p className="small-text back-link">
        <Link href={backLinks[back].href}>{backLinks[back].label()}</Link>
      </p>
      <div className="expense-summary">
        <div>
          <h1 id="expense-heading">{expenseTitle(expense)}</h1>
          <p className="muted small-text">
            {expenseKindLabels[expense.kind]} · {formatDate(expense.spentOn)}
            {owner && ` · ${owner}`}
          </p>
        </div>
        <div className="expense-amount">
          <strong>{formatMoney(expense.amount)}</strong>
          {expense.original && (
            <span className="muted small-text original-amount">
              {t('expenses.page.paidOriginal', { amount: formatMoney(expense.original.amount), rate: expense.original.rate, date: formatDate(expense.original.rateDate) })}
            </span>
          )}
          <ExpenseStateBadge expense={expense} />
        </div>
      </div>
    </>
  );
}

/** The split as the server keeps it, with its VAT, under the editor. */
function SavedSplit({ expense, books }: { expense: Expense; books: Books }) {
  return (
    <details className="saved-split">
      <summary>{t('expenses.page.savedSplit')}</summary>
      <ExpenseLinesTable expense={expense} books={books} />
    </details>
  );
}

function OutcomeNotice({ expense, outcome }: { expense: Expense; outcome: Outcome }) {
  if (outcome === null) return null;
  let text: string;
  if (outcome === 'submitted') {
    if (expense.state === 'approved') text = t('expenses.page.outcome.approvedAtOnce');
    else if (expense.review?.returnedTo) text = t('expenses.page.outcome.backToReviewer');
    else if (expense.flags.length > 0) text = t('expenses.page.outcome.waitsFlagged', { flags: expense.flags.map((flag) => expenseFlagLabels[flag].toLocaleLowerCase(i18n.language)).join(', ') });
    else text = t('expenses.page.outcome.waits');
  } else if (outcome === 'saved') text = t('expenses.page.outcome.saved');
  else if (outcome === 'reopened') text = t('expenses.page.outcome.reopened');
  else if (expense.state === 'in_review') text = t('expenses.page.outcome.stepApproved');
  else if (expense.state === 'approved') text = t('expenses.page.outcome.decidedApproved');
  else if (expense.state === 'rejected') text = t('expenses.page.outcome.decidedRejected');
  else text = t('expenses.page.outcome.decidedSentBack');
  return (
    <p className="notice success" role="status">
      {text}
    </p>
  );
}

function ReopenButton({ expense, onReopened }: { expense: Expense; onReopened: (expense: Expense) => void }) {
  const reopen = useAction(() => ok(api.POST('/api/v1/expenses/{id}/reopen', { params: { path: { id: expense.id } } })), { invalidates: expenseChanged, onSuccess: onReopened });
  return (
    <div className="reopen">
      <button type="button" className="secondary" disabled={reopen.isPending} onClick={() => reopen.mutate()}>
        {reopen.isPending ? t('expenses.page.reopening') : t('expenses.page.reopen')}
      </button>
      <ProblemMessage problem={reopen.error} />
    </div>
  );
}
