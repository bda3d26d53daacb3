// Two-step sign-in on the account page: setting up an authenticator app (a QR code of the
// otpauth:// URI to scan, the link to open on a phone, or the key to type in), confirming it
// with a code, the recovery codes shown once, turning it off or making new recovery codes with
// the password and a code, and the person's passkeys. A person whose company requires it sees
// only this until an authenticator or a passkey is set up (onEnrolled).
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import { CopyField, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { QrCode } from '../components/qr-code';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { t } from '../i18n/i18n';
import { PasskeyList } from '../passkeys/passkey-list';

export function TwoStepSection({ onEnrolled }: { onEnrolled?: () => void }) {
  const status = useQuery(getQuery('/api/v1/me/mfa'));
  const passkeys = useQuery(getQuery('/api/v1/me/mfa/passkeys'));
  const passkeyCount = passkeys.data?.items.length ?? 0;
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  function codesShown() {
    setRecoveryCodes(null);
    onEnrolled?.();
  }

  return (
    <section className="card" aria-labelledby="two-step-heading">
      <h2 id="two-step-heading">{t('account.twoStep.heading')}</h2>
      <p className="muted">{t('account.twoStep.lead')}</p>
      {status.isPending && <Loading what={t('account.twoStep.heading')} />}
      {status.isError && <LoadError problem={status.error} onRetry={() => void status.refetch()} />}
      {recoveryCodes ? (
        <RecoveryCodes codes={recoveryCodes} onDone={codesShown} />
      ) : (
        status.data && (
          <>
            {status.data.required && !status.data.totp && passkeyCount === 0 && <p className="notice">{t('account.twoStep.required')}</p>}
            {status.data.totp ? (
              <>
                <p>{t('account.twoStep.on', { count: status.data.recoveryCodesLeft })}</p>
                <ManageForm required={status.data.required && passkeyCount === 0} onNewCodes={setRecoveryCodes} />
              </>
            ) : (
              <>
                <p>{t('account.twoStep.off')}</p>
                <EnrolForm onConfirmed={setRecoveryCodes} />
              </>
            )}
            <PasskeyList onAdded={status.data.required ? onEnrolled : undefined} />
          </>
        )
      )}
    </section>
  );
}

function EnrolForm({ onConfirmed }: { onConfirmed: (codes: string[]) => void }) {
  const [started, setStarted] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [code, setCode] = useState('');
  const start = useAction(() => ok(api.POST('/api/v1/me/mfa/totp')), { onSuccess: setStarted });
  const confirm = useAction(() => ok(api.POST('/api/v1/me/mfa/totp/confirm', { body: { code } })), {
    // The session is fetched again once the codes are put away (onEnrolled): a person who had
    // to enrol would otherwise leave this page before seeing them.
    invalidates: ['/api/v1/me/mfa'],
    onSuccess: (answer) => onConfirmed(answer.recoveryCodes),
  });
  const problem = formProblem(confirm.error);

  if (!started) {
    return (
      <>
        <ProblemMessage problem={start.error} />
        <button type="button" className="primary" disabled={start.isPending} onClick={() => start.mutate()}>
          {start.isPending ? t('account.twoStep.starting') : t('account.twoStep.setUp')}
        </button>
      </>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    confirm.mutate();
  }

  return (
    <form onSubmit={submit} aria-label={t('account.twoStep.setUp')}>
      <p>{t('account.twoStep.scan')}</p>
      <QrCode text={started.otpauthUri} label={t('account.twoStep.qrCode')} />
      <p>
        <a href={started.otpauthUri}>{t('account.twoStep.openInApp')}</a>
      </p>
      <CopyField label={t('account.twoStep.key')} value={started.secret} />
      <TextField label={t('account.twoStep.code')} name="code" inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={setCode} error={problem.forField('code')} />
      <ProblemMessage problem={problem.forForm(['code'])} />
      <button type="submit" className="primary" disabled={confirm.isPending}>
        {confirm.isPending ? t('account.twoStep.confirming') : t('account.twoStep.confirm')}
      </button>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div role="status">
      <h3>{t('account.twoStep.recoveryHeading')}</h3>
      <p>{t('account.twoStep.recoveryLead')}</p>
      <ul className="recovery-codes" aria-label={t('account.twoStep.recoveryHeading')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" className="primary" onClick={onDone}>
        {t('account.twoStep.recoverySaved')}
      </button>
    </div>
  );
}

const manageFields = ['password', 'code'] as const;

function ManageForm({ required, onNewCodes }: { required: boolean; onNewCodes: (codes: string[]) => void }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const clear = () => {
    setPassword('');
    setCode('');
  };
  const turnOff = useAction(() => ok(api.POST('/api/v1/me/mfa/totp/disable', { body: { password, code } })), { invalidates: ['/api/v1/me/mfa'], onSuccess: clear });
  const newCodes = useAction(() => ok(api.POST('/api/v1/me/mfa/recovery-codes', { body: { password, code } })), {
    invalidates: ['/api/v1/me/mfa'],
    onSuccess: (answer) => {
      clear();
      onNewCodes(answer.recoveryCodes);
    },
  });
  const problem = formProblem(turnOff.error ?? newCodes.error);
  const busy = turnOff.isPending || newCodes.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    newCodes.mutate();
  }

  return (
    <form onSubmit={submit} aria-label={t('account.twoStep.heading')}>
      <TextField label={t('account.twoStep.password')} type="password" autoComplete="current-password" required value={password} onChange={setPassword} error={problem.forField('password')} />
      <TextField label={t('account.twoStep.codeOrRecovery')} autoComplete="one-time-code" required value={code} onChange={setCode} error={problem.forField('code')} />
      <ProblemMessage problem={problem.forForm(manageFields)} />
      <div className="button-row">
        <button type="submit" className="secondary" disabled={busy}>
          {newCodes.isPending ? t('account.twoStep.makingCodes') : t('account.twoStep.newCodes')}
        </button>
        {!required && (
          <button type="button" className="secondary" disabled={busy} onClick={() => turnOff.mutate()}>
            {turnOff.isPending ? t('account.twoStep.turningOff') : t('account.twoStep.turnOff')}
          </button>
        )}
      </div>
    </form>
  );
}
