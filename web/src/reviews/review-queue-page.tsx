// A reviewer's queue: the expenses waiting for them, newest first, each with what it is,
// whose, its lines, flags and receipt, and the decision buttons. A decided expense leaves
// the queue.
import { useState } from 'react';
import type { Expense } from '../api/types';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import { usePages } from '../components/use-pages';
import { ExpenseFlags } from '../expenses/expense-badges';
import { ExpenseLinesTable } from '../expenses/expense-facts';
import { expenseKindLabels, expenseStateLabels, expenseTitle } from '../expenses/expense-labels';
import { ExpenseReceipt, showsReceipt } from '../expenses/expense-receipt';
import { useBooks, type Books } from '../expenses/use-books';
import { formatDate, formatMoney } from '../format';
import { expensePath, Link } from '../router';
import { ReviewActions } from './review-actions';

const reviewsPageSize = 50;
const peoplePageSize = 200;

export function ReviewQueuePage() {
  const queue = usePages('/api/v1/expense-reviews', reviewsPageSize);
  const people = usePages('/api/v1/people', peoplePageSize);
  const books = useBooks();
  const [decided, setDecided] = useState<Expense[]>([]);
  const { pages } = queue;
  const nameOf = (userId: string) => (people.pages.status === 'ready' ? (people.pages.items.find((person) => person.id === userId)?.name ?? 'Someone') : '…');

  return (
    <div className="dashboard">
      <section className="card wide-card" aria-labelledby="review-queue-heading">
        <div className="card-title-row">
          <h1 id="review-queue-heading">To review</h1>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setDecided([]);
              queue.reload();
            }}
            disabled={queue.fetching}
          >
            Refresh
          </button>
        </div>
        {decided.length > 0 && (
          <ul className="decided-list" aria-label="Decided just now">
            {decided.map((expense) => (
              <li key={expense.id} className="notice success small-text" role="status">
                {expenseTitle(expense)} of {nameOf(expense.userId)}: {expenseStateLabels[expense.state].toLowerCase()}.
              </li>
            ))}
          </ul>
        )}
        {(pages.status === 'loading' || books.status === 'loading') && <Loading what="the expenses to review" />}
        {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={queue.reload} />}
        {books.status === 'error' && <LoadError problem={books.problem} onRetry={books.retry} />}
        {pages.status === 'ready' &&
          books.status === 'ready' &&
          (pages.items.length === 0 ? (
            <Empty>Nothing to review. Outlay tells you under the bell when someone submits an expense.</Empty>
          ) : (
            <ul className="review-list">
              {pages.items.map((expense) => (
                <li key={expense.id}>
                  <ReviewItem
                    expense={expense}
                    owner={nameOf(expense.userId)}
                    books={books.books}
                    onDecided={(updated) => setDecided((previous) => [updated, ...previous])}
                  />
                </li>
              ))}
            </ul>
          ))}
        <MoreButton pages={pages} onMore={queue.loadMore} what="expenses" />
      </section>
    </div>
  );
}

function ReviewItem({ expense, owner, books, onDecided }: { expense: Expense; owner: string; books: Books | null; onDecided: (expense: Expense) => void }) {
  const title = expenseTitle(expense);
  return (
    <article className="review-item" aria-label={`${title} of ${owner}`}>
      <div className="expense-summary">
        <div>
          <h2>
            <Link href={expensePath(expense.id)}>{title}</Link>
          </h2>
          <p className="muted small-text">
            {owner} · {expenseKindLabels[expense.kind]} · {formatDate(expense.spentOn)}
          </p>
        </div>
        <div className="expense-amount">
          <strong>{formatMoney(expense.amount)}</strong>
        </div>
      </div>
      <ExpenseFlags expense={expense} />
      {expense.note && <p className="small-text break">“{expense.note}”</p>}
      {expense.attendees.length > 0 && <p className="small-text">Attendees: {expense.attendees.join(', ')}</p>}
      {books && <ExpenseLinesTable expense={expense} books={books} />}
      {showsReceipt(expense) && <ExpenseReceipt expense={expense} editable={false} onChanged={() => undefined} />}
      <ReviewActions expense={expense} onDecided={onDecided} />
    </article>
  );
}
