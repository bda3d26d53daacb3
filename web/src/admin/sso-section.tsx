// Single sign-on for admins: the company's identity provider, OpenID Connect (sso-oidc-form.tsx)
// or SAML 2.0 (sso-saml-form.tsx), what to register with it, removing it, and the e-mail
// domains it signs people in for, each proven by a DNS TXT record (GET/PUT/DELETE
// /api/v1/sso, /api/v1/sso/domains).
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { SsoDomain, SsoSettings } from '../api/types';
import { ConfirmButton } from '../components/confirm-button';
import { CopyField, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { t } from '../i18n/i18n';
import { OidcForm } from './sso-oidc-form';
import { SamlForm, SamlServiceProvider } from './sso-saml-form';

export function SsoSection() {
  const settings = useQuery(getQuery('/api/v1/sso'));
  return (
    <section className="card" aria-labelledby="sso-heading">
      <h2 id="sso-heading">{t('admin.sso.heading')}</h2>
      <p className="muted">{t('admin.sso.lead')}</p>
      {settings.isPending && <Loading what={t('admin.sso.heading')} />}
      {settings.isError && <LoadError problem={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.isSuccess && (
        <>
          <Connection settings={settings.data} />
          <Domains domains={settings.data.domains} />
        </>
      )}
    </section>
  );
}

const protocols = ['oidc', 'saml'] as const;
type Protocol = (typeof protocols)[number];

/** The protocol chosen (the saved one's at first), what the provider needs of Outlay, its form, and removing it. */
function Connection({ settings }: { settings: SsoSettings }) {
  const saved = settings.connection;
  const [protocol, setProtocol] = useState<Protocol>((saved?.protocol as Protocol | undefined) ?? 'oidc');
  const current = saved?.protocol === protocol ? saved : null;
  return (
    <>
      <fieldset className="checkbox-group">
        <legend>{t('admin.sso.protocol')}</legend>
        {protocols.map((choice) => (
          <label key={choice} className="checkbox">
            <input type="radio" name="sso-protocol" value={choice} checked={protocol === choice} onChange={() => setProtocol(choice)} />
            {t(`admin.sso.protocols.${choice}`)}
          </label>
        ))}
      </fieldset>
      {protocol === 'oidc' ? (
        <>
          <CopyField label={t('admin.sso.callbackUrl')} value={settings.callbackUrl} />
          <OidcForm current={current} saved={saved} />
        </>
      ) : (
        <>
          <SamlServiceProvider settings={settings} />
          <SamlForm current={current} saved={saved} />
        </>
      )}
      {saved && <RemoveConnection />}
    </>
  );
}

function RemoveConnection() {
  const remove = useAction(() => ok(api.DELETE('/api/v1/sso')), { invalidates: ['/api/v1/sso'] });
  return (
    <div>
      <h3>{t('admin.sso.removeHeading')}</h3>
      <p className="muted small-text">{t('admin.sso.removeLead')}</p>
      <ConfirmButton label={t('admin.sso.removeConnection')} accessibleLabel={t('admin.sso.removeConnection')} question={t('admin.sso.removeQuestion')} confirmLabel={t('admin.sso.removeConfirm')} busy={remove.isPending} onConfirm={() => remove.mutate()} />
      <ProblemMessage problem={remove.error} />
    </div>
  );
}

function Domains({ domains }: { domains: SsoDomain[] }) {
  const [domain, setDomain] = useState('');
  const add = useAction(() => ok(api.POST('/api/v1/sso/domains', { body: { domain: domain.trim() } })), { invalidates: ['/api/v1/sso'], onSuccess: () => setDomain('') });
  const problem = formProblem(add.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  return (
    <div>
      <h3>{t('admin.sso.domains')}</h3>
      <p className="muted small-text">{t('admin.sso.domainsLead')}</p>
      <ul className="plain-list">
        {domains.map((entry) => (
          <DomainItem key={entry.domain} entry={entry} />
        ))}
      </ul>
      <form onSubmit={submit} aria-label={t('admin.sso.addDomain')}>
        <TextField label={t('admin.sso.domain')} required placeholder="example.com" value={domain} onChange={setDomain} error={problem.forField('domain')} />
        <ProblemMessage problem={problem.forForm(['domain'])} />
        <button type="submit" disabled={add.isPending}>
          {t('admin.sso.addDomain')}
        </button>
      </form>
    </div>
  );
}

function DomainItem({ entry }: { entry: SsoDomain }) {
  const path = { params: { path: { domain: entry.domain } } };
  const verify = useAction(() => ok(api.POST('/api/v1/sso/domains/{domain}/verify', path)), { invalidates: ['/api/v1/sso'] });
  const remove = useAction(() => ok(api.DELETE('/api/v1/sso/domains/{domain}', path)), { invalidates: ['/api/v1/sso'] });
  return (
    <li aria-label={entry.domain}>
      <strong>{entry.domain}</strong>{' '}
      {entry.verifiedAt ? <span className="badge">{t('admin.sso.verifiedAt', { time: formatDateTime(entry.verifiedAt) })}</span> : <span className="badge">{t('admin.sso.unverified')}</span>}
      {!entry.verifiedAt && (
        <>
          <p className="muted small-text">{t('admin.sso.recordLead')}</p>
          <CopyField label={t('admin.sso.recordName')} value={entry.record.name} />
          <CopyField label={t('admin.sso.recordValue')} value={entry.record.value} />
          <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
            {t('admin.sso.verify')}
          </button>
        </>
      )}
      <button type="button" onClick={() => remove.mutate()} disabled={remove.isPending}>
        {t('admin.sso.remove', { domain: entry.domain })}
      </button>
      <ProblemMessage problem={verify.error ?? remove.error} />
    </li>
  );
}
