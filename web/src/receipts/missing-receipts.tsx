// The purchases still missing their receipt, shown at the top of the person's receipts while
// there are any, each with its own camera button.
import type { CardTransaction } from '../api/types';
import type { PagesHandle } from '../components/use-pages';
import { formatDay, formatMoney } from '../format';
import { useSession } from '../session';
import { ReceiptFileInput } from './receipt-file-input';
import { useReceiptSender } from './use-receipt-sender';
import { t } from '../i18n/i18n';

export function MissingReceipts({ missing }: { missing: PagesHandle<CardTransaction> }) {
  const { pages } = missing;
  if (pages.status !== 'ready' || pages.items.length === 0) return null;
  const more = pages.nextCursor !== null;
  return (
    <section className="missing-receipts" aria-labelledby="missing-receipts-heading">
      <h3 id="missing-receipts-heading">
        Missing receipts <span className="count">{pages.items.length}{more ? '+' : ''}</span>
      </h3>
      <ul>
        {pages.items.map((transaction) => (
          <li key={transaction.id}>
            <MissingReceipt transaction={transaction} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function MissingReceipt({ transaction }: { transaction: CardTransaction }) {
  const { session } = useSession();
  const sender = useReceiptSender(transaction.id);
  return (
    <div className="missing-receipt">
      <div>
        <strong>{transaction.merchant.name}</strong>
        <div className="muted small-text">
          {formatDay(transaction.occurredAt, session.company.timeZone)} · {formatMoney(transaction.walletAmount)}
        </div>
      </div>
      <div className="row-actions">
        <ReceiptFileInput label={t('expenses.receipt.snap')} accessibleLabel={t('expenses.receipt.snapFor', { merchant: transaction.merchant.name })} sender={sender} className="primary small" />
      </div>
    </div>
  );
}
