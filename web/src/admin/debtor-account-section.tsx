// The company's own bank account, which reimbursements are paid from: the debtor of every
// pain.001 file.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { ExpenseSettings } from '../api/types';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { ProblemMessage } from '../components/status';
import { t } from '../i18n/i18n';

export function DebtorAccountSection() {
  const settings = useQuery(getQuery('/api/v1/expense-settings'));
  return (
    <section className="card" aria-labelledby="debtor-heading">
      <h2 id="debtor-heading">{t('admin.debtor.heading')}</h2>
      <p className="muted small-text">{t('admin.debtor.lead')}</p>
      <Loaded query={settings} what={t('admin.debtor.loading')}>
        {(data) => <DebtorForm settings={data} />}
      </Loaded>
    </section>
  );
}

function DebtorForm({ settings }: { settings: ExpenseSettings }) {
  const [name, setName] = useState(settings.debtor?.name ?? '');
  const [iban, setIban] = useState(settings.debtor?.iban ?? '');
  const [bic, setBic] = useState(settings.debtor?.bic ?? '');
  const [saved, setSaved] = useState(false);
  const debtor = { name: name.trim(), iban: iban.trim(), bic: bic.trim() || null };
  const save = useAction(() => ok(api.PATCH('/api/v1/expense-settings', { body: { debtor } })), {
    invalidates: ['/api/v1/expense-settings'],
    onSuccess: (stored) => {
      setIban(stored.debtor?.iban ?? '');
      setBic(stored.debtor?.bic ?? '');
      setSaved(true);
    },
  });
  const problem = formProblem(save.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  }
  return (
    <form onSubmit={submit} aria-label={t('admin.debtor.heading')}>
      {!settings.debtor && !saved && <p className="notice warning small-text">{t('admin.debtor.none')}</p>}
      <TextField label={t('admin.debtor.name')} required autoComplete="organization" value={name} onChange={setName} error={problem.forField('name')} />
      <TextField label={t('admin.debtor.iban')} required autoComplete="off" spellCheck={false} value={iban} onChange={setIban} error={problem.forField('iban')} />
      <TextField label={t('admin.debtor.bic')} autoComplete="off" spellCheck={false} value={bic} onChange={setBic} error={problem.forField('bic')} />
      <ProblemMessage problem={problem.forForm(['name', 'iban', 'bic'])} />
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? t('admin.saving') : t('admin.debtor.save')}
      </button>
      {saved && (
        <p className="notice success small-text" role="status">
          {t('admin.debtor.saved', { iban })}
        </p>
      )}
    </form>
  );
}
