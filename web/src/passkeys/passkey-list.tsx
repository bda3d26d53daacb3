// The person's passkeys in the two-step section: each with when it was added and last used,
// removable with the password, and "Add a passkey" under a name they choose. The server
// refuses removing the last second factor their company requires (mfa_state_invalid).
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { components } from '../api/schema.gen';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { t } from '../i18n/i18n';
import { addPasskey } from './passkey-ceremony';

type Passkey = components['schemas']['Passkey'];

export function PasskeyList({ onAdded }: { onAdded?: (() => void) | undefined }) {
  const passkeys = useQuery(getQuery('/api/v1/me/mfa/passkeys'));
  return (
    <div className="passkeys" role="group" aria-labelledby="passkeys-heading">
      <h3 id="passkeys-heading">{t('account.twoStep.passkeys.heading')}</h3>
      <p className="muted">{t('account.twoStep.passkeys.lead')}</p>
      {passkeys.isPending && <Loading what={t('account.twoStep.passkeys.heading')} />}
      {passkeys.isError && <LoadError problem={passkeys.error} onRetry={() => void passkeys.refetch()} />}
      {passkeys.data &&
        (passkeys.data.items.length === 0 ? (
          <p>{t('account.twoStep.passkeys.none')}</p>
        ) : (
          <ul className="passkey-list" aria-label={t('account.twoStep.passkeys.heading')}>
            {passkeys.data.items.map((passkey) => (
              <PasskeyItem key={passkey.id} passkey={passkey} />
            ))}
          </ul>
        ))}
      <AddPasskeyForm onAdded={onAdded} />
    </div>
  );
}

function PasskeyItem({ passkey }: { passkey: Passkey }) {
  const [removing, setRemoving] = useState(false);
  const [password, setPassword] = useState('');
  const remove = useAction(() => ok(api.POST('/api/v1/me/mfa/passkeys/{id}/remove', { params: { path: { id: passkey.id } }, body: { password } })), {
    invalidates: ['/api/v1/me/mfa/passkeys', '/api/v1/me/mfa'],
  });
  const problem = formProblem(remove.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    remove.mutate();
  }

  return (
    <li>
      <strong>{passkey.name}</strong>{' '}
      <span className="muted small-text">
        {t('account.twoStep.passkeys.added', { when: formatDateTime(passkey.createdAt) })} ·{' '}
        {passkey.lastUsedAt ? t('account.twoStep.passkeys.lastUsed', { when: formatDateTime(passkey.lastUsedAt) }) : t('account.twoStep.passkeys.neverUsed')}
      </span>
      {removing ? (
        <form className="inline-form" onSubmit={submit} aria-label={t('account.twoStep.passkeys.removeNamed', { name: passkey.name })}>
          <TextField label={t('account.twoStep.password')} type="password" autoComplete="current-password" required value={password} onChange={setPassword} error={problem.forField('password')} />
          <ProblemMessage problem={problem.forForm(['password'])} />
          <div className="button-row">
            <button type="submit" className="secondary small" disabled={remove.isPending}>
              {remove.isPending ? t('account.twoStep.passkeys.removing') : t('account.twoStep.passkeys.remove')}
            </button>
            <button type="button" className="link-button" onClick={() => setRemoving(false)}>
              {t('account.twoStep.passkeys.keep')}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="secondary small" aria-label={t('account.twoStep.passkeys.removeNamed', { name: passkey.name })} onClick={() => setRemoving(true)}>
          {t('account.twoStep.passkeys.remove')}
        </button>
      )}
    </li>
  );
}

function AddPasskeyForm({ onAdded }: { onAdded?: (() => void) | undefined }) {
  const [name, setName] = useState('');
  const add = useAction(() => addPasskey(name.trim()), {
    invalidates: ['/api/v1/me/mfa/passkeys', '/api/v1/me/mfa'],
    onSuccess: () => {
      setName('');
      onAdded?.();
    },
  });
  const problem = formProblem(add.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  return (
    <form onSubmit={submit} aria-label={t('account.twoStep.passkeys.add')}>
      <TextField label={t('account.twoStep.passkeys.name')} name="passkey-name" hint={t('account.twoStep.passkeys.nameHint')} required maxLength={100} value={name} onChange={setName} error={problem.forField('name')} />
      <ProblemMessage problem={problem.forForm(['name'])} />
      <button type="submit" className="secondary" disabled={add.isPending}>
        {add.isPending ? t('account.twoStep.passkeys.adding') : t('account.twoStep.passkeys.add')}
      </button>
    </form>
  );
}
