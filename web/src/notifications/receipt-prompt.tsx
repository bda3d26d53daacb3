// Right after a card purchase that needs a receipt, its cardholder is asked for it
// (notification receipt_wanted, which the live events bring in without a reload): the newest
// unread one, with one button to the camera or the file chooser. Sending the receipt, or
// "Later", marks the notification read; the purchase stays in "waiting for a receipt".
import { useTranslation } from 'react-i18next';
import { ReceiptFileInput } from '../receipts/receipt-file-input';
import { useReceiptSender } from '../receipts/use-receipt-sender';
import type { Notification } from '../api/types';
import { useNotifications } from './use-notifications';

export function ReceiptPrompt() {
  const { items, markRead } = useNotifications();
  const wanted = items?.find((notification) => notification.kind === 'receipt_wanted' && !notification.readAt && notification.subject.type === 'card_transaction');
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
