// Below which available balance the admins are told to top up: once when the funds fall
// below it, and again only after they were back above. Bookkeepers see it; admins set it.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { LowBalanceAlert } from '../api/types';
import { AmountField } from '../components/amount-field';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { ProblemMessage } from '../components/status';
import { formatDateTime, formatMoney } from '../format';
import { useSession } from '../session';
import { t } from '../i18n/i18n';

export function LowBalanceAlertSection({ canChange }: { canChange: boolean }) {
  const alert = useQuery(getQuery('/api/v1/wallet/low-balance-alert'));
  return (
    <section className="card" aria-labelledby="low-balance-heading">
      <h2 id="low-balance-heading">{t('wallet.alert.heading')}</h2>
      <p className="muted small-text">{t('wallet.alert.explain')}</p>
      <Loaded query={alert} what="the low-balance alert">
        {(data) => (canChange ? <AlertForm alert={data} /> : <AlertFacts alert={data} />)}
      </Loaded>
    </section>
  );
}

function AlertedNotice({ alert }: { alert: LowBalanceAlert }) {
  const { timeZone } = useSession().session.company;
  if (!alert.alertedAt || !alert.lowBalanceBelow) return null;
  return <p className="notice warning small-text">{t('wallet.alert.alerted', { date: formatDateTime(alert.alertedAt, timeZone) })}</p>;
}

function AlertFacts({ alert }: { alert: LowBalanceAlert }) {
  return (
    <>
      <p>{alert.lowBalanceBelow ? t('wallet.alert.alertedBelow', { amount: formatMoney(alert.lowBalanceBelow) }) : t('wallet.alert.none')}</p>
      <AlertedNotice alert={alert} />
    </>
  );
}

function AlertForm({ alert }: { alert: LowBalanceAlert }) {
  const { currency } = useSession().session.company;
  const [below, setBelow] = useState(alert.lowBalanceBelow?.amount ?? '');
  const [saved, setSaved] = useState<string | null>(null);
  const save = useAction((lowBalanceBelow: string | null) => ok(api.PUT('/api/v1/wallet/low-balance-alert', { body: { lowBalanceBelow } })), {
    invalidates: ['/api/v1/wallet/low-balance-alert'],
    onSuccess: (stored) => {
      setBelow(stored.lowBalanceBelow?.amount ?? '');
      setSaved(stored.lowBalanceBelow ? t('wallet.alert.saved', { amount: formatMoney(stored.lowBalanceBelow) }) : t('wallet.alert.removed'));
    },
  });
  const problem = formProblem(save.error);
  const busy = save.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    const amount = below.trim();
    setSaved(null);
    save.mutate(amount === '' ? null : amount);
  }

  return (
    <form className="narrow-fields" onSubmit={submit} aria-label={t('wallet.alert.heading')} noValidate>
      <AmountField
        label={t('wallet.alert.below', { currency })}
        currency={currency}
        value={below}
        onChange={setBelow}
        error={problem.forField('lowBalanceBelow')}
        hint={t('wallet.alert.empty')}
      />
      <ProblemMessage problem={problem.forForm(['lowBalanceBelow'])} />
      <div className="button-row wrap">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('expenses.editor.saving') : t('wallet.alert.save')}
        </button>
        {alert.lowBalanceBelow && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => {
              setSaved(null);
              save.mutate(null);
            }}
          >
            {t('wallet.alert.remove')}
          </button>
        )}
      </div>
      {saved && (
        <p className="notice success small-text" role="status">
          {saved}
        </p>
      )}
      <AlertedNotice alert={alert} />
    </form>
  );
}
