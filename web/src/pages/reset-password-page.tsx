// Where a password reset link leads: a new password, once. Nobody is signed in by it: the
// person logs in with the new password afterwards.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { t } from '../i18n/i18n';
import { Link } from '../router';

/** The server's minimum; checked here too so the person learns it before submitting. */
const passwordLengthMin = 12;
const fieldNames = ['password'] as const;

export function ResetPasswordPage({ token }: { token: string }) {
  const link = useQuery(getQuery('/api/v1/password-resets/{token}', { params: { path: { token } } }));
  const [done, setDone] = useState(false);

  useEffect(() => {
    document.title = `${t('pages.resetPassword.title')} · Outlay`;
  }, []);

  return (
    <main className="centered">
      <section className="card auth-card">
        <p className="brand-large" aria-hidden="true">
          <span className="brand-mark">O</span> Outlay
        </p>
        {done ? (
          <>
            <h1>{t('pages.resetPassword.doneTitle')}</h1>
            <p role="status">{t('pages.resetPassword.done')}</p>
            <p>
              <Link href="/login">{t('pages.invite.goToLogIn')}</Link>
            </p>
          </>
        ) : (
          <>
            {link.isPending && <Loading what={t('pages.resetPassword.loading')} />}
            {link.isError &&
              (link.error.status === 404 || link.error.status === 410 ? (
                <>
                  <h1>{t('pages.resetPassword.unusable')}</h1>
                  <ProblemMessage problem={link.error} />
                  <p>
                    <Link href="/forgot-password">{t('pages.resetPassword.askAgain')}</Link>
                  </p>
                </>
              ) : (
                <LoadError problem={link.error} onRetry={() => void link.refetch()} />
              ))}
            {link.isSuccess && <NewPasswordForm token={token} companyName={link.data.companyName} expiresAt={link.data.expiresAt} onDone={() => setDone(true)} />}
          </>
        )}
      </section>
    </main>
  );
}

function NewPasswordForm({ token, companyName, expiresAt, onDone }: { token: string; companyName: string; expiresAt: string; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [localErrors, setLocalErrors] = useState<{ password?: string; repeated?: string }>({});
  const reset = useAction(() => ok(api.POST('/api/v1/password-resets/{token}', { params: { path: { token } }, body: { password } })), { onSuccess: onDone });
  const problem = formProblem(reset.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    reset.reset();
    const errors: { password?: string; repeated?: string } = {};
    if (password.length < passwordLengthMin) errors.password = t('pages.invite.tooShort');
    else if (password !== repeated) errors.repeated = t('pages.invite.differ');
    setLocalErrors(errors);
    if (errors.password || errors.repeated) return;
    reset.mutate();
  }

  return (
    <>
      <h1>{t('pages.resetPassword.title')}</h1>
      <p>{t('pages.resetPassword.forCompany', { company: companyName })}</p>
      <p className="muted small-text">{t('pages.invite.worksUntil', { time: formatDateTime(expiresAt) })}</p>
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('pages.resetPassword.password')}
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          hint={t('pages.invite.atLeast', { count: passwordLengthMin })}
          value={password}
          onChange={setPassword}
          error={localErrors.password ?? problem.forField('password')}
        />
        <TextField label={t('pages.invite.repeat')} type="password" name="repeat-password" autoComplete="new-password" required value={repeated} onChange={setRepeated} error={localErrors.repeated} />
        <ProblemMessage problem={problem.forForm(fieldNames)} />
        <button type="submit" className="primary wide" disabled={reset.isPending}>
          {reset.isPending ? t('pages.resetPassword.saving') : t('pages.resetPassword.save')}
        </button>
      </form>
    </>
  );
}
