// The expense settings a bookkeeper keeps: above which amount an expense waits for a
// reviewer, the mileage rate, the ledger's account codes and the numbers an export needs.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { ExpenseSettings } from '../api/types';
import { AmountField } from '../components/amount-field';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { ProblemMessage } from '../components/status';
import { formatMoney } from '../format';
import { useSession } from '../session';
import { t } from '../i18n/i18n';

const fieldNames = ['reviewThreshold', 'mileageRate', 'walletAccountCode', 'payableAccountCode', 'organisationNumber', 'datevConsultantNumber', 'datevClientNumber'] as const;

export function ExpenseSettingsSection() {
  const settings = useQuery(getQuery('/api/v1/expense-settings'));
  return (
    <section className="card" aria-labelledby="expense-settings-heading">
      <h2 id="expense-settings-heading">{t('bookkeeper.settings.heading')}</h2>
      <Loaded query={settings} what={t('bookkeeper.settings.loading')}>
        {(data) => <SettingsForm settings={data} />}
      </Loaded>
    </section>
  );
}

const optionalNumber = (text: string) => (text.trim() === '' ? null : Number(text.trim()));

function SettingsForm({ settings }: { settings: ExpenseSettings }) {
  const { session } = useSession();
  const currency = session.company.currency;
  const [reviewThreshold, setReviewThreshold] = useState(settings.reviewThreshold?.amount ?? '');
  const [mileageRate, setMileageRate] = useState(settings.mileageRate.amount);
  const [walletAccountCode, setWalletAccountCode] = useState(settings.walletAccountCode);
  const [payableAccountCode, setPayableAccountCode] = useState(settings.payableAccountCode);
  const [organisationNumber, setOrganisationNumber] = useState(settings.organisationNumber ?? '');
  const [consultant, setConsultant] = useState(settings.datevConsultantNumber?.toString() ?? '');
  const [client, setClient] = useState(settings.datevClientNumber?.toString() ?? '');
  const [saved, setSaved] = useState<ExpenseSettings | null>(null);
  const body = {
    reviewThreshold: reviewThreshold.trim() === '' ? null : reviewThreshold.trim(),
    mileageRate: mileageRate.trim(),
    walletAccountCode: walletAccountCode.trim(),
    payableAccountCode: payableAccountCode.trim(),
    organisationNumber: organisationNumber.trim() || null,
    datevConsultantNumber: optionalNumber(consultant),
    datevClientNumber: optionalNumber(client),
  };
  const save = useAction(() => ok(api.PATCH('/api/v1/expense-settings', { body })), { invalidates: ['/api/v1/expense-settings'], onSuccess: setSaved });
  const problem = formProblem(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    save.mutate();
  }

  return (
    <form onSubmit={submit} aria-label={t('bookkeeper.settings.heading')} noValidate>
      <AmountField label={t('bookkeeper.settings.reviewAbove', { currency })} currency={currency} value={reviewThreshold} onChange={setReviewThreshold} error={problem.forField('reviewThreshold')} hint={t('bookkeeper.settings.reviewHint')} />
      <AmountField label={t('bookkeeper.settings.mileageRate', { currency })} currency={currency} required value={mileageRate} onChange={setMileageRate} error={problem.forField('mileageRate')} />
      <div className="two-column-form">
        <TextField label={t('bookkeeper.settings.walletAccount')} autoComplete="off" required value={walletAccountCode} onChange={setWalletAccountCode} error={problem.forField('walletAccountCode')} />
        <TextField label={t('bookkeeper.settings.payableAccount')} autoComplete="off" required value={payableAccountCode} onChange={setPayableAccountCode} error={problem.forField('payableAccountCode')} hint={t('bookkeeper.settings.payableHint')} />
        <TextField label={t('bookkeeper.settings.organisationNumber')} autoComplete="off" value={organisationNumber} onChange={setOrganisationNumber} error={problem.forField('organisationNumber')} hint={t('bookkeeper.settings.sieHint')} />
        <TextField label={t('bookkeeper.settings.datevConsultant')} inputMode="numeric" autoComplete="off" value={consultant} onChange={setConsultant} error={problem.forField('datevConsultantNumber')} />
        <TextField label={t('bookkeeper.settings.datevClient')} inputMode="numeric" autoComplete="off" value={client} onChange={setClient} error={problem.forField('datevClientNumber')} />
      </div>
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? t('expenses.editor.saving') : t('bookkeeper.settings.save')}
      </button>
      {saved && (
        <p className="notice success small-text" role="status">
          {saved.reviewThreshold ? t('bookkeeper.settings.savedAbove', { amount: formatMoney(saved.reviewThreshold), rate: formatMoney(saved.mileageRate) }) : t('bookkeeper.settings.savedFlagged', { rate: formatMoney(saved.mileageRate) })}
        </p>
      )}
    </form>
  );
}
