// An expense as it stands, read-only: for an expense in review or decided, and for reviewers.
import type { Expense } from '../api/types';
import { formatDate, formatMoney } from '../format';
import { exportStateLabels, expenseKindLabels, reimbursementLabels } from './expense-labels';
import { categoryName, tagName, taxCodeName, type Books } from './use-books';

export function ExpenseFacts({ expense, books }: { expense: Expense; books: Books }) {
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Kind</dt>
          <dd>{expenseKindLabels[expense.kind]}</dd>
        </div>
        <div>
          <dt>Date</dt>
          <dd>{formatDate(expense.spentOn)}</dd>
        </div>
        {expense.merchant && (
          <div>
            <dt>{expense.kind === 'card' || expense.kind === 'out_of_pocket' ? 'Merchant' : 'Description'}</dt>
            <dd>{expense.merchant}</dd>
          </div>
        )}
        {expense.mileage && (
          <div>
            <dt>Distance</dt>
            <dd>
              {expense.mileage.distanceKm} km at {formatMoney(expense.mileage.ratePerKm)} per km
              {expense.mileage.route && <div className="muted small-text">{expense.mileage.route}</div>}
            </dd>
          </div>
        )}
        {expense.perDiem && (
          <div>
            <dt>Per diem</dt>
            <dd>
              {expense.perDiem.days} {expense.perDiem.days === 1 ? 'day' : 'days'} in {expense.perDiem.country} at {formatMoney(expense.perDiem.dailyRate)} a day
            </dd>
          </div>
        )}
        {expense.tagIds.length > 0 && (
          <div>
            <dt>Tags</dt>
            <dd>{expense.tagIds.map((id) => tagName(books, id)).join(', ')}</dd>
          </div>
        )}
        {expense.note && (
          <div>
            <dt>Note</dt>
            <dd className="break">{expense.note}</dd>
          </div>
        )}
        {expense.attendees.length > 0 && (
          <div>
            <dt>Attendees</dt>
            <dd>{expense.attendees.join(', ')}</dd>
          </div>
        )}
        {expense.kind !== 'card' && (
          <div>
            <dt>Paying back</dt>
            <dd>{reimbursementLabels[expense.reimbursement.state]}</dd>
          </div>
        )}
        <div>
          <dt>Books</dt>
          <dd>
            {expense.booked ? 'Booked' : 'Not booked yet'} · {exportStateLabels[expense.export.state]}
          </dd>
        </div>
      </dl>
      <ExpenseLinesTable expense={expense} books={books} />
    </>
  );
}

/** Each line with its category, tax code and the VAT the server worked out. */
export function ExpenseLinesTable({ expense, books }: { expense: Expense; books: Books }) {
  return (
    <table className="responsive-table lines-table" aria-label="Lines">
      <thead>
        <tr>
          <th scope="col">Category</th>
          <th scope="col">Tax code</th>
          <th scope="col" className="number">
            Amount
          </th>
          <th scope="col" className="number">
            VAT
          </th>
          <th scope="col" className="number">
            Deductible VAT
          </th>
        </tr>
      </thead>
      <tbody>
        {expense.lines.map((line) => (
          <tr key={line.line}>
            <td data-label="Category">
              {categoryName(books, line.categoryId)}
              {line.note && <div className="muted small-text">{line.note}</div>}
            </td>
            <td data-label="Tax code">{taxCodeName(books, line.taxCodeId)}</td>
            <td data-label="Amount" className="number">
              {formatMoney(line.amount)}
            </td>
            <td data-label="VAT" className="number">
              {formatMoney(line.vat)}
            </td>
            <td data-label="Deductible VAT" className="number">
              {formatMoney(line.deductibleVat)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
