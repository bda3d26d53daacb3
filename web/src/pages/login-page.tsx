import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Session } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';

const fieldNames = ['email', 'password'] as const;

export function LoginPage({ onLoggedIn }: { onLoggedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();

  useEffect(() => {
    document.title = 'Log in · Outlay';
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      // The login creates the session, so it is the one POST without an Idempotency-Key.
      const session = await api.post<Session>('/session', { email, password }, { idempotencyKey: false });
      onLoggedIn(session);
    } catch (error) {
      problem.fail(error);
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <section className="card auth-card">
        <p className="brand-large" aria-hidden="true">
          <span className="brand-mark">O</span> Outlay
        </p>
        <h1>Log in</h1>
        <form onSubmit={submit}>
          <TextField
            label="E-mail"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={setEmail}
            error={problem.forField('email')}
          />
          <TextField
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={setPassword}
            error={problem.forField('password')}
          />
          <ProblemMessage problem={problem.forForm(fieldNames)} />
          <button type="submit" className="primary wide" disabled={busy}>
            {busy ? 'Logging in…' : 'Log in'}
          </button>
        </form>
        <p className="muted small-text">New here? Open the invitation link your company's admin sent you.</p>
      </section>
    </main>
  );
}
