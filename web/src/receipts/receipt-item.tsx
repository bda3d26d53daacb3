// One receipt in the inbox: its picture, what was read from it, and where it stands with its
// purchase (receipt-match.tsx): attached (to which, and where it disagrees), suggested
// purchases to pick from, or waiting for its purchase to arrive; or attached to an
// out-of-pocket expense. The owner can attach, detach and discard it.
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { CardTransaction, Receipt } from '../api/types';
import { ConfirmButton } from '../components/confirm-button';
import { ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';
import { ReceiptThumbnail } from './receipt-thumbnail';
import { duplicateLabels, isBeingRead, readFieldsText, receiptName } from './receipt-labels';
import { MatchState } from './receipt-match';
import { isMismatchProblem } from './receipt-mismatches';
import { receiptsChanged } from './send-receipt';

const sourceLabels: Record<Receipt['source'], string> = labelsOf('receipts.item.sources', en.receipts.item.sources);

interface ReceiptItemProps {
  receipt: Receipt;
  /** A transaction of the page's, to say which purchase the receipt is attached to. */
  transactionOf: (id: string) => CardTransaction | undefined;
  /** Purchases still missing a receipt, to attach this one to by hand. */
  missing: readonly CardTransaction[];
}

/** What the owner does with a receipt: attach it to a purchase (with a note when it
 * disagrees, or only the note for the purchase it is attached to), detach it, or discard it. */
export type ReceiptAction = { action: 'attach'; transactionId: string; note?: string } | { action: 'detach' } | { action: 'discard' };

function runReceiptAction(id: string, request: ReceiptAction): Promise<unknown> {
  const path = { params: { path: { id } } };
  if (request.action === 'attach') return ok(api.POST('/api/v1/receipts/{id}/match', { ...path, body: { transactionId: request.transactionId, ...(request.note !== undefined ? { note: request.note } : {}) } }));
  if (request.action === 'detach') return ok(api.POST('/api/v1/receipts/{id}/unmatch', path));
  return ok(api.DELETE('/api/v1/receipts/{id}', path));
}

export function ReceiptItem({ receipt, transactionOf, missing }: ReceiptItemProps) {
  const { session } = useSession();
  const act = useAction((request: ReceiptAction) => runReceiptAction(receipt.id, request), { invalidates: receiptsChanged });
  const busy = act.isPending;
  const name = receiptName(receipt);
  const attach = (transactionId: string, note?: string) => act.mutate({ action: 'attach', transactionId, ...(note !== undefined ? { note } : {}) });
  // A refusal for want of a note is answered beside the purchase it was for (receipt-match.tsx).
  const refusedAttach = act.variables?.action === 'attach' && isMismatchProblem(act.error) ? { transactionId: act.variables.transactionId, why: act.error.detail } : null;

  return (
    <article className="receipt-item" aria-label={t('receipts.item.receiptNamed', { name })}>
      <ReceiptThumbnail receiptId={receipt.id} receipt={receipt} name={t('receipts.item.openReceipt', { name })} />
      <div className="receipt-item-body">
        <p className="receipt-item-title small-text">
          <strong>{sourceLabels[receipt.source]}</strong>
          <span className="muted">
            {' '}
            · {formatDateTime(receipt.createdAt, session.company.timeZone)}
            {receipt.fileName && ` · ${receipt.fileName}`}
          </span>
        </p>
        {receipt.email && <p className="muted small-text break">{receipt.email.from ? t('receipts.item.byEmailFrom', { from: receipt.email.from }) : t('receipts.item.byEmail')}{receipt.email.subject ? `: ${receipt.email.subject}` : ''}</p>}
        <ReadingResult receipt={receipt} />
        {receipt.duplicate && (
          <p className="small-text">
            <span className="badge badge-duplicate">{t('receipts.item.possibleDuplicate')}</span> {duplicateLabels[receipt.duplicate.reason]}
          </p>
        )}
        <MatchState receipt={receipt} transactionOf={transactionOf} missing={missing} busy={busy} refused={refusedAttach} onAttach={attach} onDismiss={() => act.reset()} />
        <div className="row-actions receipt-item-actions">
          {receipt.match.expenseId ? null : receipt.match.state === 'matched' ? (
            <button type="button" className="secondary small" disabled={busy} aria-label={t('receipts.item.detachNamed', { name })} onClick={() => act.mutate({ action: 'detach' })}>
              {t('receipts.item.detach')}
            </button>
          ) : (
            <ConfirmButton label={t('receipts.item.discard')} accessibleLabel={t('receipts.item.discardNamed', { name })} question={t('receipts.item.discardQuestion')} confirmLabel={t('receipts.item.discardConfirm')} busy={busy} onConfirm={() => act.mutate({ action: 'discard' })} />
          )}
        </div>
        {!refusedAttach && <ProblemMessage problem={act.error} />}
      </div>
    </article>
  );
}

export function ReadingResult({ receipt }: { receipt: Receipt }) {
  if (isBeingRead(receipt)) {
    return (
      <p className="reading muted" role="status">
        {t('receipts.item.reading')}
      </p>
    );
  }
  if (receipt.reading.state === 'failed') {
    return <p className="reading reading-failed small-text">{t('receipts.item.readFailed')}</p>;
  }
  return (
    <dl className="receipt-fields" aria-label={t('receipts.item.readFrom')}>
      {readFieldsText(receipt).map((field) => (
        <div key={field.label}>
          <dt>{field.label}</dt>
          <dd>{field.value}</dd>
        </div>
      ))}
    </dl>
  );
}
