import { useEffect, useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Session } from '../api/types';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { t } from '../i18n/i18n';
import { ForgotPasswordLink, SingleSignOn, SsoErrorMessage } from './login-extras';

const fieldNames = ['email', 'password'] as const;

export function LoginPage({ onLoggedIn }: { onLoggedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Signing in creates the session: the client sends it without an Idempotency-Key.
  const signIn = useAction(() => ok(api.POST('/api/v1/session', { body: { email, password } })), { onSuccess: onLoggedIn });
  const problem = formProblem(signIn.error);

  useEffect(() => {
    document.title = `${t('pages.login.logIn')} · Outlay`;
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate();
  }

  return (
    <main className="centered">
      <section className="card auth-card">
        <p className="brand-large" aria-hidden="true">
          <span className="brand-mark">O</span> Outlay
        </p>
        <h1>{t('pages.login.logIn')}</h1>
        <SsoErrorMessage />
        <form onSubmit={submit}>
          <TextField
            label={t('pages.login.email')}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={setEmail}
            error={problem.forField('email')}
          />
          <TextField
            label={t('pages.login.password')}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={setPassword}
            error={problem.forField('password')}
          />
          <ProblemMessage problem={problem.forForm(fieldNames)} />
          <button type="submit" className="primary wide" disabled={signIn.isPending}>
            {signIn.isPending ? t('pages.login.loggingIn') : t('pages.login.logIn')}
          </button>
        </form>
        <ForgotPasswordLink />
        <SingleSignOn />
        <p className="muted small-text">{t('pages.login.newHere')}</p>
      </section>
    </main>
  );
}
