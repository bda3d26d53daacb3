// The signed-in person's own account: their password, two-step sign-in, and the sessions they are signed in
// with (where and when each began, when it was last used), each of which they may end, or
// all at once. Password reset by e-mail comes with e-mail delivery.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { OwnSession } from '../api/types';
import { ConfirmButton } from '../components/confirm-button';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { t } from '../i18n/i18n';
import { useSession } from '../session';
import { SectionPage } from './section-page';
import { TwoStepSection } from './two-step-section';

const passwordFields = ['currentPassword', 'newPassword'] as const;

export function AccountPage() {
  return (
    <SectionPage title={t('account.title')} lead={t('account.lead')}>
      <PasswordSection />
      <TwoStepSection />
      <SessionsSection />
    </SectionPage>
  );
}

function PasswordSection() {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [changed, setChanged] = useState(false);
  const change = useAction(() => ok(api.POST('/api/v1/me/password', { body: { currentPassword, newPassword } })), {
    invalidates: ['/api/v1/me/sessions'],
    onSuccess: () => {
      setChanged(true);
      setCurrentPassword('');
      setNewPassword('');
    },
  });
  const problem = formProblem(change.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setChanged(false);
    change.mutate();
  }

  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading">{t('account.password.heading')}</h2>
      <form onSubmit={submit} aria-label={t('account.password.heading')}>
        <TextField label={t('account.password.current')} type="password" required autoComplete="current-password" value={currentPassword} onChange={setCurrentPassword} error={problem.forField('currentPassword')} />
        <TextField label={t('account.password.new')} type="password" required autoComplete="new-password" minLength={12} value={newPassword} onChange={setNewPassword} error={problem.forField('newPassword')} hint={t('account.password.hint')} />
        <ProblemMessage problem={problem.forForm(passwordFields)} />
        {changed && (
          <p className="notice success" role="status">
            {t('account.password.changed')}
          </p>
        )}
        <button type="submit" className="primary" disabled={change.isPending}>
          {change.isPending ? t('account.password.changing') : t('account.password.change')}
        </button>
      </form>
    </section>
  );
}

function SessionsSection() {
  const { logOut } = useSession();
  const sessions = useQuery(getQuery('/api/v1/me/sessions'));
  const endAll = useAction(async () => {
    await ok(api.DELETE('/api/v1/me/sessions'));
    await logOut();
  });

  return (
    <section className="card wide-card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">{t('account.sessions.heading')}</h2>
      <p className="muted">{t('account.sessions.lead')}</p>
      {sessions.isPending && <Loading what={t('account.sessions.what')} />}
      {sessions.isError && <LoadError problem={sessions.error} onRetry={() => void sessions.refetch()} />}
      {sessions.data && (
        <table className="responsive-table">
          <thead>
            <tr>
              <th scope="col">{t('account.sessions.device')}</th>
              <th scope="col">{t('account.sessions.address')}</th>
              <th scope="col">{t('account.sessions.started')}</th>
              <th scope="col">{t('account.sessions.lastUsed')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('account.sessions.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.items.map((session) => (
              <SessionRow key={session.id} session={session} />
            ))}
          </tbody>
        </table>
      )}
      <ConfirmButton
        label={t('account.sessions.endAll')}
        accessibleLabel={t('account.sessions.endAll')}
        question={t('account.sessions.endAllQuestion')}
        confirmLabel={t('account.sessions.endAllConfirm')}
        busy={endAll.isPending}
        onConfirm={() => endAll.mutate()}
      />
      <ProblemMessage problem={endAll.error} />
    </section>
  );
}

function SessionRow({ session: row }: { session: OwnSession }) {
  const { session } = useSession();
  const timeZone = session.company.timeZone;
  const end = useAction(() => ok(api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id: row.id } } })), { invalidates: ['/api/v1/me/sessions'] });
  const device = row.userAgent ?? t('account.sessions.unknownDevice');

  return (
    <tr>
      <td data-label={t('account.sessions.device')}>
        {device}
        {row.current && <span className="badge badge-active">{t('account.sessions.thisOne')}</span>}
      </td>
      <td data-label={t('account.sessions.address')}>{row.ipAddress ?? '—'}</td>
      <td data-label={t('account.sessions.started')}>{formatDateTime(row.createdAt, timeZone)}</td>
      <td data-label={t('account.sessions.lastUsed')}>{row.lastUsedAt ? formatDateTime(row.lastUsedAt, timeZone) : '—'}</td>
      <td className="actions-cell">
        <div className="row-actions">
          {!row.current && (
            <ConfirmButton
              label={t('account.sessions.end')}
              accessibleLabel={t('account.sessions.endOne', { device })}
              question={t('account.sessions.endQuestion')}
              confirmLabel={t('account.sessions.endConfirm')}
              busy={end.isPending}
              onConfirm={() => end.mutate()}
            />
          )}
          <ProblemMessage problem={end.error} />
        </div>
      </td>
    </tr>
  );
}
