// The company's own bank account, which reimbursements are paid from: the debtor of every
// pain.001 file.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { ExpenseSettings } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { useResource } from '../components/use-resource';

export function DebtorAccountSection() {
  const { resource, reload } = useResource(() => api.get<ExpenseSettings>('/expense-settings'), 'expense-settings');
  return (
    <section className="card" aria-labelledby="debtor-heading">
      <h2 id="debtor-heading">Paying account</h2>
      <p className="muted small-text">The company’s bank account reimbursements are paid from.</p>
      {resource.status === 'loading' && <Loading what="the paying account" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={reload} />}
      {resource.status === 'ready' && <DebtorForm settings={resource.data} />}
    </section>
  );
}

function DebtorForm({ settings }: { settings: ExpenseSettings }) {
  const [name, setName] = useState(settings.debtor?.name ?? '');
  const [iban, setIban] = useState(settings.debtor?.iban ?? '');
  const [bic, setBic] = useState(settings.debtor?.bic ?? '');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const problem = useFormProblem();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    problem.setProblem(null);
    try {
      const stored = await api.patch<ExpenseSettings>('/expense-settings', { debtor: { name: name.trim(), iban: iban.trim(), bic: bic.trim() || null } });
      setIban(stored.debtor?.iban ?? '');
      setBic(stored.debtor?.bic ?? '');
      setSaved(true);
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} aria-label="Paying account">
      {!settings.debtor && !saved && <p className="notice warning small-text">No paying account yet: a payout batch needs one.</p>}
      <TextField label="Account name" required autoComplete="organization" value={name} onChange={setName} error={problem.forField('name')} />
      <TextField label="Company IBAN" required autoComplete="off" spellCheck={false} value={iban} onChange={setIban} error={problem.forField('iban')} />
      <TextField label="Company BIC (optional)" autoComplete="off" spellCheck={false} value={bic} onChange={setBic} error={problem.forField('bic')} />
      <ProblemMessage problem={problem.forForm(['name', 'iban', 'bic'])} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save paying account'}
      </button>
      {saved && (
        <p className="notice success small-text" role="status">
          Saved: payouts are paid from {iban}.
        </p>
      )}
    </form>
  );
}
