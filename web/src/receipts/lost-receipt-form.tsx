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
import { t } from '../i18n/i18n';

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
    <form className="lost-receipt-form" onSubmit={submit} aria-label={t('receipts.lost.lostFor', { merchant: transaction.merchant.name })}>
      <TextField
        label={t('receipts.lost.what')}
        required
        maxLength={lostNoteLengthMax}
        autoComplete="off"
        hint={t('receipts.lost.example')}
        value={note}
        onChange={setNote}
        error={problem.forField('note')}
      />
      <ProblemMessage problem={problem.forForm(['note'])} />
      <div className="button-row">
        <button type="submit" className="primary small" disabled={declare.isPending}>
          {declare.isPending ? t('expenses.editor.saving') : t('receipts.lost.declare')}
        </button>
        <button type="button" className="secondary small" onClick={onCancel}>
          {t('receipts.lost.cancel')}
        </button>
      </div>
    </form>
  );
}
