// The expense editor: what it was (merchant, day, amount or distance or days), its category
// and VAT or its split, a tag of each group, a note and the attendees of a meal. The owner
// saves and submits; a bookkeeper saves a correction. The server's problems are shown beside
// the input they name.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Expense, TagGroup } from '../api/types';
import { SelectField, TextAreaField, TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { formatMoney } from '../format';
import { draftOf, patchOf, type ExpenseDraft } from './expense-draft';
import { ExpenseLines } from './expense-lines';
import type { Books } from './use-books';

/** src/expenses/expense-fields.ts. */
export const merchantLengthMax = 200;
export const noteLengthMax = 1000;
export const routeLengthMax = 300;
const attendeesMax = 50;

const fieldsOfKind: Record<Expense['kind'], readonly string[]> = {
  card: [],
  out_of_pocket: ['merchant', 'spentOn', 'amount'],
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

export function ExpenseEditor({ expense, books, mode, onChanged }: ExpenseEditorProps) {
  const [draft, setDraft] = useState<ExpenseDraft>(() => draftOf(expense, books));
  const [busy, setBusy] = useState<'saving' | 'submitting' | null>(null);
  const problem = useFormProblem();
  const patch = patchOf(draft, expense);
  const path = `/expenses/${encodeURIComponent(expense.id)}`;

  async function save(then: 'save' | 'submit') {
    setBusy(then === 'save' ? 'saving' : 'submitting');
    problem.setProblem(null);
    try {
      const saved = patch ? await api.patch<Expense>(path, patch) : expense;
      if (then === 'save') {
        onChanged(saved, 'saved');
        return;
      }
      try {
        onChanged(await api.post<Expense>(`${path}/submit`), 'submitted');
      } catch (error) {
        if (saved !== expense) onChanged(saved, null);
        throw error;
      }
    } catch (error) {
      problem.fail(error);
      setBusy(null);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void save(mode === 'owner' ? 'submit' : 'save');
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
        <button type={mode === 'owner' ? 'button' : 'submit'} className={mode === 'owner' ? 'secondary' : 'primary'} disabled={busy !== null || patch === null} onClick={mode === 'owner' ? () => void save('save') : undefined}>
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
  problem: ReturnType<typeof useFormProblem>;
  onChange: (draft: ExpenseDraft) => void;
}

/** The inputs that say what was spent; a card purchase's come from the card network. */
function WhatFields({ draft, expense, problem, onChange }: WhatFieldsProps) {
  if (expense.kind === 'card') return null;
  const currency = expense.amount.currency;
  return (
    <div className="two-column-form">
      <TextField label={expense.kind === 'out_of_pocket' ? 'Merchant' : 'Description'} maxLength={merchantLengthMax} autoComplete="off" value={draft.merchant} onChange={(merchant) => onChange({ ...draft, merchant })} error={problem.forExactField('merchant')} />
      <TextField label="Date" type="date" required value={draft.spentOn} onChange={(spentOn) => onChange({ ...draft, spentOn })} error={problem.forExactField('spentOn')} />
      {expense.kind === 'out_of_pocket' && (
        <TextField label={`Amount (${currency})`} inputMode="decimal" autoComplete="off" required value={draft.amount} onChange={(amount) => onChange({ ...draft, amount })} error={problem.forExactField('amount')} hint="VAT included, as on the receipt." />
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
