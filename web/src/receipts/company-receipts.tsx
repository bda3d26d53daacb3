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

const receiptsPageSize = 50;

const matchLabels: Record<Receipt['match']['state'], string> = {
  matched: 'Attached',
  suggested: 'Purchase to confirm',
  unmatched: 'Waiting for its purchase',
};

export function CompanyReceipts({ people }: { people: Pages<Person> }) {
  const { session } = useSession();
  const receipts = usePages('/api/v1/receipts', receiptsPageSize, undefined, { pollWhile: whileReading });
  const { pages } = receipts;
  const nameOf = (userId: string) => (people.status === 'ready' ? (people.items.find((person) => person.id === userId)?.name ?? 'Unknown person') : '…');
  return (
    <section className="card wide-card" aria-labelledby="all-receipts-heading">
      <div className="card-title-row">
        <h2 id="all-receipts-heading">All receipts</h2>
        <button type="button" className="link-button" onClick={receipts.reload} disabled={receipts.fetching}>
          Refresh
        </button>
      </div>
      {pages.status === 'loading' && <Loading what="receipts" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={receipts.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>No receipts yet.</Empty>
        ) : (
          <table className="responsive-table receipts-table">
            <thead>
              <tr>
                <th scope="col">Receipt</th>
                <th scope="col">Person</th>
                <th scope="col">Read</th>
                <th scope="col">Purchase</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((receipt) => (
                <tr key={receipt.id}>
                  <td data-label="Receipt">
                    <div className="receipt-cell">
                      <ReceiptThumbnail receiptId={receipt.id} receipt={receipt} name={`Open receipt ${receiptName(receipt)}`} small />
                      <span>{receiptName(receipt)}</span>
                    </div>
                  </td>
                  <td data-label="Person">{nameOf(receipt.userId)}</td>
                  <td data-label="Read">
                    <ReadSummary receipt={receipt} />
                  </td>
                  <td data-label="Purchase">
                    <span className={`badge badge-match-${receipt.match.state}`}>{receipt.match.expenseId ? 'Attached to an expense' : matchLabels[receipt.match.state]}</span>
                    {receipt.match.mismatches.length > 0 && (
                      <div className="small-text">
                        <span className="badge badge-flag">{disagreesLabel()}</span>
                      </div>
                    )}
                    {receipt.duplicate && <div className="small-text"><span className="badge badge-duplicate">Possible duplicate</span></div>}
                  </td>
                  <td data-label="Sent">{formatDateTime(receipt.createdAt, session.company.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={receipts.loadMore} what="receipts" />
    </section>
  );
}

function ReadSummary({ receipt }: { receipt: Receipt }) {
  if (isBeingRead(receipt)) return <span className="muted">Reading…</span>;
  if (receipt.reading.state === 'failed') return <span className="reading-failed">Could not read</span>;
  return (
    <>
      {readTotal(receipt) ?? '—'}
      <div className="muted small-text">{formatDate(receipt.fields.date)}</div>
    </>
  );
}
