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
import { useSession } from '../session';
import { expenseStateLabels } from './expense-labels';
import { ExpensesTable } from './expenses-table';
import { PayeeAccountForm } from './payee-account-form';

const expensesPageSize = 50;
const allStates = '';

const stateOptions = [{ value: allStates, label: 'All' }, ...choicesOf(expenseStateLabels).map((state) => ({ value: state, label: expenseStateLabels[state] }))];

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
          <h1 id="my-expenses-heading">My expenses</h1>
          <button type="button" className="link-button" onClick={expenses.reload} disabled={expenses.fetching}>
            Refresh
          </button>
        </div>
        <nav className="new-expense-buttons" aria-label="Add an expense">
          <Link href="/expenses/new/out-of-pocket" className="button-link primary">
            Out of pocket
          </Link>
          <Link href="/expenses/new/mileage" className="button-link secondary">
            Mileage
          </Link>
          <Link href="/expenses/new/per-diem" className="button-link secondary">
            Per diem
          </Link>
        </nav>
        <div className="list-filter">
          <SelectField label="Show" value={state} onChange={(value) => setState(value as ExpenseState | typeof allStates)} options={stateOptions} />
        </div>
        {pages.status === 'loading' && <Loading what="your expenses" />}
        {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={expenses.reload} />}
        {pages.status === 'ready' &&
          (pages.items.length === 0 ? (
            <Empty>{state === allStates ? 'No expenses yet. Card purchases show up here by themselves; add what you paid yourself with the buttons above.' : `No expenses that are ${expenseStateLabels[state].toLowerCase()}.`}</Empty>
          ) : (
            <ExpensesTable expenses={pages.items} />
          ))}
        <MoreButton pages={pages} onMore={expenses.loadMore} what="expenses" />
      </section>
      <PayeeAccountForm />
    </div>
  );
}
