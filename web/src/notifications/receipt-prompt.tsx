// Right after a card purchase that needs a receipt, its cardholder is asked for it
// (notification receipt_wanted, which the live events bring in without a reload): the newest
// unread one, with one button to the camera or the file chooser. Sending the receipt, or
// "Later", marks the notification read; the purchase stays in "waiting for a receipt". Once
// the purchase no longer waits (a receipt attached, declared lost), the prompt goes.
import { useTranslation } from 'react-i18next';
import { ReceiptFileInput } from '../receipts/receipt-file-input';
import { useReceiptSender } from '../receipts/use-receipt-sender';
import type { Notification } from '../api/types';
import { usePages } from '../components/use-pages';
import { useSession } from '../session';
import { useNotifications } from './use-notifications';

/** The same first page of the person's missing receipts as their home shows (one query). */
const missingPageSize = 20;

export function ReceiptPrompt() {
  const { session } = useSession();
  const { items, markRead } = useNotifications();
  const missing = usePages('/api/v1/receipts/missing', missingPageSize, { userId: session.person.id });
  const waiting = (transactionId: string) => missing.pages.status === 'ready' && missing.pages.items.some((transaction) => transaction.id === transactionId);
  const wanted = items?.find((notification) => notification.kind === 'receipt_wanted' && !notification.readAt && notification.subject.type === 'card_transaction' && waiting(notification.subject.id));
  if (!wanted) return null;
  return <Prompt key={wanted.id} notification={wanted} onDone={() => markRead(wanted.id)} />;
}

function Prompt({ notification, onDone }: { notification: Notification; onDone: () => void }) {
  const { t } = useTranslation();
  const sender = useReceiptSender(notification.subject.id, onDone);
  return (
    <section className="card wide-card notice receipt-prompt" aria-label={t('lists.receiptPrompt.label')}>
      <p>
        <strong>{notification.title}</strong>
      </p>
      <p className="small-text">{notification.body}</p>
      <div className="row-actions">
        <ReceiptFileInput label={t('lists.receiptPrompt.snap')} accessibleLabel={t('lists.receiptPrompt.snapNamed', { title: notification.title })} sender={sender} className="primary" />
        <button type="button" className="secondary" onClick={onDone}>
          {t('lists.receiptPrompt.later')}
        </button>
      </div>
    </section>
  );
}
