// Where an invitation link leads: who is invited to which company, and a password to accept.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { InvitationPreview, Session } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { useResource } from '../components/use-resource';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { Link } from '../router';

/** The server's minimum; checked here too so the person learns it before submitting. */
const passwordLengthMin = 12;
const fieldNames = ['password'] as const;

interface InvitePageProps {
  token: string;
  onAccepted: (session: Session) => void;
}

export function InvitePage({ token, onAccepted }: InvitePageProps) {
  const path = `/invitations/${encodeURIComponent(token)}`;
  const { resource, reload } = useResource(() => api.get<InvitationPreview>(path), path);

  useEffect(() => {
    document.title = 'Accept your invitation · Outlay';
  }, []);

  return (
    <main className="centered">
      <section className="card auth-card">
        <p className="brand-large" aria-hidden="true">
          <span className="brand-mark">O</span> Outlay
        </p>
        {resource.status === 'loading' && <Loading what="your invitation" />}
        {resource.status === 'error' &&
          (resource.problem.status === 404 || resource.problem.status === 410 ? (
            <>
              <h1>This invitation cannot be used</h1>
              <ProblemMessage problem={resource.problem} />
              <p>Ask your company's admin for a new invitation link, or log in if you already accepted it.</p>
              <p>
                <Link href="/login">Go to log in</Link>
              </p>
            </>
          ) : (
            <LoadError problem={resource.problem} onRetry={reload} />
          ))}
        {resource.status === 'ready' && (
          <AcceptForm path={path} invitation={resource.data} onAccepted={onAccepted} />
        )}
      </section>
    </main>
  );
}

interface AcceptFormProps {
  path: string;
  invitation: InvitationPreview;
  onAccepted: (session: Session) => void;
}

function AcceptForm({ path, invitation, onAccepted }: AcceptFormProps) {
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [localErrors, setLocalErrors] = useState<{ password?: string; repeated?: string }>({});
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();

  async function submit(event: FormEvent) {
    event.preventDefault();
    problem.setProblem(null);
    const errors: { password?: string; repeated?: string } = {};
    if (password.length < passwordLengthMin) errors.password = 'This password is too short.';
    else if (password !== repeated) errors.repeated = 'The two passwords differ.';
    setLocalErrors(errors);
    if (errors.password || errors.repeated) return;

    setBusy(true);
    try {
      onAccepted(await api.post<Session>(`${path}/accept`, { password }));
    } catch (error) {
      problem.fail(error);
      setBusy(false);
    }
  }

  return (
    <>
      <h1>Join {invitation.companyName}</h1>
      <p>
        You are invited as <strong>{invitation.name}</strong> ({invitation.email}). Choose a password to accept the
        invitation.
      </p>
      <p className="muted small-text">This link works until {formatDateTime(invitation.expiresAt)}.</p>
      {/* Checked here rather than by the browser, so the messages sit beside the inputs. */}
      <form onSubmit={submit} noValidate>
        {/* Lets password managers store the new password under the right account. */}
        <input type="email" name="username" autoComplete="username" value={invitation.email} readOnly hidden />
        <TextField
          label="Choose a password"
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          hint={`At least ${passwordLengthMin} characters.`}
          value={password}
          onChange={setPassword}
          error={localErrors.password ?? problem.forField('password')}
        />
        <TextField
          label="Repeat the password"
          type="password"
          name="repeat-password"
          autoComplete="new-password"
          required
          value={repeated}
          onChange={setRepeated}
          error={localErrors.repeated}
        />
        <ProblemMessage problem={problem.forForm(fieldNames)} />
        <button type="submit" className="primary wide" disabled={busy}>
          {busy ? 'Accepting…' : 'Accept invitation'}
        </button>
      </form>
    </>
  );
}
