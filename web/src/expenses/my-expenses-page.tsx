// A person's expenses: card purchases appear here by themselves; out-of-pocket spending,
// mileage and per diems are added with the buttons. Below, the bank account Outlay pays
// them back to.
import { useState } from 'react';
import type { ExpenseState } from '../api/types';
import { SelectField } from '../components/fields';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import { usePages } from '../components/use-pages';
import { choicesOf } from '../format';
import { Link } from '../router';
import { i18n, t } from '../i18n/i18n';
import { useSession } from '../session';
import { expenseStateLabels } from './expense-labels';
import { ExpensesTable } from './expenses-table';
import { PayeeAccountForm } from './payee-account-form';

const expensesPageSize = 50;
const allStates = '';

const stateOptions = () => [{ value: allStates, label: t('expenses.mine.all') }, ...choicesOf(expenseStateLabels).map((state) => ({ value: state, label: expenseStateLabels[state] }))];

export function MyExpensesPage() {
  const { session } = useSession();
  const [state, setState] = useState<ExpenseState | typeof allStates>(allStates);
  // Everyone's own only: reviewers and bookkeepers would otherwise get the whole company's.
  const expenses = usePages('/api/v1/expenses', expensesPageSize, { userId: session.person.id, state: state || undefined });
  const { pages } = expenses;
  return (
    <div className="dashboard">
      <section className="card wide-card" aria-labelledby="my-expenses-heading">
        <div className="card-title-row">
          <h1 id="my-expenses-heading">{t('expenses.mine.heading')}</h1>
          <button type="button" className="link-button" onClick={expenses.reload} disabled={expenses.fetching}>
            {t('expenses.mine.refresh')}
          </button>
        </div>
        <nav className="new-expense-buttons" aria-label={t('expenses.mine.add')}>
          <Link href="/expenses/new/out-of-pocket" className="button-link primary">
            {t('expenses.mine.outOfPocket')}
          </Link>
          <Link href="/expenses/new/mileage" className="button-link secondary">
            {t('expenses.mine.mileage')}
          </Link>
          <Link href="/expenses/new/per-diem" className="button-link secondary">
            {t('expenses.mine.perDiem')}
          </Link>
        </nav>
        <div className="list-filter">
          <SelectField label={t('expenses.mine.show')} value={state} onChange={(value) => setState(value as ExpenseState | typeof allStates)} options={stateOptions()} />
        </div>
        {pages.status === 'loading' && <Loading what={t('expenses.mine.loading')} />}
        {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={expenses.reload} />}
        {pages.status === 'ready' &&
          (pages.items.length === 0 ? (
            <Empty>{state === allStates ? t('expenses.mine.empty') : t('expenses.mine.emptyInState', { state: expenseStateLabels[state].toLocaleLowerCase(i18n.language) })}</Empty>
          ) : (
            <ExpensesTable expenses={pages.items} />
          ))}
        <MoreButton pages={pages} onMore={expenses.loadMore} what={t('expenses.mine.more')} />
      </section>
      <PayeeAccountForm />
    </div>
  );
}
