// Closing a month: its expenses can no longer change (nor be filed) until it is reopened.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { ClosedPeriod } from '../api/types';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { ConfirmButton } from '../components/confirm-button';
import { Loaded } from '../components/loaded';
import { Empty, ProblemMessage } from '../components/status';
import { monthStartIn } from '../dates';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { t } from '../i18n/i18n';

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
  const periods = useQuery(getQuery('/api/v1/closed-periods'));
  return (
    <section className="card" aria-labelledby="closed-periods-heading">
      <h2 id="closed-periods-heading">{t('bookkeeper.periods.heading')}</h2>
      <Loaded query={periods} what={t('bookkeeper.periods.loading')}>
        {({ items }) => (items.length === 0 ? <Empty>{t('bookkeeper.periods.empty')}</Empty> : <PeriodsList periods={items} />)}
      </Loaded>
      <CloseForm />
    </section>
  );
}

function PeriodsList({ periods }: { periods: ClosedPeriod[] }) {
  const { session } = useSession();
  return (
    <ul className="team-list">
      {periods.map((period) => (
        <li key={period.period} className="period-item">
          <span>
            <strong>{formatPeriod(period.period)}</strong>
            <span className="muted small-text"> · closed {formatDateTime(period.closedAt, session.company.timeZone)}</span>
          </span>
          <ReopenButton period={period.period} />
        </li>
      ))}
    </ul>
  );
}

/** Closing or reopening a month changes which expenses may change: those are fetched again too. */
const periodsChanged = { invalidates: ['/api/v1/closed-periods', '/api/v1/expenses'] } as const;

function ReopenButton({ period }: { period: string }) {
  const reopen = useAction(() => ok(api.DELETE('/api/v1/closed-periods/{period}', { params: { path: { period } } })), periodsChanged);
  return (
    <>
      <ConfirmButton label={t('bookkeeper.periods.reopen')} accessibleLabel={t('bookkeeper.periods.reopenNamed', { period: formatPeriod(period) })} question={t('bookkeeper.periods.reopenQuestion', { period: formatPeriod(period) })} confirmLabel={t('bookkeeper.periods.reopenConfirm')} busy={reopen.isPending} onConfirm={() => reopen.mutate()} />
      <ProblemMessage problem={reopen.error} />
    </>
  );
}

function CloseForm() {
  const { timeZone } = useSession().session.company;
  const [period, setPeriod] = useState(() => lastMonthIn(timeZone));
  const close = useAction(() => ok(api.POST('/api/v1/closed-periods', { body: { period } })), periodsChanged);
  const problem = formProblem(close.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    close.mutate();
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('bookkeeper.periods.closeForm')}>
      <TextField label={t('bookkeeper.periods.month')} type="month" required value={period} onChange={setPeriod} error={problem.forField('period')} hint="YYYY-MM" />
      <ProblemMessage problem={problem.forForm(['period'])} />
      <button type="submit" className="secondary" disabled={close.isPending}>
        {close.isPending ? t('bookkeeper.periods.closing') : t('bookkeeper.periods.close')}
      </button>
    </form>
  );
}
