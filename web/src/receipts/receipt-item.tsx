// One receipt in the inbox: its picture, what was read from it, and where it stands with its
// purchase: attached (and to which), suggested purchases to pick from, or waiting for its
// purchase to arrive. The owner can attach, detach and discard it.
import { useState } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { CardTransaction, Receipt, ReceiptSuggestion } from '../api/types';
import { ConfirmButton } from '../components/confirm-button';
import { ProblemMessage } from '../components/status';
import { formatDateTime, formatDay, formatMoney } from '../format';
import { useSession } from '../session';
import { ReceiptThumbnail } from './receipt-thumbnail';
import { duplicateLabels, isBeingRead, readFieldsText, receiptName } from './receipt-labels';
import { receiptsChanged } from './send-receipt';

const sourceLabels: Record<Receipt['source'], string> = {
  upload: 'Sent',
  email: 'E-mailed',
  api: 'Sent by an integration',
  demo: 'Sent',
};

interface ReceiptItemProps {
  receipt: Receipt;
  /** A transaction of the page's, to say which purchase the receipt is attached to. */
  transactionOf: (id: string) => CardTransaction | undefined;
  /** Purchases still missing a receipt, to attach this one to by hand. */
  missing: readonly CardTransaction[];
}

/** What the owner does with a receipt: attach it to a purchase, detach it, or discard it. */
type ReceiptAction = { action: 'attach'; transactionId: string } | { action: 'detach' } | { action: 'discard' };

function runReceiptAction(id: string, request: ReceiptAction): Promise<unknown> {
  const path = { params: { path: { id } } };
  if (request.action === 'attach') return ok(api.POST('/api/v1/receipts/{id}/match', { ...path, body: { transactionId: request.transactionId } }));
  if (request.action === 'detach') return ok(api.POST('/api/v1/receipts/{id}/unmatch', path));
  return ok(api.DELETE('/api/v1/receipts/{id}', path));
}

export function ReceiptItem({ receipt, transactionOf, missing }: ReceiptItemProps) {
  const { session } = useSession();
  const act = useAction((request: ReceiptAction) => runReceiptAction(receipt.id, request), { invalidates: receiptsChanged });
  const busy = act.isPending;
  const name = receiptName(receipt);
  const attach = (transactionId: string) => act.mutate({ action: 'attach', transactionId });

  return (
    <article className="receipt-item" aria-label={`Receipt ${name}`}>
      <ReceiptThumbnail receiptId={receipt.id} receipt={receipt} name={`Open receipt ${name}`} />
      <div className="receipt-item-body">
        <p className="receipt-item-title small-text">
          <strong>{sourceLabels[receipt.source]}</strong>
          <span className="muted">
            {' '}
            · {formatDateTime(receipt.createdAt, session.company.timeZone)}
            {receipt.fileName && ` · ${receipt.fileName}`}
          </span>
        </p>
        {receipt.email && <p className="muted small-text break">By e-mail{receipt.email.from ? ` from ${receipt.email.from}` : ''}{receipt.email.subject ? `: ${receipt.email.subject}` : ''}</p>}
        <ReadingResult receipt={receipt} />
        {receipt.duplicate && (
          <p className="small-text">
            <span className="badge badge-duplicate">Possible duplicate</span> {duplicateLabels[receipt.duplicate.reason]}
          </p>
        )}
        <MatchState receipt={receipt} transactionOf={transactionOf} missing={missing} busy={busy} onAttach={attach} />
        <div className="row-actions receipt-item-actions">
          {receipt.match.state === 'matched' ? (
            <button type="button" className="secondary small" disabled={busy} aria-label={`Detach receipt ${name} from its purchase`} onClick={() => act.mutate({ action: 'detach' })}>
              Detach
            </button>
          ) : (
            <ConfirmButton label="Discard" accessibleLabel={`Discard receipt ${name}`} question="Discard this receipt for good?" confirmLabel="Yes, discard" busy={busy} onConfirm={() => act.mutate({ action: 'discard' })} />
          )}
        </div>
        <ProblemMessage problem={act.error} />
      </div>
    </article>
  );
}

export function ReadingResult({ receipt }: { receipt: Receipt }) {
  if (isBeingRead(receipt)) {
    return (
      <p className="reading muted" role="status">
        Reading…
      </p>
    );
  }
  if (receipt.reading.state === 'failed') {
    return <p className="reading reading-failed small-text">Could not read this receipt. It is kept as it is; attach it to its purchase by hand.</p>;
  }
  return (
    <dl className="receipt-fields" aria-label="Read from the receipt">
      {readFieldsText(receipt).map((field) => (
        <div key={field.label}>
          <dt>{field.label}</dt>
          <dd>{field.value}</dd>
        </div>
      ))}
    </dl>
  );
}

interface MatchStateProps {
  receipt: Receipt;
  transactionOf: (id: string) => CardTransaction | undefined;
  missing: readonly CardTransaction[];
  busy: boolean;
  onAttach: (transactionId: string) => void;
}

function MatchState({ receipt, transactionOf, missing, busy, onAttach }: MatchStateProps) {
  const { session } = useSession();
  const { match } = receipt;
  if (match.state === 'matched' && match.transactionId) {
    const transaction = transactionOf(match.transactionId);
    return (
      <p className="match match-attached">
        <span className="badge badge-receipt-attached">Attached</span>{' '}
        {transaction
          ? `to ${transaction.merchant.name} · ${formatMoney(transaction.walletAmount)} · ${formatDay(transaction.occurredAt, session.company.timeZone)}`
          : 'to a purchase'}
        {match.by === 'auto' && <span className="muted small-text"> (found by Outlay)</span>}
      </p>
    );
  }
  if (match.state === 'suggested' && match.suggestions.length > 0) {
    return <Suggestions suggestions={match.suggestions} busy={busy} onAttach={onAttach} />;
  }
  if (isBeingRead(receipt)) return <p className="match muted small-text">Outlay looks for its purchase once it is read.</p>;
  return (
    <div className="match">
      <p className="muted small-text">Waiting for its purchase: Outlay attaches it when the purchase comes in.</p>
      {missing.length > 0 && <AttachByHand missing={missing} busy={busy} onAttach={onAttach} />}
    </div>
  );
}

function Suggestions({ suggestions, busy, onAttach }: { suggestions: ReceiptSuggestion[]; busy: boolean; onAttach: (transactionId: string) => void }) {
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
              <span>{text}</span>
              <button type="button" className="secondary small" disabled={busy} aria-label={`This one: ${text}`} onClick={() => onAttach(suggestion.transactionId)}>
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
