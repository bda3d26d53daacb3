// Where a receipt disagrees with the purchase or expense it is attached to (the server's
// check: amount, date, merchant), with the note its owner attached it with; shown the same
// on the receipt, the purchase and the expense, to their owner and their reviewer. And the
// note itself, asked for when a receipt that disagrees is attached by hand.
import { useState, type FormEvent } from 'react';
import type { ApiProblem } from '../api/problem';
import type { ReceiptMismatch } from '../api/types';
import { TextAreaField } from '../components/fields';
import { asSentence } from '../components/status';
import { t } from '../i18n/i18n';

/** src/receipts/receipt-checks.ts mismatchNoteLengthMax. */
export const mismatchNoteLengthMax = 500;

export const disagreesLabel = (): string => t('expenses.flags.receipt_mismatch');

/** The problem code of a receipt attached without the note its disagreement needs. */
export const isMismatchProblem = (problem: ApiProblem | null | undefined): problem is ApiProblem => problem?.code === 'receipt_mismatch';

/** `compact`: in a table cell, without the box around it. */
export function ReceiptMismatches({ mismatches, note, compact = false }: { mismatches: readonly ReceiptMismatch[]; note: string | null; compact?: boolean }) {
  if (mismatches.length === 0) return null;
  return (
    <div className={`small-text receipt-mismatch${compact ? ' receipt-mismatch-compact' : ' notice warning'}`} role="note" aria-label={disagreesLabel()}>
      <p>
        <span className="badge badge-flag">{disagreesLabel()}</span>
      </p>
      <ul className="mismatch-reasons">
        {mismatches.map((mismatch) => (
          <li key={mismatch.field}>{asSentence(mismatch.reason)}</li>
        ))}
      </ul>
      {note ? (
        <p className="mismatch-note">
          <strong>{t('receipts.mismatches.why')}</strong> <span className="break">“{note}”</span>
        </p>
      ) : (
        <p className="muted">{t('receipts.mismatches.noNote')}</p>
      )}
    </div>
  );
}

interface MismatchNoteFormProps {
  /** The server's refusal naming each disagreement, or the disagreements already known. */
  why: string;
  submitLabel: string;
  busy: boolean;
  /** A problem of the last try that is not the refusal itself (a note too long, the network). */
  problem?: string | undefined;
  onSubmit: (note: string) => void;
  onCancel?: () => void;
}

/** Asks why a receipt that disagrees belongs here; the server keeps the note with it. */
export function MismatchNoteForm({ why, submitLabel, busy, problem, onSubmit, onCancel }: MismatchNoteFormProps) {
  const [note, setNote] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    event.stopPropagation();
    onSubmit(note);
  }
  return (
    <form className="mismatch-note-form notice warning" onSubmit={submit} aria-label={t('expenses.fields.receiptNote')}>
      <p className="small-text">{asSentence(why)}</p>
      <TextAreaField
        label={t('expenses.fields.receiptNote')}
        required
        maxLength={mismatchNoteLengthMax}
        value={note}
        onChange={setNote}
        error={problem}
        hint={t('expenses.fields.receiptNoteHint')}
      />
      <div className="button-row wrap">
        <button type="submit" className="primary small" disabled={busy || note.trim() === ''}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="secondary small" disabled={busy} onClick={onCancel}>
            {t('receipts.mismatches.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
