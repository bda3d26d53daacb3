// An expense's receipt. A card expense has its purchase's: snapped here, it is attached to
// the purchase. Others carry their own: one of the person's receipts not yet attached to
// anything, picked or uploaded here, or detached again. Each change is saved at once. Where
// the receipt disagrees with the expense, everyone who sees the expense sees why, with the
// owner's note; the owner attaches such a receipt only with a note, and can add one later.
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
import { isMismatchProblem, MismatchNoteForm, ReceiptMismatches } from '../receipts/receipt-mismatches';
import { receiptsChanged } from '../receipts/send-receipt';
import { useReceiptSender } from '../receipts/use-receipt-sender';
import { useSession } from '../session';
import { t } from '../i18n/i18n';

/** The person's latest receipts to pick from; an older one is uploaded again. */
const receiptsPageSize = 50;

/** A receipt that may still be attached: neither a purchase's nor another expense's. */
export const isFree = (receipt: Receipt) => receipt.match.state !== 'matched' && !receipt.match.expenseId;

export function receiptLabel(receipt: Receipt, timeZone: string): string {
  const total = readTotal(receipt);
  return `${receiptName(receipt)}${total ? ` · ${total}` : ''} · ${t('expenses.receipt.sent', { date: formatDateTime(receipt.createdAt, timeZone) })}`;
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
      <h3 id={`receipt-of-${expense.id}`}>{t('expenses.receipt.heading')}</h3>
      <div className="receipt-cell">
        {receipt.receiptId && <ReceiptThumbnail receiptId={receipt.receiptId} receipt={undefined} name={expense.merchant ? t('expenses.receipt.receiptOf', { merchant: expense.merchant }) : t('expenses.receipt.receiptOfThis')} />}
        <span className={`badge badge-receipt-${receipt.state}`}>{transactionReceiptLabels[receipt.state]}</span>
      </div>
      <ReceiptMismatches mismatches={receipt.mismatches} note={receipt.note} />
      {editable && receipt.mismatches.length > 0 && <NoteOnReceipt expense={expense} onChanged={onChanged} />}
      {editable && expense.kind === 'card' && receipt.state === 'missing' && <SnapForPurchase expense={expense} />}
      {editable && expense.kind !== 'card' && <OwnReceipt expense={expense} onChanged={onChanged} />}
    </section>
  );
}

/** The owner says why a receipt that disagrees belongs to the expense: on the receipt of the
 * card purchase, or on the expense's own. */
function NoteOnReceipt({ expense, onChanged }: { expense: Expense; onChanged: (expense: Expense) => void }) {
  const [noting, setNoting] = useState(false);
  const { receiptId } = expense.receipt;
  const save = useAction(
    async (note: string) => {
      if (expense.kind === 'card') {
        await ok(api.POST('/api/v1/receipts/{id}/match', { params: { path: { id: receiptId ?? '' } }, body: { transactionId: expense.cardTransactionId ?? '', note } }));
        return ok(api.GET('/api/v1/expenses/{id}', { params: { path: { id: expense.id } } }));
      }
      return ok(api.PATCH('/api/v1/expenses/{id}', { params: { path: { id: expense.id } }, body: { receiptNote: note } }));
    },
    {
      invalidates: receiptsChanged,
      onSuccess: (updated) => {
        onChanged(updated);
        setNoting(false);
      },
    },
  );
  if (!receiptId) return null;
  if (!noting) {
    return (
      <button type="button" className="secondary small" onClick={() => setNoting(true)}>
        {expense.receipt.note ? t('receipts.match.changeNote') : t('receipts.match.sayWhy')}
      </button>
    );
  }
  return (
    <MismatchNoteForm
      why={expense.kind === 'card' ? t('receipts.match.reviewerSees') : t('expenses.receipt.reviewerSeesExpense')}
      submitLabel={t('receipts.match.saveNote')}
      busy={save.isPending}
      problem={save.error?.detail}
      onSubmit={(note) => save.mutate(note)}
      onCancel={() => setNoting(false)}
    />
  );
}

/** A receipt snapped for the card purchase; the expense, fetched again, shows it attached. */
function SnapForPurchase({ expense }: { expense: Expense }) {
  const sender = useReceiptSender(expense.cardTransactionId ?? undefined);
  return (
    <div className="row-actions receipt-actions">
      <ReceiptFileInput label={t('expenses.receipt.snap')} accessibleLabel={expense.merchant ? t('expenses.receipt.snapFor', { merchant: expense.merchant }) : t('expenses.receipt.snapForThis')} sender={sender} className="primary small" />
    </div>
  );
}

function OwnReceipt({ expense, onChanged }: { expense: Expense; onChanged: (expense: Expense) => void }) {
  const { session } = useSession();
  const receipts = usePages('/api/v1/receipts', receiptsPageSize, { userId: expense.userId });
  const [picked, setPicked] = useState('');
  const attachment = useAction(
    ({ receiptId, receiptNote }: { receiptId: string | null; receiptNote?: string }) =>
      ok(api.PATCH('/api/v1/expenses/{id}', { params: { path: { id: expense.id } }, body: { receiptId, ...(receiptNote !== undefined ? { receiptNote } : {}) } })),
    {
      invalidates: receiptsChanged,
      onSuccess: (updated) => {
        onChanged(updated);
        setPicked('');
      },
    },
  );
  const busy = attachment.isPending;
  const attach = (receiptId: string | null) => attachment.mutate({ receiptId });
  // A receipt that disagrees with the expense is attached once the owner says why.
  const refused = isMismatchProblem(attachment.error) && attachment.variables?.receiptId ? { receiptId: attachment.variables.receiptId, why: attachment.error.detail } : null;
  const sender = useReceiptSender(undefined, (receipt) => attach(receipt.id));
  const free = receipts.pages.status === 'ready' ? receipts.pages.items.filter(isFree) : [];
  const hasOne = expense.receipt.receiptId !== null;

  return (
    <div className="own-receipt">
      <div className="row-actions receipt-actions">
        <ReceiptFileInput label={hasOne ? t('expenses.receipt.uploadAnother') : t('expenses.new.snapReceipt')} sender={sender} className="primary small" />
        {hasOne && (
          <button type="button" className="secondary small" disabled={busy} onClick={() => void attach(null)}>
            {t('expenses.receipt.detach')}
          </button>
        )}
      </div>
      {free.length > 0 && (
        <div className="attach-by-hand">
          <SelectField
            label={t('expenses.new.pickSent')}
            value={picked}
            onChange={setPicked}
            options={[{ value: '', label: t('expenses.receipt.choose') }, ...free.map((receipt) => ({ value: receipt.id, label: receiptLabel(receipt, session.company.timeZone) }))]}
          />
          <button type="button" className="secondary small" disabled={busy || picked === ''} onClick={() => void attach(picked)}>
            {t('receipts.match.attach')}
          </button>
        </div>
      )}
      {refused ? (
        <MismatchNoteForm why={refused.why} submitLabel={t('receipts.match.attachWithNote')} busy={busy} onSubmit={(receiptNote) => attachment.mutate({ receiptId: refused.receiptId, receiptNote })} onCancel={() => attachment.reset()} />
      ) : (
        <ProblemMessage problem={attachment.error} />
      )}
    </div>
  );
}
