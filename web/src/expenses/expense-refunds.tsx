// A card purchase's refunds on its expense: the amount is what the purchase cleared less
// these. A refund that came after the expense was exported goes to the books on its own.
import type { Expense } from '../api/types';
import { formatDate, formatDay, formatMoney } from '../format';

type Refund = Expense['refunds'][number];

const refundExportLabels: Record<Refund['export']['state'], string> = {
  netted: 'In the expense\'s amount',
  not_exported: 'To be exported on its own',
  queued: 'Queued for export',
  exporting: 'Exporting',
  exported: 'Exported on its own',
  failed: 'Export failed',
};

const creditReasonLabels: Record<NonNullable<Expense['merchantCredits'][number]['reason']>, string> = {
  original_not_named: 'the refund names no purchase',
  original_not_found: 'the purchase is not one of this card',
  original_not_refundable: 'the purchase had not cleared',
  currency_mismatch: 'the refund is in another currency',
  exceeds_refundable: 'more than the purchase had left to refund',
};

/** Refunds beyond the purchase: the wallet got the money, the expense does not count it. */
function MerchantCredits({ expense }: { expense: Expense }) {
  if (expense.merchantCredits.length === 0) return null;
  return (
    <div className="notice warning" role="note" aria-label="Merchant credits">
      <strong>Merchant credit beyond this purchase:</strong>
      <ul>
        {expense.merchantCredits.map((credit) => (
          <li key={credit.transactionId}>
            {formatMoney(credit.amount)} on {formatDay(credit.occurredAt)}: {credit.reason ? creditReasonLabels[credit.reason] : 'exchange-rate difference'}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ExpenseRefunds({ expense }: { expense: Expense }) {
  if (expense.refunds.length === 0 && expense.merchantCredits.length === 0) return null;
  const fully = /^0+(\.0+)?$/.test(expense.amount.amount);
  return (
    <section className="expense-refunds" aria-labelledby="refunds-heading">
      <h2 id="refunds-heading">{fully ? 'Refunded in full' : 'Refunds'}</h2>
      <p className="muted small-text">The merchant gave money back; the expense counts what the purchase cost less these refunds.</p>
      <MerchantCredits expense={expense} />
      <table className="responsive-table" aria-label="Refunds">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col" className="number">
              Amount
            </th>
            <th scope="col">Books</th>
          </tr>
        </thead>
        <tbody>
          {expense.refunds.map((refund) => (
            <tr key={refund.transactionId}>
              <td data-label="Date">{formatDate(refund.refundedOn)}</td>
              <td data-label="Amount" className="number">
                −{formatMoney(refund.amount)}
              </td>
              <td data-label="Books">{refundExportLabels[refund.export.state]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
