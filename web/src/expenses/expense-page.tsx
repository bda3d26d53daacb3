// One expense: where it stands and what Outlay noticed, what the reviewer said, the editor
// while its owner may change it (or the facts once it is in review or decided), its
// receipt, a reviewer's decision, and its history with the comments.
import { useState } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { Expense, ExpenseEvent, Page, Person } from '../api/types';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { useResource } from '../components/use-resource';
import { formatDate, formatMoney } from '../format';
import { can } from '../permissions';
import { ReviewActions } from '../reviews/review-actions';
import { Link } from '../router';
import { useSession } from '../session';
import { ExpenseFlags, ExpenseStateBadge } from './expense-badges';
import { ExpenseEditor, type EditorMode } from './expense-editor';
import { ExpenseFacts, ExpenseLinesTable } from './expense-facts';
import { ExpenseHistory, lastReviewComment } from './expense-history';
import { expenseFlagLabels, expenseKindLabels, expenseTitle, isEditableByOwner } from './expense-labels';
import { ExpenseReceipt, showsReceipt } from './expense-receipt';
import { useBooks, type Books } from './use-books';

const peoplePageSize = 200;

export function ExpensePage({ id }: { id: string }) {
  const path = `/expenses/${encodeURIComponent(id)}`;
  const loaded = useResource(() => api.get<Expense>(path), path);
  const books = useBooks();
  if (loaded.resource.status === 'loading' || books.resource.status === 'loading') return <Loading what="the expense" />;
  if (loaded.resource.status === 'error') return <LoadError problem={loaded.resource.problem} onRetry={loaded.reload} />;
  if (books.resource.status === 'error') return <LoadError problem={books.resource.problem} onRetry={books.reload} />;
  return <ExpenseView initial={loaded.resource.data} books={books.resource.data} onReload={loaded.reload} />;
}

type Outcome = 'saved' | 'submitted' | 'decided' | 'reopened' | null;

function ExpenseView({ initial, books, onReload }: { initial: Expense; books: Books; onReload: () => void }) {
  const { session } = useSession();
  const { person } = session;
  const [expense, setExpense] = useState(initial);
  // A new editor after each save or submit, so it starts from what the server kept.
  const [editorGeneration, setEditorGeneration] = useState(0);
  const [comments, setComments] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const path = `/expenses/${encodeURIComponent(expense.id)}`;
  const history = useResource(() => api.get<{ items: ExpenseEvent[] }>(`${path}/history`), `${path}:${expense.updatedAt}:${comments}`);
  const mayReadPeople = can(person, 'people:read');
  const people = useResource(() => (mayReadPeople ? api.get<Page<Person>>('/people', { limit: peoplePageSize }) : Promise.resolve(null)), `people:${mayReadPeople}`);
  const peopleList = people.resource.status === 'ready' ? people.resource.data : null;
  const personName = peopleList ? (userId: string) => peopleList.items.find((item) => item.id === userId)?.name : null;

  const isOwner = expense.userId === person.id;
  const ownerEdits = isOwner && isEditableByOwner(expense.state);
  const corrects = !ownerEdits && can(person, 'expenses:manage') && expense.state !== 'voided';
  const editorMode: EditorMode | null = ownerEdits ? 'owner' : corrects ? 'correction' : null;
  const mayReview = !isOwner && can(person, 'expenses:review') && expense.state === 'in_review';
  const mayComment = isOwner || can(person, 'expenses:review') || can(person, 'expenses:manage');
  const reviewComment = history.resource.status === 'ready' ? lastReviewComment(history.resource.data.items) : undefined;

  function changed(updated: Expense, what: Outcome) {
    setExpense(updated);
    setOutcome(what);
    if (what !== null) setEditorGeneration((value) => value + 1);
  }

  return (
    <div className="expense-layout">
      <section className="card expense-card" aria-labelledby="expense-heading">
        <ExpenseHeading expense={expense} back={isOwner ? 'own' : mayReview ? 'review' : 'other'} owner={!isOwner && personName ? (personName(expense.userId) ?? 'Someone') : null} />
        <ExpenseFlags expense={expense} />
        <OutcomeNotice expense={expense} outcome={outcome} />
        {reviewComment && (expense.state === 'changes_requested' || expense.state === 'rejected') && (
          <div className="notice warning reviewer-comment" role="note" aria-label="What the reviewer said">
            <strong>{expense.state === 'rejected' ? 'Rejected because' : 'The reviewer asks'}:</strong> {reviewComment.comment}
          </div>
        )}
        {isOwner && expense.state === 'rejected' && <ReopenButton expense={expense} onReopened={(updated) => changed(updated, 'reopened')} />}
        {editorMode ? (
          <ExpenseEditor key={editorGeneration} expense={expense} books={books} mode={editorMode} onChanged={changed} />
        ) : (
          <ExpenseFacts expense={expense} books={books} />
        )}
        {editorMode && expense.lines.length > 1 && <SavedSplit expense={expense} books={books} />}
        {showsReceipt(expense) && (
          <ExpenseReceipt expense={expense} editable={editorMode !== null} onChanged={(updated) => changed(updated, null)} onPurchaseChanged={onReload} />
        )}
        {mayReview && (
          <section className="review-box" aria-labelledby="decide-heading">
            <h2 id="decide-heading">Your decision</h2>
            <ReviewActions expense={expense} onDecided={(updated) => changed(updated, 'decided')} />
          </section>
        )}
      </section>
      <ExpenseHistory expenseId={expense.id} history={history} personName={personName} canComment={mayComment} onCommented={() => setComments((value) => value + 1)} />
    </div>
  );
}

const backLinks = {
  own: { href: '/expenses', label: '← My expenses' },
  review: { href: '/reviews', label: '← Review queue' },
  other: { href: '/expenses', label: '← Expenses' },
};

function ExpenseHeading({ expense, back, owner }: { expense: Expense; back: keyof typeof backLinks; owner: string | null }) {
  return (
    <>
      <p className="small-text back-link">
        <Link href={backLinks[back].href}>{backLinks[back].label}</Link>
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
      <summary>The split as saved</summary>
      <ExpenseLinesTable expense={expense} books={books} />
    </details>
  );
}

function OutcomeNotice({ expense, outcome }: { expense: Expense; outcome: Outcome }) {
  if (outcome === null) return null;
  let text: string;
  if (outcome === 'submitted') {
    text =
      expense.state === 'approved'
        ? 'Submitted and approved at once.'
        : `Submitted: it waits for a reviewer${expense.flags.length > 0 ? ` (${expense.flags.map((flag) => expenseFlagLabels[flag].toLowerCase()).join(', ')})` : ''}.`;
  } else if (outcome === 'saved') text = 'Saved.';
  else if (outcome === 'reopened') text = 'Reopened as a draft: change it and submit it again.';
  else text = `Decided: ${expense.state === 'approved' ? 'approved' : expense.state === 'rejected' ? 'rejected' : 'sent back for changes'}.`;
  return (
    <p className="notice success" role="status">
      {text}
    </p>
  );
}

function ReopenButton({ expense, onReopened }: { expense: Expense; onReopened: (expense: Expense) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  async function reopen() {
    setBusy(true);
    setProblem(null);
    try {
      onReopened(await api.post<Expense>(`/expenses/${encodeURIComponent(expense.id)}/reopen`));
    } catch (error) {
      setProblem(asProblem(error));
      setBusy(false);
    }
  }
  return (
    <div className="reopen">
      <button type="button" className="secondary" disabled={busy} onClick={reopen}>
        {busy ? 'Reopening…' : 'Reopen as a draft'}
      </button>
      <ProblemMessage problem={problem} />
    </div>
  );
}
