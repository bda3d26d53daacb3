// A purchase's receipt in the transactions table: attached (with its picture, and where it
// disagrees with the purchase), missing, lost (with the note) or not needed. On the cardholder's own page a missing receipt can be
// snapped right there, or declared lost.
import { useState } from 'react';
import type { CardTransaction, Receipt } from '../api/types';
import { ReceiptFileInput } from './receipt-file-input';
import { LostReceiptForm } from './lost-receipt-form';
import { ReceiptMismatches } from './receipt-mismatches';
import { ReceiptThumbnail } from './receipt-thumbnail';
import { transactionReceiptLabels } from './receipt-labels';
import { useReceiptSender } from './use-receipt-sender';
import { t } from '../i18n/i18n';

function StateAndNote({ transaction }: { transaction: CardTransaction }) {
  const { state, lostNote, mismatches, mismatchNote } = transaction.receipt;
  return (
    <>
      <span className={`badge badge-receipt-${state}`}>{transactionReceiptLabels[state]}</span>
      {state === 'lost' && lostNote && <div className="muted small-text lost-note">“{lostNote}”</div>}
      {state === 'attached' && <ReceiptMismatches mismatches={mismatches} note={mismatchNote} compact />}
    </>
  );
}

/** The receipt state, as everyone's transactions show it, with a link to an attached one. */
export function ReceiptStateBadge({ transaction }: { transaction: CardTransaction }) {
  const { state, receiptId } = transaction.receipt;
  return (
    <div className="transaction-receipt">
      <StateAndNote transaction={transaction} />
      {state === 'attached' && receiptId && <ReceiptThumbnail receiptId={receiptId} receipt={undefined} name={t('receipts.transaction.receiptFor', { merchant: transaction.merchant.name })} />}
    </div>
  );
}

interface OwnTransactionReceiptProps {
  transaction: CardTransaction;
  /** The attached receipt, when the page has it loaded (for its picture). */
  receipt: Receipt | undefined;
}

export function OwnTransactionReceipt({ transaction, receipt }: OwnTransactionReceiptProps) {
  const [declaring, setDeclaring] = useState(false);
  const sender = useReceiptSender(transaction.id);
  const { state, receiptId } = transaction.receipt;
  const merchant = transaction.merchant.name;
  return (
    <div className="transaction-receipt">
      {state === 'attached' && receiptId && <ReceiptThumbnail receiptId={receiptId} receipt={receipt} name={t('receipts.transaction.receiptFor', { merchant })} small />}
      <StateAndNote transaction={transaction} />
      {(state === 'missing' || state === 'lost') && !declaring && (
        <div className="row-actions receipt-actions">
          <ReceiptFileInput label={state === 'lost' ? t('receipts.transaction.foundIt') : t('expenses.receipt.snap')} accessibleLabel={t('expenses.receipt.snapFor', { merchant })} sender={sender} className="primary small" />
          {state === 'missing' && (
            <button type="button" className="secondary small" aria-label={t('receipts.lost.lostFor', { merchant })} onClick={() => setDeclaring(true)}>
              {t('receipts.transaction.lost')}
            </button>
          )}
        </div>
      )}
      {declaring && (
        <LostReceiptForm transaction={transaction} onDeclared={() => setDeclaring(false)} onCancel={() => setDeclaring(false)} />
      )}
    </div>
  );
}
