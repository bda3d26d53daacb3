// Asks for a password reset link by e-mail. The answer is the same whether or not the address
// has an account, and so is what this page says.
import { useEffect, useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { t } from '../i18n/i18n';
import { Link } from '../router';

const fieldNames = ['email'] as const;

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const ask = useAction(() => ok(api.POST('/api/v1/password-resets', { body: { email } })));
  const problem = formProblem(ask.error);

  useEffect(() => {
    document.title = `${t('pages.forgotPassword.title')} · Outlay`;
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    ask.mutate();
  }

  return (
    <main className="centered">
      <section className="card auth-card">
        <p className="brand-large" aria-hidden="true">
          <span className="brand-mark">O</span> Outlay
        </p>
        <h1>{t('pages.forgotPassword.title')}</h1>
        {ask.isSuccess ? (
          <p role="status">{t('pages.forgotPassword.sent', { email })}</p>
        ) : (
          <form onSubmit={submit}>
            <p>{t('pages.forgotPassword.explain')}</p>
            <TextField label={t('pages.login.email')} type="email" name="email" autoComplete="username" required value={email} onChange={setEmail} error={problem.forField('email')} />
            <ProblemMessage problem={problem.forForm(fieldNames)} />
            <button type="submit" className="primary wide" disabled={ask.isPending}>
              {ask.isPending ? t('pages.forgotPassword.sending') : t('pages.forgotPassword.send')}
            </button>
          </form>
        )}
        <p>
          <Link href="/login">{t('pages.invite.goToLogIn')}</Link>
        </p>
      </section>
    </main>
  );
}
