// The person's receipts: what is still missing, a big button that opens the phone's camera
// (or, on a computer, takes a dropped file), the forwarding address, and every receipt sent
// with what was read from it and where it went.
import type { CardTransaction, Receipt } from '../api/types';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import { useFileDrop } from '../components/use-file-drop';
import type { PagesHandle } from '../components/use-pages';
import { ForwardingAddressField } from './forwarding-address';
import { MissingReceipts } from './missing-receipts';
import { ReceiptFileInput, SendProblems } from './receipt-file-input';
import { ReceiptItem } from './receipt-item';
import { useReceiptSender, type ReceiptSender } from './use-receipt-sender';
import { t } from '../i18n/i18n';

interface ReceiptsInboxProps {
  receipts: PagesHandle<Receipt>;
  missing: PagesHandle<CardTransaction>;
  transactionOf: (id: string) => CardTransaction | undefined;
}

export function ReceiptsInbox({ receipts, missing, transactionOf }: ReceiptsInboxProps) {
  const { pages } = receipts;
  const sender = useReceiptSender();
  const missingItems = missing.pages.status === 'ready' ? missing.pages.items : [];
  return (
    <section className="card wide-card receipts-inbox" aria-labelledby="receipts-heading">
      <div className="card-title-row">
        <h2 id="receipts-heading">{t('receipts.inbox.heading')}</h2>
        <button type="button" className="link-button" onClick={receipts.reload} disabled={receipts.fetching}>
          {t('receipts.inbox.refresh')}
        </button>
      </div>
      <MissingReceipts missing={missing} />
      <DropZone sender={sender} />
      <ForwardingAddressField />
      {pages.status === 'loading' && <Loading what={t('receipts.inbox.loading')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={receipts.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{t('receipts.inbox.empty')}</Empty>
        ) : (
          <ul className="receipt-list" aria-label={t('receipts.inbox.list')}>
            {pages.items.map((receipt) => (
              <li key={receipt.id}>
                <ReceiptItem receipt={receipt} transactionOf={transactionOf} missing={missingItems} />
              </li>
            ))}
          </ul>
        ))}
      <MoreButton pages={pages} onMore={receipts.loadMore} what={t('receipts.inbox.more')} />
    </section>
  );
}

/** The big camera button; on a computer, receipts can also be dropped onto it. */
function DropZone({ sender }: { sender: ReceiptSender }) {
  const drop = useFileDrop((files) => void sender.send(files));
  return (
    <div className={`receipt-drop${drop.over ? ' receipt-drop-over' : ''}`} {...drop.handlers}>
      <ReceiptFileInput label={t('receipts.inbox.snap')} sender={sender} multiple className="primary big" showProblems={false} />
      <p className="muted small-text receipt-drop-hint">
        <span className="pointer-only">{t('receipts.inbox.dropHere')} </span>
        {t('receipts.inbox.kinds')}
      </p>
      <ReceiptFileInput label={t('receipts.inbox.chooseFile')} sender={sender} camera={false} showProblems={false} multiple className="link-button" />
      <SendProblems sender={sender} />
    </div>
  );
}
