// Everyone's receipts, newest first, for admins, bookkeepers and reviewers (receipts:read):
// whose, what was read, and whether it is attached to its purchase (or an expense) and
// agrees with it. Read-only; while some are
// being read the list refreshes itself.
import type { Person, Receipt } from '../api/types';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import { usePages, type Pages } from '../components/use-pages';
import { formatDate, formatDateTime } from '../format';
import { useSession } from '../session';
import { ReceiptThumbnail } from './receipt-thumbnail';
import { isBeingRead, readTotal, receiptName } from './receipt-labels';
import { whileReading } from './reading-poll';
import { disagreesLabel } from './receipt-mismatches';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';

const receiptsPageSize = 50;

const matchLabels: Record<Receipt['match']['state'], string> = labelsOf('receipts.company.match', en.receipts.company.match);

export function CompanyReceipts({ people }: { people: Pages<Person> }) {
  const { session } = useSession();
  const receipts = usePages('/api/v1/receipts', receiptsPageSize, undefined, { pollWhile: whileReading });
  const { pages } = receipts;
  const nameOf = (userId: string) => (people.status === 'ready' ? (people.items.find((person) => person.id === userId)?.name ?? t('receipts.company.unknownPerson')) : '…');
  return (
    <section className="card wide-card" aria-labelledby="all-receipts-heading">
      <div className="card-title-row">
        <h2 id="all-receipts-heading">{t('receipts.company.heading')}</h2>
        <button type="button" className="link-button" onClick={receipts.reload} disabled={receipts.fetching}>
          {t('receipts.company.refresh')}
        </button>
      </div>
      {pages.status === 'loading' && <Loading what={t('receipts.inbox.more')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={receipts.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{t('receipts.company.empty')}</Empty>
        ) : (
          <table className="responsive-table receipts-table">
            <thead>
              <tr>
                <th scope="col">{t('receipts.company.receipt')}</th>
                <th scope="col">{t('receipts.company.person')}</th>
                <th scope="col">{t('receipts.company.read')}</th>
                <th scope="col">{t('receipts.company.purchase')}</th>
                <th scope="col">{t('receipts.company.sent')}</th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((receipt) => (
                <tr key={receipt.id}>
                  <td data-label={t('receipts.company.receipt')}>
                    <div className="receipt-cell">
                      <ReceiptThumbnail receiptId={receipt.id} receipt={receipt} name={t('receipts.item.openReceipt', { name: receiptName(receipt) })} small />
                      <span>{receiptName(receipt)}</span>
                    </div>
                  </td>
                  <td data-label={t('receipts.company.person')}>{nameOf(receipt.userId)}</td>
                  <td data-label={t('receipts.company.read')}>
                    <ReadSummary receipt={receipt} />
                  </td>
                  <td data-label={t('receipts.company.purchase')}>
                    <span className={`badge badge-match-${receipt.match.state}`}>{receipt.match.expenseId ? t('receipts.company.attachedToExpense') : matchLabels[receipt.match.state]}</span>
                    {receipt.match.mismatches.length > 0 && (
                      <div className="small-text">
                        <span className="badge badge-flag">{disagreesLabel()}</span>
                      </div>
                    )}
                    {receipt.duplicate && <div className="small-text"><span className="badge badge-duplicate">{t('receipts.item.possibleDuplicate')}</span></div>}
                  </td>
                  <td data-label={t('receipts.company.sent')}>{formatDateTime(receipt.createdAt, session.company.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={receipts.loadMore} what={t('receipts.inbox.more')} />
    </section>
  );
}

function ReadSummary({ receipt }: { receipt: Receipt }) {
  if (isBeingRead(receipt)) return <span className="muted">{t('receipts.item.reading')}</span>;
  if (receipt.reading.state === 'failed') return <span className="reading-failed">{t('receipts.company.couldNotRead')}</span>;
  return (
    <>
      {readTotal(receipt) ?? '—'}
      <div className="muted small-text">{formatDate(receipt.fields.date)}</div>
    </>
  );
}
