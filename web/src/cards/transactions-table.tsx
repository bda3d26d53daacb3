// Card transactions, newest first: the cardholder's own on their page, everyone's for admins.
// Refunds read as money coming back (+), forced bookings and ATM withdrawals say so. Each
// row says where its receipt stands; the cardholder's page adds what they can do about it.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CardTransaction } from '../api/types';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import type { PagesHandle } from '../components/use-pages';
import { formatDateTime, formatMoney } from '../format';
import { ReceiptStateBadge } from '../receipts/transaction-receipt';
import { useSession } from '../session';
import { declineReasonText, transactionKindLabels, transactionStateLabels } from './card-labels';

interface TransactionsTableProps {
  title: string;
  transactions: PagesHandle<CardTransaction>;
  /** Admins see whose card it was; a cardholder knows. */
  holderName?: (userId: string) => string;
  /** What an admin can do with a row (the simulator's network events). */
  rowActions?: (transaction: CardTransaction) => ReactNode;
  /** The receipt cell; without it the row shows the receipt's state only. */
  receiptCell?: (transaction: CardTransaction) => ReactNode;
}

export function TransactionsTable({ title, transactions, holderName, rowActions, receiptCell }: TransactionsTableProps) {
  const { t } = useTranslation();
  const { pages } = transactions;
  const headingId = `${title.toLowerCase().replaceAll(' ', '-')}-heading`;
  return (
    <section className="card wide-card" aria-labelledby={headingId}>
      <div className="card-title-row">
        <h2 id={headingId}>{title}</h2>
        <button type="button" className="link-button" onClick={transactions.reload} disabled={pages.status === 'loading'}>
          {t('lists.transactionsTable.refresh')}
        </button>
      </div>
      {pages.status === 'loading' && <Loading what={t('lists.transactionsTable.loading')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={transactions.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{t('lists.transactionsTable.empty')}</Empty>
        ) : (
          <table className="responsive-table">
            <thead>
              <tr>
                <th scope="col">{t('lists.transactionsTable.date')}</th>
                {holderName && <th scope="col">{t('lists.transactionsTable.cardholder')}</th>}
                <th scope="col">{t('lists.transactionsTable.merchant')}</th>
                <th scope="col">{t('lists.transactionsTable.state')}</th>
                <th scope="col" className="number">
                  {t('lists.transactionsTable.amount')}
                </th>
                <th scope="col">{t('lists.transactionsTable.receipt')}</th>
                {rowActions && (
                  <th scope="col">
                    <span className="visually-hidden">{t('lists.transactionsTable.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {pages.items.map((transaction) => (
                <TransactionRow
                  key={transaction.id}
                  transaction={transaction}
                  holderName={holderName}
                  receipt={receiptCell ? receiptCell(transaction) : <ReceiptStateBadge transaction={transaction} />}
                  actions={rowActions?.(transaction)}
                  withActions={rowActions !== undefined}
                />
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={transactions.loadMore} what={t('lists.transactionsTable.loading')} />
    </section>
  );
}

interface TransactionRowProps {
  transaction: CardTransaction;
  holderName: ((userId: string) => string) | undefined;
  receipt: ReactNode;
  actions: ReactNode;
  withActions: boolean;
}

/** A refund is money back to the wallet: shown with a plus sign. */
function signed(text: string, transaction: CardTransaction): string {
  return transaction.kind === 'refund' ? `+${text}` : text;
}

function TransactionRow({ transaction, holderName, receipt, actions, withActions }: TransactionRowProps) {
  const { t } = useTranslation();
  const { session } = useSession();
  const { merchantAmount, walletAmount, shortfall } = transaction;
  const kindLabel = transactionKindLabels[transaction.kind];
  return (
    <tr>
      <td data-label={t('lists.transactionsTable.date')}>{formatDateTime(transaction.occurredAt, session.company.timeZone)}</td>
      {holderName && <td data-label={t('lists.transactionsTable.cardholder')}>{holderName(transaction.userId)}</td>}
      <td data-label={t('lists.transactionsTable.merchant')}>
        {kindLabel && <span className={`kind-label kind-${transaction.kind}`}>{kindLabel}</span>}
        {transaction.merchant.name}
        <div className="muted small-text">
          {transaction.merchant.country} · MCC {transaction.merchant.mcc}
        </div>
      </td>
      <td data-label={t('lists.transactionsTable.state')}>
        <span className={`badge badge-tx-${transaction.state}`}>{transactionStateLabels[transaction.state]}</span>
        {transaction.state === 'declined' && <div className="small-text decline-reason">{declineReasonText(transaction)}</div>}
      </td>
      <td data-label={t('lists.transactionsTable.amount')} className="number">
        <span className={transaction.kind === 'refund' ? 'money-in' : undefined}>{signed(formatMoney(walletAmount), transaction)}</span>
        {merchantAmount.currency !== walletAmount.currency && <div className="muted small-text">{signed(formatMoney(merchantAmount), transaction)}</div>}
        {shortfall && <div className="small-text shortfall">{t('lists.transactionsTable.shortfall', { amount: formatMoney(shortfall) })}</div>}
      </td>
      <td data-label={t('lists.transactionsTable.receipt')}>{receipt}</td>
      {withActions && <td className="actions-cell">{actions}</td>}
    </tr>
  );
}
