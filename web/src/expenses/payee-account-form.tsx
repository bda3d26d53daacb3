// The bank account a person's reimbursements are paid to. The server checks the IBAN's
// check digits and says so beside the field.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { asProblem } from '../api/problem';
import type { PayeeAccount } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { useResource } from '../components/use-resource';
import { useSession } from '../session';

const fieldNames = ['name', 'holderName', 'iban', 'bic'] as const;

/** None set yet is an answer too: the form starts empty. */
async function loadPayeeAccount(): Promise<PayeeAccount | null> {
  try {
    return await api.get<PayeeAccount>('/payee-account');
  } catch (error) {
    if (asProblem(error).status === 404) return null;
    throw error;
  }
}

export function PayeeAccountForm() {
  const { resource, reload } = useResource(loadPayeeAccount, 'payee-account');
  return (
    <section className="card" aria-labelledby="payee-account-heading">
      <h2 id="payee-account-heading">Your bank account</h2>
      <p className="muted small-text">What you paid yourself is paid back to this account.</p>
      {resource.status === 'loading' && <Loading what="your bank account" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={reload} />}
      {resource.status === 'ready' && <PayeeFields account={resource.data} />}
    </section>
  );
}

function PayeeFields({ account }: { account: PayeeAccount | null }) {
  const { session } = useSession();
  const [holderName, setHolderName] = useState(account?.holderName ?? session.person.name);
  const [iban, setIban] = useState(account?.iban ?? '');
  const [bic, setBic] = useState(account?.bic ?? '');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<PayeeAccount | null>(null);
  const [hasAccount, setHasAccount] = useState(account !== null);
  const problem = useFormProblem();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setSaved(null);
    problem.setProblem(null);
    try {
      const stored = await api.put<PayeeAccount>('/payee-account', { holderName: holderName.trim(), iban: iban.trim(), bic: bic.trim() || null });
      setIban(stored.iban);
      setBic(stored.bic ?? '');
      setSaved(stored);
      setHasAccount(true);
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Your bank account">
      {!hasAccount && <p className="notice warning small-text">No bank account yet: Outlay cannot pay you back until you add one.</p>}
      <TextField label="Account holder" required autoComplete="name" value={holderName} onChange={setHolderName} error={problem.forField('holderName') ?? problem.forField('name')} />
      <TextField label="IBAN" required autoComplete="off" spellCheck={false} value={iban} onChange={setIban} error={problem.forField('iban')} />
      <TextField label="BIC (optional)" autoComplete="off" spellCheck={false} value={bic} onChange={setBic} error={problem.forField('bic')} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save bank account'}
      </button>
      {saved && (
        <p className="notice success small-text" role="status">
          Saved: reimbursements go to {saved.iban}.
        </p>
      )}
    </form>
  );
}
