// Where an invitation link leads: who is invited to which company, and a password to accept.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { InvitationPreview, Session } from '../api/types';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { Link } from '../router';
import { t } from '../i18n/i18n';

/** The server's minimum; checked here too so the person learns it before submitting. */
const passwordLengthMin = 12;
const fieldNames = ['password'] as const;

interface InvitePageProps {
  token: string;
  onAccepted: (session: Session) => void;
}

export function InvitePage({ token, onAccepted }: InvitePageProps) {
  const invitation = useQuery(getQuery('/api/v1/invitations/{token}', { params: { path: { token } } }));

  useEffect(() => {
    document.title = `${t('pages.invite.title')} · Outlay`;
  }, []);

  return (
    <main className="centered">
      <section className="card auth-card">
        <p className="brand-large" aria-hidden="true">
          <span className="brand-mark">O</span> Outlay
        </p>
        {invitation.isPending && <Loading what={t('pages.invite.loading')} />}
        {invitation.isError &&
          (invitation.error.status === 404 || invitation.error.status === 410 ? (
            <>
              <h1>{t('pages.invite.unusable')}</h1>
              <ProblemMessage problem={invitation.error} />
              <p>{t('pages.invite.askForNew')}</p>
              <p>
                <Link href="/login">{t('pages.invite.goToLogIn')}</Link>
              </p>
            </>
          ) : (
            <LoadError problem={invitation.error} onRetry={() => void invitation.refetch()} />
          ))}
        {invitation.isSuccess && <AcceptForm token={token} invitation={invitation.data} onAccepted={onAccepted} />}
      </section>
    </main>
  );
}

interface AcceptFormProps {
  token: string;
  invitation: InvitationPreview;
  onAccepted: (session: Session) => void;
}

function AcceptForm({ token, invitation, onAccepted }: AcceptFormProps) {
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [localErrors, setLocalErrors] = useState<{ password?: string; repeated?: string }>({});
  const accept = useAction(() => ok(api.POST('/api/v1/invitations/{token}/accept', { params: { path: { token } }, body: { password } })), { onSuccess: onAccepted });
  const problem = formProblem(accept.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    accept.reset();
    const errors: { password?: string; repeated?: string } = {};
    if (password.length < passwordLengthMin) errors.password = t('pages.invite.tooShort');
    else if (password !== repeated) errors.repeated = t('pages.invite.differ');
    setLocalErrors(errors);
    if (errors.password || errors.repeated) return;
    accept.mutate();
  }

  return (
    <>
      <h1>{t('pages.invite.join', { company: invitation.companyName })}</h1>
      <p>
        {t('pages.invite.invitedAs')} <strong>{invitation.name}</strong> {t('pages.invite.choosePassword', { email: invitation.email })}
      </p>
      <p className="muted small-text">{t('pages.invite.worksUntil', { time: formatDateTime(invitation.expiresAt) })}</p>
      {/* Checked here rather than by the browser, so the messages sit beside the inputs. */}
      <form onSubmit={submit} noValidate>
        {/* Lets password managers store the new password under the right account. */}
        <input type="email" name="username" autoComplete="username" value={invitation.email} readOnly hidden />
        <TextField
          label={t('pages.invite.password')}
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          hint={t('pages.invite.atLeast', { count: passwordLengthMin })}
          value={password}
          onChange={setPassword}
          error={localErrors.password ?? problem.forField('password')}
        />
        <TextField
          label={t('pages.invite.repeat')}
          type="password"
          name="repeat-password"
          autoComplete="new-password"
          required
          value={repeated}
          onChange={setRepeated}
          error={localErrors.repeated}
        />
        <ProblemMessage problem={problem.forForm(fieldNames)} />
        <button type="submit" className="primary wide" disabled={accept.isPending}>
          {accept.isPending ? t('pages.invite.accepting') : t('pages.invite.accept')}
        </button>
      </form>
    </>
  );
}
