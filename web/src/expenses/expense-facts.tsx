// An expense as it stands, read-only: for an expense in review or decided, and for reviewers.
import type { Expense } from '../api/types';
import { writeAmountInput } from '../amount-input';
import { formatLocale } from '../i18n/locale';
import { formatDate, formatMoney } from '../format';
import { exportStateLabels, expenseKindLabels, reimbursementLabels } from './expense-labels';
import { categoryName, tagName, taxCodeName, type Books } from './use-books';
import { t } from '../i18n/i18n';

export function ExpenseFacts({ expense, books }: { expense: Expense; books: Books }) {
  return (
    <>
      <dl className="facts">
        <div>
          <dt>{t('expenses.facts.kind')}</dt>
          <dd>{expenseKindLabels[expense.kind]}</dd>
        </div>
        <div>
          <dt>{t('expenses.fields.date')}</dt>
          <dd>{formatDate(expense.spentOn)}</dd>
        </div>
        {expense.merchant && (
          <div>
            <dt>{expense.kind === 'card' || expense.kind === 'out_of_pocket' ? t('expenses.fields.merchant') : t('expenses.fields.description')}</dt>
            <dd>{expense.merchant}</dd>
          </div>
        )}
        {expense.mileage && (
          <div>
            <dt>{t('expenses.facts.distanceLabel')}</dt>
            <dd>
              {t('expenses.facts.distance', { distance: writeAmountInput(expense.mileage.distanceKm, formatLocale()), rate: formatMoney(expense.mileage.ratePerKm) })}
              {expense.mileage.route && <div className="muted small-text">{expense.mileage.route}</div>}
            </dd>
          </div>
        )}
        {expense.perDiem && (
          <div>
            <dt>{t('expenses.facts.perDiemLabel')}</dt>
            <dd>
              {t('expenses.facts.perDiem', { count: expense.perDiem.days, country: expense.perDiem.country, rate: formatMoney(expense.perDiem.dailyRate) })}
            </dd>
          </div>
        )}
        {expense.tagIds.length > 0 && (
          <div>
            <dt>{t('expenses.facts.tags')}</dt>
            <dd>{expense.tagIds.map((id) => tagName(books, id)).join(', ')}</dd>
          </div>
        )}
        {expense.note && (
          <div>
            <dt>{t('expenses.facts.note')}</dt>
            <dd className="break">{expense.note}</dd>
          </div>
        )}
        {expense.attendees.length > 0 && (
          <div>
            <dt>{t('expenses.facts.attendees')}</dt>
            <dd>{expense.attendees.join(', ')}</dd>
          </div>
        )}
        {expense.kind !== 'card' && (
          <div>
            <dt>{t('expenses.facts.payingBack')}</dt>
            <dd>{reimbursementLabels[expense.reimbursement.state]}</dd>
          </div>
        )}
        <div>
          <dt>{t('expenses.facts.books')}</dt>
          <dd>
            {expense.booked ? t('expenses.facts.booked') : t('expenses.facts.notBooked')} · {exportStateLabels[expense.export.state]}
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
    <table className="responsive-table lines-table" aria-label={t('expenses.facts.lines')}>
      <thead>
        <tr>
          <th scope="col">{t('expenses.fields.category')}</th>
          <th scope="col">{t('expenses.fields.taxCode')}</th>
          <th scope="col" className="number">
            {t('expenses.facts.amount')}
          </th>
          <th scope="col" className="number">
            {t('expenses.facts.vat')}
          </th>
          <th scope="col" className="number">
            {t('expenses.facts.deductibleVat')}
          </th>
        </tr>
      </thead>
      <tbody>
        {expense.lines.map((line) => (
          <tr key={line.line}>
            <td data-label={t('expenses.fields.category')}>
              {categoryName(books, line.categoryId)}
              {line.note && <div className="muted small-text">{line.note}</div>}
            </td>
            <td data-label={t('expenses.fields.taxCode')}>{taxCodeName(books, line.taxCodeId)}</td>
            <td data-label={t('expenses.facts.amount')} className="number">
              {formatMoney(line.amount)}
            </td>
            <td data-label={t('expenses.facts.vat')} className="number">
              {formatMoney(line.vat)}
            </td>
            <td data-label={t('expenses.facts.deductibleVat')} className="number">
              {formatMoney(line.deductibleVat)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
