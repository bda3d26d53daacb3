// A reviewer's queue: the expenses in review they take part in, newest first, those waiting
// for them on top (one that came back to them first of all), each with what it is, whose,
// the step it waits for, its lines, flags and receipt, and the decision buttons; below, those
// waiting for someone else, with whom. A decided expense leaves the queue.
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
import { useSession } from '../session';
import { ReviewActions } from './review-actions';
import { ReviewStatus, type PersonName } from './review-status';
import { t } from '../i18n/i18n';

const reviewsPageSize = 50;
const peoplePageSize = 200;

/** What a decision did, as the list of decisions says it. */
const decidedWords = (expense: Expense) => (expense.state === 'in_review' ? 'your step is approved; it waits for the next one' : expenseStateLabels[expense.state].toLowerCase());

export function ReviewQueuePage() {
  const queue = usePages('/api/v1/expense-reviews', reviewsPageSize);
  const people = usePages('/api/v1/people', peoplePageSize);
  const books = useBooks();
  const [decided, setDecided] = useState<Expense[]>([]);
  const { pages } = queue;
  const peopleList = people.pages.status === 'ready' ? people.pages.items : null;
  const personName: PersonName = peopleList ? (userId) => peopleList.find((person) => person.id === userId)?.name : null;
  const nameOf = (userId: string) => (personName ? (personName(userId) ?? t('expenses.page.someone')) : '…');

  return (
    <div className="dashboard">
      <section className="card wide-card" aria-labelledby="review-queue-heading">
        <div className="card-title-row">
          <h1 id="review-queue-heading">{t('reviews.queue.heading')}</h1>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setDecided([]);
              queue.reload();
            }}
            disabled={queue.fetching}
          >
            {t('reviews.queue.refresh')}
          </button>
        </div>
        {decided.length > 0 && (
          <ul className="decided-list" aria-label={t('reviews.queue.decided')}>
            {decided.map((expense, index) => (
              <li key={`${expense.id}:${index}`} className="notice success small-text" role="status">
                {expenseTitle(expense)} of {nameOf(expense.userId)}: {decidedWords(expense)}.
              </li>
            ))}
          </ul>
        )}
        {(pages.status === 'loading' || books.status === 'loading') && <Loading what={t('reviews.queue.loading')} />}
        {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={queue.reload} />}
        {books.status === 'error' && <LoadError problem={books.problem} onRetry={books.retry} />}
        {pages.status === 'ready' && books.status === 'ready' && (
          <QueueLists items={pages.items} books={books.books} nameOf={nameOf} personName={personName} onDecided={(updated) => setDecided((previous) => [updated, ...previous])} />
        )}
        <MoreButton pages={pages} onMore={queue.loadMore} what={t('expenses.mine.more')} />
      </section>
    </div>
  );
}

interface QueueListsProps {
  items: Expense[];
  books: Books | null;
  nameOf: (userId: string) => string;
  personName: PersonName;
  onDecided: (expense: Expense) => void;
}

function QueueLists({ items, books, nameOf, personName, onDecided }: QueueListsProps) {
  const { session } = useSession();
  const mine = items.filter((expense) => expense.review?.youMayDecide);
  // What came back to the reviewer who asked for the changes comes first.
  const cameBack = (expense: Expense) => (expense.review?.returnedTo === session.person.id ? 0 : 1);
  const ordered = [...mine].sort((a, b) => cameBack(a) - cameBack(b));
  const others = items.filter((expense) => !expense.review?.youMayDecide);
  const item = (expense: Expense) => (
    <li key={expense.id}>
      <ReviewItem expense={expense} owner={nameOf(expense.userId)} books={books} personName={personName} onDecided={onDecided} />
    </li>
  );
  return (
    <>
      {ordered.length === 0 ? <Empty>{t('reviews.queue.empty')}</Empty> : <ul className="review-list" aria-label={t('reviews.queue.waiting')}>{ordered.map(item)}</ul>}
      {others.length > 0 && (
        <section aria-labelledby="waiting-for-others-heading">
          <h2 id="waiting-for-others-heading">{t('reviews.queue.others')}</h2>
          <ul className="review-list">{others.map(item)}</ul>
        </section>
      )}
    </>
  );
}

function ReviewItem({ expense, owner, books, personName, onDecided }: { expense: Expense; owner: string; books: Books | null; personName: PersonName; onDecided: (expense: Expense) => void }) {
  const title = expenseTitle(expense);
  return (
    <article className="review-item" aria-label={t('reviews.queue.itemOf', { title, owner })}>
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
      {expense.review && <ReviewStatus review={expense.review} personName={personName} />}
      <ExpenseFlags expense={expense} />
      {expense.note && <p className="small-text break">“{expense.note}”</p>}
      {expense.attendees.length > 0 && <p className="small-text">{t('reviews.queue.attendees', { names: expense.attendees.join(', ') })}</p>}
      {books && <ExpenseLinesTable expense={expense} books={books} />}
      {showsReceipt(expense) && <ExpenseReceipt expense={expense} editable={false} onChanged={() => undefined} />}
      {expense.review?.youMayDecide && <ReviewActions expense={expense} onDecided={onDecided} />}
    </article>
  );
}
