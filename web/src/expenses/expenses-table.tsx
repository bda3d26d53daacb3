// Expenses in a table, newest first: the day, what it was, the amount, where it stands and
// what Outlay noticed. Each links to its page. On a phone each row is a small card.
import type { ReactNode } from 'react';
import type { Expense } from '../api/types';
import { formatDate, formatMoney } from '../format';
import { expensePath, Link } from '../router';
import { ExpenseFlags, ExpenseStateBadge } from './expense-badges';
import { expenseKindLabels, expenseTitle } from './expense-labels';

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
          <th scope="col">Date</th>
          {ownerName && <th scope="col">Person</th>}
          <th scope="col">Expense</th>
          <th scope="col" className="number">
            Amount
          </th>
          <th scope="col">State</th>
          {rowActions && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {expenses.map((expense) => (
          <tr key={expense.id}>
            <td data-label="Date">{formatDate(expense.spentOn)}</td>
            {ownerName && <td data-label="Person">{ownerName(expense.userId)}</td>}
            <td data-label="Expense">
              <div>
                <Link href={expensePath(expense.id)} className="expense-link">
                  {expenseTitle(expense)}
                </Link>
                <div className="muted small-text">{expenseKindLabels[expense.kind]}</div>
              </div>
            </td>
            <td data-label="Amount" className="number">
              <div>
                {formatMoney(expense.amount)}
                {expense.original && <div className="muted small-text">{formatMoney(expense.original.amount)}</div>}
              </div>
            </td>
            <td data-label="State">
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
