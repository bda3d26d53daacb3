// The expense editor: what it was (merchant, day, amount or distance or days), its category
// and VAT or its split, a tag of each group, a note and the attendees of a meal. The owner
// saves and submits; a bookkeeper saves a correction. The server's problems are shown beside
// the input they name.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Expense, TagGroup } from '../api/types';
import { AmountField } from '../components/amount-field';
import { SelectField, TextAreaField, TextField } from '../components/fields';
import { formProblem, type FormProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { formatMoney } from '../format';
import { useSession } from '../session';
import { expenseChanged } from './expense-changes';
import { draftOf, patchOf, type ExpenseDraft } from './expense-draft';
import { ExpenseLines } from './expense-lines';
import { paidCurrencies } from './receipt-prefill';
import type { Books } from './use-books';
import { t } from '../i18n/i18n';

/** src/expenses/expense-fields.ts. */
export const merchantLengthMax = 200;
export const noteLengthMax = 1000;
export const routeLengthMax = 300;
const attendeesMax = 50;

const fieldsOfKind: Record<Expense['kind'], readonly string[]> = {
  card: [],
  out_of_pocket: ['merchant', 'spentOn', 'amount', 'currency', 'receiptNote'],
  mileage: ['merchant', 'spentOn', 'distanceKm', 'route'],
  per_diem: ['merchant', 'spentOn', 'days'],
};
const commonFields = ['lines', 'categoryId', 'taxCodeId', 'tagIds', 'note', 'attendees'] as const;

export type EditorMode = 'owner' | 'correction';

interface ExpenseEditorProps {
  expense: Expense;
  books: Books;
  mode: EditorMode;
  /** After a save or a submit, with what the server returned; null: saved on the way to a
   * submit the server then refused, so the editor stays as it is, with the refusal. */
  onChanged: (expense: Expense, outcome: 'saved' | 'submitted' | null) => void;
}

/** Saves the changes, then, for a submit, submits: answers what the server kept last. */
function useSaveExpense(expense: Expense, patch: ReturnType<typeof patchOf>, onChanged: ExpenseEditorProps['onChanged']) {
  const path = { params: { path: { id: expense.id } } };
  return useAction(
    async (then: 'save' | 'submit') => {
      const saved = patch ? await ok(api.PATCH('/api/v1/expenses/{id}', { ...path, body: patch })) : expense;
      if (then === 'save') return { expense: saved, outcome: 'saved' as const };
      try {
        return { expense: await ok(api.POST('/api/v1/expenses/{id}/submit', path)), outcome: 'submitted' as const };
      } catch (error) {
        if (saved !== expense) onChanged(saved, null);
        throw error;
      }
    },
    { invalidates: expenseChanged, onSuccess: (result) => onChanged(result.expense, result.outcome) },
  );
}

export function ExpenseEditor({ expense, books, mode, onChanged }: ExpenseEditorProps) {
  const [draft, setDraft] = useState<ExpenseDraft>(() => draftOf(expense, books));
  const patch = patchOf(draft, expense);
  const save = useSaveExpense(expense, patch, onChanged);
  const busy = save.isPending ? (save.variables === 'save' ? 'saving' : 'submitting') : null;
  const problem = formProblem(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(mode === 'owner' ? 'submit' : 'save');
  }

  return (
    <form className="expense-editor" onSubmit={submit} aria-label={mode === 'owner' ? t('expenses.editor.details') : t('expenses.editor.correct')} noValidate>
      {mode === 'correction' && <p className="notice warning small-text">{t('expenses.editor.correctionNotice')}</p>}
      <WhatFields draft={draft} expense={expense} problem={problem} onChange={setDraft} />
      <ExpenseLines draft={draft} expense={expense} books={books} problem={problem} onChange={setDraft} />
      <TagSelects groups={books.tagGroups} draft={draft} error={problem.forField('tagIds')} onChange={setDraft} />
      <TextAreaField label={t('expenses.editor.note')} maxLength={noteLengthMax} value={draft.note} onChange={(note) => setDraft({ ...draft, note })} error={problem.forExactField('note')} hint={t('expenses.editor.noteHint')} />
      <TextAreaField
        label={t('expenses.editor.attendees')}
        value={draft.attendees}
        onChange={(attendees) => setDraft({ ...draft, attendees })}
        error={problem.forField('attendees')}
        hint={t('expenses.editor.attendeesHint', { count: attendeesMax })}
      />
      <ProblemMessage problem={problem.forForm([...fieldsOfKind[expense.kind], ...commonFields])} />
      <div className="button-row wrap">
        {mode === 'owner' && (
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'submitting' ? t('expenses.editor.submitting') : expense.state === 'changes_requested' ? t('expenses.editor.submitAgain') : t('expenses.editor.submit')}
          </button>
        )}
        <button type={mode === 'owner' ? 'button' : 'submit'} className={mode === 'owner' ? 'secondary' : 'primary'} disabled={busy !== null || patch === null} onClick={mode === 'owner' ? () => save.mutate('save') : undefined}>
          {busy === 'saving' ? t('expenses.editor.saving') : mode === 'owner' ? t('expenses.editor.saveDraft') : t('expenses.editor.saveCorrection')}
        </button>
        {patch === null && <span className="muted small-text save-state">{t('expenses.editor.allSaved')}</span>}
      </div>
    </form>
  );
}

interface WhatFieldsProps {
  draft: ExpenseDraft;
  expense: Expense;
  problem: FormProblem;
  onChange: (draft: ExpenseDraft) => void;
}

/** The inputs that say what was spent; a card purchase's come from the card network. */
function WhatFields({ draft, expense, problem, onChange }: WhatFieldsProps) {
  const { session } = useSession();
  if (expense.kind === 'card') return null;
  const currencies = [session.company.currency, ...paidCurrencies.filter((code) => code !== session.company.currency)];
  return (
    <div className="two-column-form">
      <TextField label={expense.kind === 'out_of_pocket' ? t('expenses.fields.merchant') : t('expenses.fields.description')} maxLength={merchantLengthMax} autoComplete="off" value={draft.merchant} onChange={(merchant) => onChange({ ...draft, merchant })} error={problem.forExactField('merchant')} />
      <TextField label={t('expenses.fields.date')} type="date" required value={draft.spentOn} onChange={(spentOn) => onChange({ ...draft, spentOn })} error={problem.forExactField('spentOn')} />
      {expense.kind === 'out_of_pocket' && (
        <>
          <AmountField label={t('expenses.fields.amountIn', { currency: draft.currency })} currency={draft.currency} required value={draft.amount} onChange={(amount) => onChange({ ...draft, amount })} error={problem.forExactField('amount')} hint={t('expenses.fields.amountHint')} />
          <SelectField label={t('expenses.fields.currency')} value={draft.currency} onChange={(currency) => onChange({ ...draft, currency })} options={currencies.map((code) => ({ value: code, label: code }))} error={problem.forExactField('currency')} />
        </>
      )}
      {expense.kind === 'mileage' && (
        <>
          <AmountField
            label={t('expenses.fields.distanceKm')}
            decimals={3}
            required
            value={draft.distanceKm}
            onChange={(distanceKm) => onChange({ ...draft, distanceKm })}
            error={problem.forExactField('distanceKm')}
            hint={expense.mileage ? t('expenses.editor.mileageHint', { rate: formatMoney(expense.mileage.ratePerKm) }) : undefined}
          />
          <TextField label={t('expenses.fields.route')} maxLength={routeLengthMax} autoComplete="off" value={draft.route} onChange={(route) => onChange({ ...draft, route })} error={problem.forExactField('route')} />
        </>
      )}
      {expense.kind === 'per_diem' && (
        <TextField
          label={t('expenses.fields.days')}
          type="number"
          min={1}
          max={366}
          required
          value={draft.days}
          onChange={(days) => onChange({ ...draft, days })}
          error={problem.forExactField('days')}
          hint={expense.perDiem ? t('expenses.editor.perDiemHint', { country: expense.perDiem.country, rate: formatMoney(expense.perDiem.dailyRate) }) : undefined}
        />
      )}
    </div>
  );
}

/** One tag of each group at most (the server refuses two of a group). */
function TagSelects({ groups, draft, error, onChange }: { groups: TagGroup[]; draft: ExpenseDraft; error: string | undefined; onChange: (draft: ExpenseDraft) => void }) {
  if (groups.length === 0) return null;
  return (
    <fieldset className="tag-selects">
      <legend>{t('expenses.editor.tags')}</legend>
      <div className="two-column-form">
        {groups.map((group) => {
          const current = draft.tags[group.id] ?? '';
          const options = [{ value: '', label: t('expenses.editor.noTag') }, ...group.tags.filter((tag) => tag.active || tag.id === current).map((tag) => ({ value: tag.id, label: tag.active ? tag.name : t('expenses.editor.retiredTag', { name: tag.name }) }))];
          return <SelectField key={group.id} label={group.name} value={current} onChange={(tagId) => onChange({ ...draft, tags: { ...draft.tags, [group.id]: tagId } })} options={options} />;
        })}
      </div>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
