// Declaring a purchase's receipt lost: the person says what happened, in a note the
// bookkeeper reads. A receipt sent later withdraws the declaration.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { CardTransaction } from '../api/types';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { receiptsChanged } from './send-receipt';

/** src/receipts/receipts.service.ts lostNoteLengthMax. */
const lostNoteLengthMax = 500;

interface LostReceiptFormProps {
  transaction: CardTransaction;
  onDeclared: () => void;
  onCancel: () => void;
}

export function LostReceiptForm({ transaction, onDeclared, onCancel }: LostReceiptFormProps) {
  const [note, setNote] = useState('');
  const declare = useAction(() => ok(api.POST('/api/v1/card-transactions/{id}/lost-receipt', { params: { path: { id: transaction.id } }, body: { note: note.trim() } })), {
    invalidates: receiptsChanged,
    onSuccess: onDeclared,
  });
  const problem = formProblem(declare.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    declare.mutate();
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
        <button type="submit" className="primary small" disabled={declare.isPending}>
          {declare.isPending ? 'Saving…' : 'Declare lost'}
        </button>
        <button type="button" className="secondary small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
