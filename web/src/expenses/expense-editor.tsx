// The expense editor: what it was (merchant, day, amount or distance or days), its category
// and VAT or its split, a tag of each group, a note and the attendees of a meal. The owner
// saves and submits; a bookkeeper saves a correction. The server's problems are shown beside
// the input they name.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Expense, TagGroup } from '../api/types';
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
    <form className="expense-editor" onSubmit={submit} aria-label={mode === 'owner' ? 'Expense details' : 'Correct the expense'} noValidate>
      {mode === 'correction' && <p className="notice warning small-text">You are correcting this expense as a bookkeeper: an approved one is booked again, an exported one goes into the next export.</p>}
      <WhatFields draft={draft} expense={expense} problem={problem} onChange={setDraft} />
      <ExpenseLines draft={draft} expense={expense} books={books} problem={problem} onChange={setDraft} />
      <TagSelects groups={books.tagGroups} draft={draft} error={problem.forField('tagIds')} onChange={setDraft} />
      <TextAreaField label="Note" maxLength={noteLengthMax} value={draft.note} onChange={(note) => setDraft({ ...draft, note })} error={problem.forExactField('note')} hint="What it was for, if the category does not say." />
      <TextAreaField
        label="Attendees"
        value={draft.attendees}
        onChange={(attendees) => setDraft({ ...draft, attendees })}
        error={problem.forField('attendees')}
        hint={`For meals: who was there, one name a line (at most ${attendeesMax}).`}
      />
      <ProblemMessage problem={problem.forForm([...fieldsOfKind[expense.kind], ...commonFields])} />
      <div className="button-row wrap">
        {mode === 'owner' && (
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'submitting' ? 'Submitting…' : expense.state === 'changes_requested' ? 'Submit again' : 'Submit'}
          </button>
        )}
        <button type={mode === 'owner' ? 'button' : 'submit'} className={mode === 'owner' ? 'secondary' : 'primary'} disabled={busy !== null || patch === null} onClick={mode === 'owner' ? () => save.mutate('save') : undefined}>
          {busy === 'saving' ? 'Saving…' : mode === 'owner' ? 'Save draft' : 'Save correction'}
        </button>
        {patch === null && <span className="muted small-text save-state">All changes saved.</span>}
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
      <TextField label={expense.kind === 'out_of_pocket' ? 'Merchant' : 'Description'} maxLength={merchantLengthMax} autoComplete="off" value={draft.merchant} onChange={(merchant) => onChange({ ...draft, merchant })} error={problem.forExactField('merchant')} />
      <TextField label="Date" type="date" required value={draft.spentOn} onChange={(spentOn) => onChange({ ...draft, spentOn })} error={problem.forExactField('spentOn')} />
      {expense.kind === 'out_of_pocket' && (
        <>
          <TextField label={`Amount (${draft.currency})`} inputMode="decimal" autoComplete="off" required value={draft.amount} onChange={(amount) => onChange({ ...draft, amount })} error={problem.forExactField('amount')} hint="VAT included, as on the receipt." />
          <SelectField label="Currency" value={draft.currency} onChange={(currency) => onChange({ ...draft, currency })} options={currencies.map((code) => ({ value: code, label: code }))} error={problem.forExactField('currency')} />
        </>
      )}
      {expense.kind === 'mileage' && (
        <>
          <TextField
            label="Distance (km)"
            inputMode="decimal"
            autoComplete="off"
            required
            value={draft.distanceKm}
            onChange={(distanceKm) => onChange({ ...draft, distanceKm })}
            error={problem.forExactField('distanceKm')}
            hint={expense.mileage ? `At ${formatMoney(expense.mileage.ratePerKm)} per km; Outlay works out the amount.` : undefined}
          />
          <TextField label="Route" maxLength={routeLengthMax} autoComplete="off" value={draft.route} onChange={(route) => onChange({ ...draft, route })} error={problem.forExactField('route')} />
        </>
      )}
      {expense.kind === 'per_diem' && (
        <TextField
          label="Days"
          type="number"
          min={1}
          max={366}
          required
          value={draft.days}
          onChange={(days) => onChange({ ...draft, days })}
          error={problem.forExactField('days')}
          hint={expense.perDiem ? `In ${expense.perDiem.country} at ${formatMoney(expense.perDiem.dailyRate)} a day.` : undefined}
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
      <legend>Tags</legend>
      <div className="two-column-form">
        {groups.map((group) => {
          const current = draft.tags[group.id] ?? '';
          const options = [{ value: '', label: 'None' }, ...group.tags.filter((tag) => tag.active || tag.id === current).map((tag) => ({ value: tag.id, label: tag.active ? tag.name : `${tag.name} – retired` }))];
          return <SelectField key={group.id} label={group.name} value={current} onChange={(tagId) => onChange({ ...draft, tags: { ...draft.tags, [group.id]: tagId } })} options={options} />;
        })}
      </div>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
