// An expense's state and flags as badges, the same in every list and on its page.
import type { Expense } from '../api/types';
import { t } from '../i18n/i18n';
import { expenseFlagLabels, expenseStateLabels } from './expense-labels';

export function ExpenseStateBadge({ expense }: { expense: Expense }) {
  return <span className={`badge badge-expense-${expense.state}`}>{expenseStateLabels[expense.state]}</span>;
}

export function ExpenseFlags({ expense }: { expense: Expense }) {
  if (expense.flags.length === 0) return null;
  return (
    <ul className="flag-list" aria-label={t('expenses.flagsLabel')}>
      {expense.flags.map((flag) => (
        <li key={flag}>
          <span className={`badge badge-flag badge-flag-${flag}`}>{expenseFlagLabels[flag]}</span>
        </li>
      ))}
    </ul>
  );
}
