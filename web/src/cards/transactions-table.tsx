// Card transactions, newest first: the cardholder's own on their page, everyone's for admins.
import type { CardTransaction } from '../api/types';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import type { PagesHandle } from '../components/use-pages';
import { formatDateTime, formatMoney } from '../format';
import { useSession } from '../session';
import { declineReasonText, transactionStateLabels } from './card-labels';

interface TransactionsTableProps {
  title: string;
  transactions: PagesHandle<CardTransaction>;
  /** Admins see whose card it was; a cardholder knows. */
  holderName?: (userId: string) => string;
}

export function TransactionsTable({ title, transactions, holderName }: TransactionsTableProps) {
  const { pages } = transactions;
  const headingId = `${title.toLowerCase().replaceAll(' ', '-')}-heading`;
  return (
    <section className="card wide-card" aria-labelledby={headingId}>
      <div className="card-title-row">
        <h2 id={headingId}>{title}</h2>
        <button type="button" className="link-button" onClick={transactions.reload} disabled={pages.status === 'loading'}>
          Refresh
        </button>
      </div>
      {pages.status === 'loading' && <Loading what="transactions" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={transactions.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>No card transactions yet.</Empty>
        ) : (
          <table className="responsive-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                {holderName && <th scope="col">Cardholder</th>}
                <th scope="col">Merchant</th>
                <th scope="col">State</th>
                <th scope="col" className="number">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((transaction) => (
                <TransactionRow key={transaction.id} transaction={transaction} holderName={holderName} />
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={transactions.loadMore} what="transactions" />
    </section>
  );
}

function TransactionRow({ transaction, holderName }: { transaction: CardTransaction; holderName: ((userId: string) => string) | undefined }) {
  const { session } = useSession();
  const { merchantAmount, walletAmount } = transaction;
  return (
    <tr>
      <td data-label="Date">{formatDateTime(transaction.occurredAt, session.company.timeZone)}</td>
      {holderName && <td data-label="Cardholder">{holderName(transaction.userId)}</td>}
      <td data-label="Merchant">
        {transaction.merchant.name}
        <div className="muted small-text">
          {transaction.merchant.country} · MCC {transaction.merchant.mcc}
        </div>
      </td>
      <td data-label="State">
        <span className={`badge badge-tx-${transaction.state}`}>{transactionStateLabels[transaction.state]}</span>
        {transaction.state === 'declined' && <div className="small-text decline-reason">{declineReasonText(transaction)}</div>}
      </td>
      <td data-label="Amount" className="number">
        {formatMoney(walletAmount)}
        {merchantAmount.currency !== walletAmount.currency && <div className="muted small-text">{formatMoney(merchantAmount)}</div>}
      </td>
    </tr>
  );
}
