// Declaring a purchase's receipt lost: the person says what happened, in a note the
// bookkeeper reads. A receipt sent later withdraws the declaration.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { CardTransaction, LostReceipt } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';

/** src/receipts/receipts.service.ts lostNoteLengthMax. */
const lostNoteLengthMax = 500;

interface LostReceiptFormProps {
  transaction: CardTransaction;
  onDeclared: (lost: LostReceipt) => void;
  onCancel: () => void;
}

export function LostReceiptForm({ transaction, onDeclared, onCancel }: LostReceiptFormProps) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      onDeclared(await api.post<LostReceipt>(`/card-transactions/${encodeURIComponent(transaction.id)}/lost-receipt`, { note: note.trim() }));
    } catch (error) {
      problem.fail(error);
      setBusy(false);
    }
  }

  return (
    <form className="lost-receipt-form" onSubmit={submit} aria-label={`Receipt lost for ${transaction.merchant.name}`}>
      <TextField
        label="What happened to the receipt?"
        required
        maxLength={lostNoteLengthMax}
        autoComplete="off"
        hint="For example: the taxi had no printer."
        value={note}
        onChange={setNote}
        error={problem.forField('note')}
      />
      <ProblemMessage problem={problem.forForm(['note'])} />
      <div className="button-row">
        <button type="submit" className="primary small" disabled={busy}>
          {busy ? 'Saving…' : 'Declare lost'}
        </button>
        <button type="button" className="secondary small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
