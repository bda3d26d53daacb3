// Expenses in a table, newest first: the day, what it was, the amount, where it stands and
// what Outlay noticed. Each links to its page. On a phone each row is a small card.
import type { ReactNode } from 'react';
import type { Expense } from '../api/types';
import { formatDate, formatMoney } from '../format';
import { expensePath, Link } from '../router';
import { ExpenseFlags, ExpenseStateBadge } from './expense-badges';
import { expenseKindLabels, expenseTitle } from './expense-labels';
import { t } from '../i18n/i18n';

interface ExpensesTableProps {
  expenses: readonly Expense[];
  /** Lists of several people's expenses say whose each is. */
  ownerName?: (userId: string) => string;
  rowActions?: (expense: Expense) => ReactNode;
}

export function ExpensesTable({ expenses, ownerName, rowActions }: ExpensesTableProps) {
  return (
    <table className="responsive-table expenses-table">
      <thead>
        <tr>
          <th scope="col">{t('expenses.table.date')}</th>
          {ownerName && <th scope="col">{t('expenses.table.person')}</th>}
          <th scope="col">{t('expenses.table.expense')}</th>
          <th scope="col" className="number">
            {t('expenses.table.amount')}
          </th>
          <th scope="col">{t('expenses.table.state')}</th>
          {rowActions && (
            <th scope="col">
              <span className="visually-hidden">{t('expenses.table.actions')}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {expenses.map((expense) => (
          <tr key={expense.id}>
            <td data-label={t('expenses.table.date')}>{formatDate(expense.spentOn)}</td>
            {ownerName && <td data-label={t('expenses.table.person')}>{ownerName(expense.userId)}</td>}
            <td data-label={t('expenses.table.expense')}>
              <div>
                <Link href={expensePath(expense.id)} className="expense-link">
                  {expenseTitle(expense)}
                </Link>
                <div className="muted small-text">{expenseKindLabels[expense.kind]}</div>
              </div>
            </td>
            <td data-label={t('expenses.table.amount')} className="number">
              <div>
                {formatMoney(expense.amount)}
                {expense.original && <div className="muted small-text">{formatMoney(expense.original.amount)}</div>}
              </div>
            </td>
            <td data-label={t('expenses.table.state')}>
              <div>
                <ExpenseStateBadge expense={expense} />
                <ExpenseFlags expense={expense} />
              </div>
            </td>
            {rowActions && <td className="actions-cell">{rowActions(expense)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
