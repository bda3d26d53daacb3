// Where a receipt of the inbox stands with what it belongs to: attached to a purchase (and
// where it disagrees with it, with the note it was attached with, or a form to add one),
// attached to an out-of-pocket expense (changed there, not here), purchases Outlay suggests
// (each marked where it disagrees: picking one of those asks for a note), or waiting for its
// purchase, with the purchases still missing a receipt to attach it to by hand. A receipt of
// an out-of-pocket expense names that expense and links to it; it offers no Attach, since
// the API refuses to attach it to a purchase (it is changed on the expense).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getQuery } from '../api/queries';
import type { CardTransaction, Receipt, ReceiptSuggestion } from '../api/types';
import { formatDate, formatDay, formatMoney } from '../format';
import { expensePath, Link } from '../router';
import { useSession } from '../session';
import { isBeingRead } from './receipt-labels';
import { MismatchNoteForm, ReceiptMismatches } from './receipt-mismatches';

/** A purchase the receipt is to be attached to once the person says why it belongs there. */
interface NoteWanted {
  transactionId: string;
  why: string;
}

interface MatchStateProps {
  receipt: Receipt;
  transactionOf: (id: string) => CardTransaction | undefined;
  missing: readonly CardTransaction[];
  busy: boolean;
  /** The server refused to attach the receipt without a note, naming why. */
  refused: NoteWanted | null;
  onAttach: (transactionId: string, note?: string) => void;
  /** The person gave up on a refused attachment. */
  onDismiss: () => void;
}

const reasonsOf = (suggestion: ReceiptSuggestion) => suggestion.mismatches.map((mismatch) => mismatch.reason).join('; ');

/** The out-of-pocket expense a receipt belongs to: what it is, and a link to it. */
function AttachedToExpense({ receipt, expenseId }: { receipt: Receipt; expenseId: string }) {
  const { t } = useTranslation();
  const expense = useQuery(getQuery('/api/v1/expenses/{id}', { params: { path: { id: expenseId } } }));
  const what = expense.data
    ? t('receipts.match.expenseNamed', { merchant: expense.data.merchant ?? t('receipts.match.noMerchant'), amount: formatMoney(expense.data.amount), date: formatDate(expense.data.spentOn) })
    : t('receipts.match.expenseUnnamed');
  return (
    <div className="match match-attached">
      <p>
        <span className="badge badge-receipt-attached">{t('receipts.match.attached')}</span> {what}{' '}
        <Link href={expensePath(expenseId)}>{t('receipts.match.openExpense')}</Link>
      </p>
      <ReceiptMismatches mismatches={receipt.match.mismatches} note={receipt.match.note} />
    </div>
  );
}

export function MatchState({ receipt, transactionOf, missing, busy, refused, onAttach, onDismiss }: MatchStateProps) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<NoteWanted | null>(null);
  const { match } = receipt;
  // Whatever its match state, a receipt of an expense is the expense's: nothing to attach.
  if (match.expenseId) return <AttachedToExpense receipt={receipt} expenseId={match.expenseId} />;
  if (match.state === 'matched' && match.transactionId) return <AttachedToPurchase receipt={receipt} transaction={transactionOf(match.transactionId)} busy={busy} onAttach={onAttach} />;
  const wanted = refused ?? picked;
  if (wanted) {
    return (
      <MismatchNoteForm
        why={t('receipts.match.disagreesWithPicked', { why: wanted.why.replace(/^the receipt does not agree with the purchase: /, '') })}
        submitLabel={t('receipts.match.attachWithNote')}
        busy={busy}
        onSubmit={(note) => onAttach(wanted.transactionId, note)}
        onCancel={() => {
          setPicked(null);
          onDismiss();
        }}
      />
    );
  }
  if (match.state === 'suggested' && match.suggestions.length > 0) {
    const pick = (suggestion: ReceiptSuggestion) => (suggestion.mismatches.length > 0 ? setPicked({ transactionId: suggestion.transactionId, why: reasonsOf(suggestion) }) : onAttach(suggestion.transactionId));
    return <Suggestions suggestions={match.suggestions} busy={busy} onPick={pick} />;
  }
  if (isBeingRead(receipt)) return <p className="match muted small-text">{t('receipts.match.lookingOnceRead')}</p>;
  return (
    <div className="match">
      <p className="muted small-text">{t('receipts.match.waiting')}</p>
      {missing.length > 0 && <AttachByHand missing={missing} busy={busy} onAttach={(transactionId) => onAttach(transactionId)} />}
    </div>
  );
}

function AttachedToPurchase({ receipt, transaction, busy, onAttach }: { receipt: Receipt; transaction: CardTransaction | undefined; busy: boolean; onAttach: MatchStateProps['onAttach'] }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const { match } = receipt;
  const [noting, setNoting] = useState(false);
  return (
    <div className="match match-attached">
      <p>
        <span className="badge badge-receipt-attached">{t('receipts.match.attached')}</span>{' '}
        {transaction
          ? t('receipts.match.toPurchase', { merchant: transaction.merchant.name, amount: formatMoney(transaction.walletAmount), date: formatDay(transaction.occurredAt, session.company.timeZone) })
          : t('receipts.match.toAPurchase')}
        {match.by === 'auto' && <span className="muted small-text"> {t('receipts.match.foundByOutlay')}</span>}
      </p>
      <ReceiptMismatches mismatches={match.mismatches} note={match.note} />
      {match.mismatches.length > 0 && match.transactionId && !noting && (
        <button type="button" className="secondary small" onClick={() => setNoting(true)}>
          {match.note ? t('receipts.match.changeNote') : t('receipts.match.sayWhy')}
        </button>
      )}
      {noting && match.transactionId && (
        <MismatchNoteForm
          why={t('receipts.match.reviewerSees')}
          submitLabel={t('receipts.match.saveNote')}
          busy={busy}
          onSubmit={(note) => {
            onAttach(match.transactionId!, note);
            setNoting(false);
          }}
          onCancel={() => setNoting(false)}
        />
      )}
    </div>
  );
}

function Suggestions({ suggestions, busy, onPick }: { suggestions: ReceiptSuggestion[]; busy: boolean; onPick: (suggestion: ReceiptSuggestion) => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  return (
    <div className="match">
      <p className="small-text">{t('receipts.match.whichPurchase')}</p>
      <ul className="suggestions">
        {suggestions.map((suggestion) => {
          const { transaction } = suggestion;
          const text = transaction
            ? `${transaction.merchant} · ${formatMoney(transaction.amount)} · ${formatDay(transaction.occurredAt, session.company.timeZone)}`
            : t('receipts.match.purchaseGone');
          return (
            <li key={suggestion.transactionId}>
              <span>
                {text}
                {suggestion.mismatches.length > 0 && (
                  <span className="suggestion-mismatch small-text">
                    {' '}
                    <span className="badge badge-flag">{t('receipts.match.disagrees')}</span> {reasonsOf(suggestion)}
                  </span>
                )}
              </span>
              <button type="button" className="secondary small" disabled={busy} aria-label={t('receipts.match.thisOneFor', { text })} onClick={() => onPick(suggestion)}>
                {t('receipts.match.thisOne')}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function AttachByHand({ missing, busy, onAttach }: { missing: readonly CardTransaction[]; busy: boolean; onAttach: (transactionId: string) => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const [transactionId, setTransactionId] = useState('');
  return (
    <div className="attach-by-hand">
      <select aria-label={t('receipts.match.attachToPurchase')} value={transactionId} onChange={(event) => setTransactionId(event.target.value)}>
        <option value="">{t('receipts.match.attachToPurchaseChoose')}</option>
        {missing.map((transaction) => (
          <option key={transaction.id} value={transaction.id}>
            {transaction.merchant.name} · {formatMoney(transaction.walletAmount)} · {formatDay(transaction.occurredAt, session.company.timeZone)}
          </option>
        ))}
      </select>
      <button type="button" className="secondary small" disabled={busy || transactionId === ''} onClick={() => onAttach(transactionId)}>
        {t('receipts.match.attach')}
      </button>
    </div>
  );
}
