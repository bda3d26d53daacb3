import { useEffect, useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Session } from '../api/types';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { t } from '../i18n/i18n';
import { answerWithPasskey } from '../passkeys/passkey-ceremony';
import { ForgotPasswordLink, SingleSignOn, SsoErrorMessage } from './login-extras';

const fieldNames = ['email', 'password'] as const;

/** A challenge single sign-on sent along in the fragment (/login#mfaChallenge=...), which no server sees. */
function challengeInFragment(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('mfaChallenge');
}

export function LoginPage({ onLoggedIn }: { onLoggedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // The right password of a person with two-step sign-in answers a challenge, not a session.
  const [challenge, setChallenge] = useState<string | null>(challengeInFragment);
  // An address whose password is right in several companies chooses one, then signs in to it.
  const [companies, setCompanies] = useState<{ id: string; name: string }[] | null>(null);
  // Signing in creates the session: the client sends it without an Idempotency-Key.
  const signIn = useAction((companyId: string | undefined) => ok(api.POST('/api/v1/session', { body: { email, password, ...(companyId ? { companyId } : {}) } })), {
    onSuccess: (answer) => {
      if ('mfaRequired' in answer) setChallenge(answer.challenge);
      else if ('chooseCompany' in answer) setCompanies(answer.companies);
      else onLoggedIn(answer);
    },
  });
  const problem = formProblem(signIn.error);

  useEffect(() => {
    document.title = `${t('pages.login.logIn')} · Outlay`;
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate(undefined);
  }

  if (challenge) {
    return <CodeStep challenge={challenge} onLoggedIn={onLoggedIn} onStartOver={() => setChallenge(null)} />;
  }
  if (companies) {
    return <CompanyChoice email={email} companies={companies} pending={signIn.isPending} problem={problem} onChoose={(companyId) => signIn.mutate(companyId)} onStartOver={() => setCompanies(null)} />;
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

/** The second step of signing in: the code of the authenticator app, a recovery code, or a passkey. */
function CodeStep({ challenge, onLoggedIn, onStartOver }: { challenge: string; onLoggedIn: (session: Session) => void; onStartOver: () => void }) {
  const [code, setCode] = useState('');
  const verify = useAction(() => ok(api.POST('/api/v1/session/mfa', { body: { challenge, code } })), { onSuccess: onLoggedIn });
  const withPasskey = useAction(
    async () => {
      const options = await ok(api.POST('/api/v1/session/mfa/passkey-options', { body: { challenge } }));
      return ok(api.POST('/api/v1/session/mfa', { body: { challenge, passkey: await answerWithPasskey(options) } }));
    },
    { onSuccess: onLoggedIn },
  );
  const problem = formProblem(verify.error ?? withPasskey.error);
  const busy = verify.isPending || withPasskey.isPending;

  useEffect(() => {
    if (window.location.hash) history.replaceState(null, '', window.location.pathname);
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    verify.mutate();
  }

  return (
    <main className="centered">
      <section className="card auth-card">
        <h1>{t('pages.login.logIn')}</h1>
        <p>{t('pages.login.codeLead')}</p>
        <form onSubmit={submit}>
          <TextField label={t('pages.login.code')} name="code" autoComplete="one-time-code" required autoFocus value={code} onChange={setCode} error={problem.forField('code')} />
          <ProblemMessage problem={problem.forForm(['code'])} />
          <button type="submit" className="primary wide" disabled={busy}>
            {verify.isPending ? t('pages.login.verifying') : t('pages.login.verify')}
          </button>
          <button type="button" className="secondary wide" disabled={busy} onClick={() => withPasskey.mutate()}>
            {withPasskey.isPending ? t('pages.login.waitingForPasskey') : t('pages.login.usePasskey')}
          </button>
        </form>
        <button type="button" className="secondary" onClick={onStartOver}>
          {t('pages.login.startOver')}
        </button>
      </section>
    </main>
  );
}

/** The address and password are right in several companies: the person picks the one to sign in to. */
function CompanyChoice(props: { email: string; companies: { id: string; name: string }[]; pending: boolean; problem: ReturnType<typeof formProblem>; onChoose: (companyId: string) => void; onStartOver: () => void }) {
  return (
    <main className="centered">
      <section className="card auth-card" aria-labelledby="choose-company-heading">
        <h1 id="choose-company-heading">{t('pages.login.chooseCompany')}</h1>
        <p>{t('pages.login.chooseCompanyLead', { email: props.email })}</p>
        <ul className="choice-list">
          {props.companies.map((company) => (
            <li key={company.id}>
              <button type="button" className="secondary wide" disabled={props.pending} onClick={() => props.onChoose(company.id)}>
                {company.name}
              </button>
            </li>
          ))}
        </ul>
        <ProblemMessage problem={props.problem.forForm([])} />
        <button type="button" className="link-button" onClick={props.onStartOver}>
          {t('pages.login.startOver')}
        </button>
      </section>
    </main>
  );
}
