// Where a receipt of the inbox stands with what it belongs to: attached to a purchase (and
// where it disagrees with it, with the note it was attached with, or a form to add one),
// attached to an out-of-pocket expense (changed there, not here), purchases Outlay suggests
// (each marked where it disagrees: picking one of those asks for a note), or waiting for its
// purchase, with the purchases still missing a receipt to attach it to by hand.
import { useState } from 'react';
import type { CardTransaction, Receipt, ReceiptSuggestion } from '../api/types';
import { formatDay, formatMoney } from '../format';
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

export function MatchState({ receipt, transactionOf, missing, busy, refused, onAttach, onDismiss }: MatchStateProps) {
  const [picked, setPicked] = useState<NoteWanted | null>(null);
  const { match } = receipt;
  if (match.state === 'matched' && match.expenseId) {
    return (
      <div className="match match-attached">
        <p>
          <span className="badge badge-receipt-attached">Attached</span> to an out-of-pocket expense. <Link href={expensePath(match.expenseId)}>Open the expense</Link>
        </p>
        <ReceiptMismatches mismatches={match.mismatches} note={match.note} />
      </div>
    );
  }
  if (match.state === 'matched' && match.transactionId) return <AttachedToPurchase receipt={receipt} transaction={transactionOf(match.transactionId)} busy={busy} onAttach={onAttach} />;
  const wanted = refused ?? picked;
  if (wanted) {
    return (
      <MismatchNoteForm
        why={`This receipt does not agree with the purchase you picked: ${wanted.why.replace(/^the receipt does not agree with the purchase: /, '')}`}
        submitLabel="Attach with this note"
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
  if (isBeingRead(receipt)) return <p className="match muted small-text">Outlay looks for its purchase once it is read.</p>;
  return (
    <div className="match">
      <p className="muted small-text">Waiting for its purchase: Outlay attaches it when the purchase comes in.</p>
      {missing.length > 0 && <AttachByHand missing={missing} busy={busy} onAttach={(transactionId) => onAttach(transactionId)} />}
    </div>
  );
}

function AttachedToPurchase({ receipt, transaction, busy, onAttach }: { receipt: Receipt; transaction: CardTransaction | undefined; busy: boolean; onAttach: MatchStateProps['onAttach'] }) {
  const { session } = useSession();
  const { match } = receipt;
  const [noting, setNoting] = useState(false);
  return (
    <div className="match match-attached">
      <p>
        <span className="badge badge-receipt-attached">Attached</span>{' '}
        {transaction ? `to ${transaction.merchant.name} · ${formatMoney(transaction.walletAmount)} · ${formatDay(transaction.occurredAt, session.company.timeZone)}` : 'to a purchase'}
        {match.by === 'auto' && <span className="muted small-text"> (found by Outlay)</span>}
      </p>
      <ReceiptMismatches mismatches={match.mismatches} note={match.note} />
      {match.mismatches.length > 0 && match.transactionId && !noting && (
        <button type="button" className="secondary small" onClick={() => setNoting(true)}>
          {match.note ? 'Change the note' : 'Say why it belongs here'}
        </button>
      )}
      {noting && match.transactionId && (
        <MismatchNoteForm
          why="Your reviewer sees where the receipt disagrees with the purchase. Say why it belongs to it all the same."
          submitLabel="Save note"
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
  const { session } = useSession();
  return (
    <div className="match">
      <p className="small-text">Which purchase is it?</p>
      <ul className="suggestions">
        {suggestions.map((suggestion) => {
          const { transaction } = suggestion;
          const text = transaction
            ? `${transaction.merchant} · ${formatMoney(transaction.amount)} · ${formatDay(transaction.occurredAt, session.company.timeZone)}`
            : 'A purchase no longer shown';
          return (
            <li key={suggestion.transactionId}>
              <span>
                {text}
                {suggestion.mismatches.length > 0 && (
                  <span className="suggestion-mismatch small-text">
                    {' '}
                    <span className="badge badge-flag">Disagrees</span> {reasonsOf(suggestion)}
                  </span>
                )}
              </span>
              <button type="button" className="secondary small" disabled={busy} aria-label={`This one: ${text}`} onClick={() => onPick(suggestion)}>
                This one
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function AttachByHand({ missing, busy, onAttach }: { missing: readonly CardTransaction[]; busy: boolean; onAttach: (transactionId: string) => void }) {
  const { session } = useSession();
  const [transactionId, setTransactionId] = useState('');
  return (
    <div className="attach-by-hand">
      <select aria-label="Attach to a purchase" value={transactionId} onChange={(event) => setTransactionId(event.target.value)}>
        <option value="">Attach to a purchase…</option>
        {missing.map((transaction) => (
          <option key={transaction.id} value={transaction.id}>
            {transaction.merchant.name} · {formatMoney(transaction.walletAmount)} · {formatDay(transaction.occurredAt, session.company.timeZone)}
          </option>
        ))}
      </select>
      <button type="button" className="secondary small" disabled={busy || transactionId === ''} onClick={() => onAttach(transactionId)}>
        Attach
      </button>
    </div>
  );
}
