// An expense's receipt. A card expense has its purchase's: snapped here, it is attached to
// the purchase. Others carry their own: one of the person's receipts not yet attached to
// anything, picked or uploaded here, or detached again. Each change is saved at once.
import { useState } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Expense, Receipt } from '../api/types';
import { SelectField } from '../components/fields';
import { ProblemMessage } from '../components/status';
import { usePages } from '../components/use-pages';
import { formatDateTime } from '../format';
import { ReceiptFileInput } from '../receipts/receipt-file-input';
import { readTotal, receiptName, transactionReceiptLabels } from '../receipts/receipt-labels';
import { ReceiptThumbnail } from '../receipts/receipt-thumbnail';
import { receiptsChanged } from '../receipts/send-receipt';
import { useReceiptSender } from '../receipts/use-receipt-sender';
import { useSession } from '../session';

/** The person's latest receipts to pick from; an older one is uploaded again. */
const receiptsPageSize = 50;

/** A receipt that may still be attached: neither a purchase's nor another expense's. */
export const isFree = (receipt: Receipt) => receipt.match.state !== 'matched' && !receipt.match.expenseId;

export function receiptLabel(receipt: Receipt, timeZone: string): string {
  const total = readTotal(receipt);
  return `${receiptName(receipt)}${total ? ` · ${total}` : ''} · sent ${formatDateTime(receipt.createdAt, timeZone)}`;
}

/** Card purchases and out-of-pocket spending need a receipt; mileage and per diems show one only when attached. */
export const showsReceipt = (expense: Expense) => expense.kind === 'card' || expense.kind === 'out_of_pocket' || expense.receipt.receiptId !== null;

interface ExpenseReceiptProps {
  expense: Expense;
  /** Whether the viewer may change it (the owner while editable, or a bookkeeper). */
  editable: boolean;
  onChanged: (expense: Expense) => void;
}

export function ExpenseReceipt({ expense, editable, onChanged }: ExpenseReceiptProps) {
  const { receipt } = expense;
  return (
    <section className="expense-receipt" aria-labelledby={`receipt-of-${expense.id}`}>
      <h3 id={`receipt-of-${expense.id}`}>Receipt</h3>
      <div className="receipt-cell">
        {receipt.receiptId && <ReceiptThumbnail receiptId={receipt.receiptId} receipt={undefined} name={`Receipt of ${expense.merchant ?? 'this expense'}`} />}
        <span className={`badge badge-receipt-${receipt.state}`}>{transactionReceiptLabels[receipt.state]}</span>
      </div>
      {editable && expense.kind === 'card' && receipt.state === 'missing' && <SnapForPurchase expense={expense} />}
      {editable && expense.kind !== 'card' && <OwnReceipt expense={expense} onChanged={onChanged} />}
    </section>
  );
}

/** A receipt snapped for the card purchase; the expense, fetched again, shows it attached. */
function SnapForPurchase({ expense }: { expense: Expense }) {
  const sender = useReceiptSender(expense.cardTransactionId ?? undefined);
  return (
    <div className="row-actions receipt-actions">
      <ReceiptFileInput label="Snap receipt" accessibleLabel={`Snap receipt for ${expense.merchant ?? 'this purchase'}`} sender={sender} className="primary small" />
    </div>
  );
}

function OwnReceipt({ expense, onChanged }: { expense: Expense; onChanged: (expense: Expense) => void }) {
  const { session } = useSession();
  const receipts = usePages('/api/v1/receipts', receiptsPageSize, { userId: expense.userId });
  const [picked, setPicked] = useState('');
  const attachment = useAction((receiptId: string | null) => ok(api.PATCH('/api/v1/expenses/{id}', { params: { path: { id: expense.id } }, body: { receiptId } })), {
    invalidates: receiptsChanged,
    onSuccess: (updated) => {
      onChanged(updated);
      setPicked('');
    },
  });
  const busy = attachment.isPending;
  const attach = (receiptId: string | null) => attachment.mutate(receiptId);
  const sender = useReceiptSender(undefined, (receipt) => attach(receipt.id));
  const free = receipts.pages.status === 'ready' ? receipts.pages.items.filter(isFree) : [];
  const hasOne = expense.receipt.receiptId !== null;

  return (
    <div className="own-receipt">
      <div className="row-actions receipt-actions">
        <ReceiptFileInput label={hasOne ? 'Upload another receipt' : 'Snap or upload receipt'} sender={sender} className="primary small" />
        {hasOne && (
          <button type="button" className="secondary small" disabled={busy} onClick={() => void attach(null)}>
            Detach receipt
          </button>
        )}
      </div>
      {free.length > 0 && (
        <div className="attach-by-hand">
          <SelectField
            label="Or pick one you sent before"
            value={picked}
            onChange={setPicked}
            options={[{ value: '', label: 'Choose a receipt' }, ...free.map((receipt) => ({ value: receipt.id, label: receiptLabel(receipt, session.company.timeZone) }))]}
          />
          <button type="button" className="secondary small" disabled={busy || picked === ''} onClick={() => void attach(picked)}>
            Attach
          </button>
        </div>
      )}
      <ProblemMessage problem={attachment.error} />
    </div>
  );
}
