// Below which available balance the admins are told to top up: once when the funds fall
// below it, and again only after they were back above. Bookkeepers see it; admins set it.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { LowBalanceAlert } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { useResource } from '../components/use-resource';
import { formatDateTime, formatMoney } from '../format';
import { useSession } from '../session';

export function LowBalanceAlertSection({ canChange }: { canChange: boolean }) {
  const { resource, reload } = useResource(() => api.get<LowBalanceAlert>('/wallet/low-balance-alert'), 'low-balance-alert');
  return (
    <section className="card" aria-labelledby="low-balance-heading">
      <h2 id="low-balance-heading">Low-balance alert</h2>
      <p className="muted small-text">Admins get a notification when the available funds fall below this amount, once until the wallet is topped up again.</p>
      {resource.status === 'loading' && <Loading what="the low-balance alert" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={reload} />}
      {resource.status === 'ready' && (canChange ? <AlertForm alert={resource.data} /> : <AlertFacts alert={resource.data} />)}
    </section>
  );
}

function AlertedNotice({ alert }: { alert: LowBalanceAlert }) {
  const { timeZone } = useSession().session.company;
  if (!alert.alertedAt || !alert.lowBalanceBelow) return null;
  return <p className="notice warning small-text">Below the threshold: the admins were told on {formatDateTime(alert.alertedAt, timeZone)}.</p>;
}

function AlertFacts({ alert }: { alert: LowBalanceAlert }) {
  return (
    <>
      <p>{alert.lowBalanceBelow ? `Admins are alerted below ${formatMoney(alert.lowBalanceBelow)}.` : 'No alert is set.'}</p>
      <AlertedNotice alert={alert} />
    </>
  );
}

function AlertForm({ alert: initial }: { alert: LowBalanceAlert }) {
  const { currency } = useSession().session.company;
  const [alert, setAlert] = useState(initial);
  const [below, setBelow] = useState(initial.lowBalanceBelow?.amount ?? '');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const problem = useFormProblem();

  async function save(lowBalanceBelow: string | null) {
    setBusy(true);
    setSaved(null);
    problem.setProblem(null);
    try {
      const stored = await api.put<LowBalanceAlert>('/wallet/low-balance-alert', { lowBalanceBelow });
      setAlert(stored);
      setBelow(stored.lowBalanceBelow?.amount ?? '');
      setSaved(stored.lowBalanceBelow ? `Saved: admins are alerted when the available funds fall below ${formatMoney(stored.lowBalanceBelow)}.` : 'Removed: no low-balance alert is set.');
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    const amount = below.trim();
    void save(amount === '' ? null : amount);
  }

  return (
    <form className="narrow-fields" onSubmit={submit} aria-label="Low-balance alert" noValidate>
      <TextField
        label={`Alert below (${currency})`}
        inputMode="decimal"
        autoComplete="off"
        value={below}
        onChange={setBelow}
        error={problem.forField('lowBalanceBelow')}
        hint="Leave empty for no alert."
      />
      <ProblemMessage problem={problem.forForm(['lowBalanceBelow'])} />
      <div className="button-row wrap">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save alert'}
        </button>
        {alert.lowBalanceBelow && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void save(null)}>
            Remove alert
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
