// The company's receipt rules: above which amount a purchase needs a receipt, after how many
// days Outlay reminds the cardholder, and whether it freezes the card when one stays missing.
// Admins change them; bookkeepers and reviewers read them.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { ReceiptSettings } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { useResource } from '../components/use-resource';
import { formatMoney } from '../format';

const fieldNames = ['requiredAbove', 'reminderAfterDays', 'freezeAfterDays'] as const;
/** The range PATCH /receipt-settings accepts. */
const reminderDaysMax = 90;
const freezeDaysMax = 365;

export function ReceiptRules({ editable, onSaved }: { editable: boolean; onSaved?: () => void }) {
  const { resource, reload } = useResource(() => api.get<ReceiptSettings>('/receipt-settings'), 'receipt-settings');
  return (
    <section aria-labelledby="receipt-rules-heading">
      <h3 id="receipt-rules-heading">Receipt rules</h3>
      {resource.status === 'loading' && <Loading what="the receipt rules" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={reload} />}
      {resource.status === 'ready' && (editable ? <RulesForm settings={resource.data} onSaved={onSaved} /> : <RulesFacts settings={resource.data} />)}
    </section>
  );
}

function RulesFacts({ settings }: { settings: ReceiptSettings }) {
  return (
    <dl className="facts">
      <div>
        <dt>Receipt needed</dt>
        <dd>Above {formatMoney(settings.requiredAbove)}</dd>
      </div>
      <div>
        <dt>Reminder</dt>
        <dd>After {days(settings.reminderAfterDays)}</dd>
      </div>
      <div>
        <dt>Card frozen</dt>
        <dd>{settings.freezeAfterDays === null ? 'Never' : `After ${days(settings.freezeAfterDays)}`}</dd>
      </div>
    </dl>
  );
}

const days = (count: number) => `${count} ${count === 1 ? 'day' : 'days'}`;

function RulesForm({ settings, onSaved }: { settings: ReceiptSettings; onSaved: (() => void) | undefined }) {
  const [requiredAbove, setRequiredAbove] = useState(settings.requiredAbove.amount);
  const [reminderAfterDays, setReminderAfterDays] = useState(String(settings.reminderAfterDays));
  const [freezes, setFreezes] = useState(settings.freezeAfterDays !== null);
  const [freezeAfterDays, setFreezeAfterDays] = useState(String(settings.freezeAfterDays ?? Math.max(14, settings.reminderAfterDays)));
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<ReceiptSettings | null>(null);
  const problem = useFormProblem();
  const currency = settings.requiredAbove.currency;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setSaved(null);
    problem.setProblem(null);
    try {
      const body = {
        requiredAbove: requiredAbove.trim(),
        reminderAfterDays: Number(reminderAfterDays),
        freezeAfterDays: freezes ? Number(freezeAfterDays) : null,
      };
      setSaved(await api.patch<ReceiptSettings>('/receipt-settings', body));
      onSaved?.();
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="receipt-rules" onSubmit={submit} aria-label="Receipt rules">
      <TextField
        label={`Receipt needed above (${currency})`}
        required
        inputMode="decimal"
        autoComplete="off"
        hint="Purchases at or below this need no receipt; 0.00 asks for every one."
        value={requiredAbove}
        onChange={setRequiredAbove}
        error={problem.forField('requiredAbove')}
      />
      <TextField
        label="Remind after (days)"
        type="number"
        required
        min={1}
        max={reminderDaysMax}
        value={reminderAfterDays}
        onChange={setReminderAfterDays}
        error={problem.forField('reminderAfterDays')}
      />
      <div className="field">
        <label className="checkbox">
          <input type="checkbox" checked={freezes} onChange={(event) => setFreezes(event.target.checked)} />
          Freeze the card while a receipt is overdue
        </label>
        <small className="hint">Outlay unfreezes it by itself once the receipt is in or declared lost.</small>
      </div>
      {freezes && (
        <TextField
          label="Freeze card after (days)"
          type="number"
          required
          min={1}
          max={freezeDaysMax}
          hint="At least as many days as the reminder."
          value={freezeAfterDays}
          onChange={setFreezeAfterDays}
          error={problem.forField('freezeAfterDays')}
        />
      )}
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save rules'}
      </button>
      {saved && (
        <p className="notice success" role="status">
          Saved: receipts are needed above {formatMoney(saved.requiredAbove)}
          {saved.freezeAfterDays === null ? ', and cards are never frozen for them.' : `, and cards are frozen after ${days(saved.freezeAfterDays)}.`}
        </p>
      )}
    </form>
  );
}
