// The company's OpenID Connect provider: its issuer, our client id and the client secret
// (write-only: typed to change it, never shown).
import { useState, type FormEvent } from 'react';
import { TextField } from '../components/fields';
import { t } from '../i18n/i18n';
import { AccessFields, SaveFooter, useConnectionForm, type SsoConnection } from './sso-access-fields';

const fieldNames = ['issuer', 'clientId', 'clientSecret'] as const;

/** `current`: the saved connection when it is OpenID Connect; `saved`: whichever is saved, whose options carry over. */
export function OidcForm({ current, saved }: { current: SsoConnection | null; saved: SsoConnection | null }) {
  const [issuer, setIssuer] = useState(current?.issuer ?? '');
  const [clientId, setClientId] = useState(current?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const form = useConnectionForm(saved, () => setClientSecret(''));
  const { problem } = form;

  function submit(event: FormEvent) {
    form.submit(event, (access) => ({ issuer: issuer.trim(), clientId: clientId.trim(), ...(clientSecret !== '' ? { clientSecret } : {}), ...access }));
  }

  return (
    <form onSubmit={submit} aria-label={t('admin.sso.provider')}>
      <h3>{t('admin.sso.provider')}</h3>
      <TextField label={t('admin.sso.issuer')} type="url" required placeholder="https://login.example.com" value={issuer} onChange={setIssuer} error={problem.forField('issuer')} />
      <TextField label={t('admin.sso.clientId')} required value={clientId} onChange={setClientId} error={problem.forField('clientId')} />
      <TextField
        label={t('admin.sso.clientSecret')}
        type="password"
        autoComplete="off"
        required={current === null}
        hint={current === null ? undefined : t('admin.sso.clientSecretKept')}
        value={clientSecret}
        onChange={setClientSecret}
        error={problem.forField('clientSecret')}
      />
      <AccessFields
        draft={form.draft}
        onChange={form.setDraft}
        problem={problem}
        roleMapError={form.roleMapError}
        words={{ roleClaim: t('admin.sso.roleClaim'), roleClaimHint: t('admin.sso.roleClaimHint'), roleMap: t('admin.sso.roleMap') }}
      />
      <SaveFooter form={form} fieldNames={fieldNames} />
    </form>
  );
}
