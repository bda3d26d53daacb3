// The bank account a person's reimbursements are paid to. The server checks the IBAN's
// check digits and says so beside the field.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { asProblem } from '../api/problem';
import { queryKeyOf, useAction } from '../api/queries';
import type { PayeeAccount } from '../api/types';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { ProblemMessage } from '../components/status';
import { useSession } from '../session';
import { t } from '../i18n/i18n';

const fieldNames = ['name', 'holderName', 'iban', 'bic'] as const;

/** None set yet is an answer too: the form starts empty. */
async function loadPayeeAccount(): Promise<PayeeAccount | null> {
  try {
    return await ok(api.GET('/api/v1/payee-account'));
  } catch (error) {
    if (asProblem(error).status === 404) return null;
    throw error;
  }
}

export function PayeeAccountForm() {
  const account = useQuery({ queryKey: queryKeyOf('/api/v1/payee-account'), queryFn: loadPayeeAccount });
  return (
    <section className="card" aria-labelledby="payee-account-heading">
      <h2 id="payee-account-heading">{t('expenses.payee.heading')}</h2>
      <p className="muted small-text">{t('expenses.payee.explain')}</p>
      <Loaded query={account} what="your bank account">
        {(data) => <PayeeFields account={data} />}
      </Loaded>
    </section>
  );
}

function PayeeFields({ account }: { account: PayeeAccount | null }) {
  const { session } = useSession();
  const [holderName, setHolderName] = useState(account?.holderName ?? session.person.name);
  const [iban, setIban] = useState(account?.iban ?? '');
  const [bic, setBic] = useState(account?.bic ?? '');
  const [saved, setSaved] = useState<PayeeAccount | null>(null);
  const body = { holderName: holderName.trim(), iban: iban.trim(), bic: bic.trim() || null };
  // What is owed to people depends on whether they have an account on file.
  const save = useAction(() => ok(api.PUT('/api/v1/payee-account', { body })), {
    invalidates: ['/api/v1/payee-account', '/api/v1/payouts/owed'],
    onSuccess: (stored) => {
      setIban(stored.iban);
      setBic(stored.bic ?? '');
      setSaved(stored);
    },
  });
  const problem = formProblem(save.error);
  const busy = save.isPending;
  const hasAccount = account !== null || saved !== null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    save.mutate();
  }

  return (
    <form onSubmit={submit} aria-label={t('expenses.payee.heading')}>
      {!hasAccount && <p className="notice warning small-text">{t('expenses.payee.none')}</p>}
      <TextField label={t('expenses.payee.holder')} required autoComplete="name" value={holderName} onChange={setHolderName} error={problem.forField('holderName') ?? problem.forField('name')} />
      <TextField label="IBAN" required autoComplete="off" spellCheck={false} value={iban} onChange={setIban} error={problem.forField('iban')} />
      <TextField label={t('expenses.payee.bic')} autoComplete="off" spellCheck={false} value={bic} onChange={setBic} error={problem.forField('bic')} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('expenses.editor.saving') : t('expenses.payee.save')}
      </button>
      {saved && (
        <p className="notice success small-text" role="status">
          {t('expenses.payee.saved', { iban: saved.iban })}
        </p>
      )}
    </form>
  );
}
