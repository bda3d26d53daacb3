// Closing a month: its expenses can no longer change (nor be filed) until it is reopened.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { ClosedPeriod } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { ConfirmButton } from '../components/confirm-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { useResource } from '../components/use-resource';
import { monthStartIn } from '../dates';
import { formatDateTime } from '../format';
import { useSession } from '../session';

/** "2025-03" → "March 2025", in the browser's language. */
export function formatPeriod(period: string): string {
  const parsed = new Date(`${period}-01T00:00:00Z`);
  if (!/^\d{4}-\d{2}$/.test(period) || Number.isNaN(parsed.getTime())) return period;
  return new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(parsed);
}

/** The month before this one in the company's time zone: the one a bookkeeper usually closes. */
function lastMonthIn(timeZone: string): string {
  const [year, month] = monthStartIn(timeZone).split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 2, 1)).toISOString().slice(0, 7);
}

export function ClosedPeriodsSection() {
  const { session } = useSession();
  const periods = useResource(() => api.get<{ items: ClosedPeriod[] }>('/closed-periods'), 'closed-periods');
  const { resource } = periods;
  return (
    <section className="card" aria-labelledby="closed-periods-heading">
      <h2 id="closed-periods-heading">Closed months</h2>
      {resource.status === 'loading' && <Loading what="the closed months" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={periods.reload} />}
      {resource.status === 'ready' &&
        (resource.data.items.length === 0 ? (
          <Empty>No month is closed: every expense can still change.</Empty>
        ) : (
          <ul className="team-list">
            {resource.data.items.map((period) => (
              <li key={period.period} className="period-item">
                <span>
                  <strong>{formatPeriod(period.period)}</strong>
                  <span className="muted small-text"> · closed {formatDateTime(period.closedAt, session.company.timeZone)}</span>
                </span>
                <ReopenButton period={period.period} onReopened={periods.reload} />
              </li>
            ))}
          </ul>
        ))}
      <CloseForm onClosed={periods.reload} />
    </section>
  );
}

function ReopenButton({ period, onReopened }: { period: string; onReopened: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  async function reopen() {
    setBusy(true);
    setProblem(null);
    try {
      await api.delete(`/closed-periods/${encodeURIComponent(period)}`);
      onReopened();
    } catch (error) {
      setProblem(asProblem(error));
      setBusy(false);
    }
  }
  return (
    <>
      <ConfirmButton label="Reopen" accessibleLabel={`Reopen ${formatPeriod(period)}`} question={`Reopen ${formatPeriod(period)}? Its expenses can change again.`} confirmLabel="Yes, reopen" busy={busy} onConfirm={reopen} />
      <ProblemMessage problem={problem} />
    </>
  );
}

function CloseForm({ onClosed }: { onClosed: () => void }) {
  const { timeZone } = useSession().session.company;
  const [period, setPeriod] = useState(() => lastMonthIn(timeZone));
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      await api.post('/closed-periods', { period });
      onClosed();
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Close a month">
      <TextField label="Month to close" type="month" required value={period} onChange={setPeriod} error={problem.forField('period')} hint="YYYY-MM" />
      <ProblemMessage problem={problem.forForm(['period'])} />
      <button type="submit" className="secondary" disabled={busy}>
        {busy ? 'Closing…' : 'Close month'}
      </button>
    </form>
  );
}
