// Single sign-on for admins: the company's OpenID Connect provider (its client secret is
// write-only: typed to change it, never shown), the callback URL to register with it, and the
// e-mail domains it signs people in for, each proven by a DNS TXT record (GET/PUT /api/v1/sso,
// /api/v1/sso/domains).
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { CompanyRole, SsoDomain, SsoSettings } from '../api/types';
import { CheckboxGroup, CopyField, TextAreaField, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { companyRoles, formatDateTime, roleLabels } from '../format';
import { t } from '../i18n/i18n';

const fieldNames = ['issuer', 'clientId', 'clientSecret', 'provisionPeople', 'defaultRoles', 'roleClaim', 'roleMap', 'enabled'] as const;

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
          <CopyField label={t('admin.sso.callbackUrl')} value={settings.data.callbackUrl} />
          <ProviderForm settings={settings.data} />
          <Domains domains={settings.data.domains} />
        </>
      )}
    </section>
  );
}

/** "value = role" lines, as the role map is typed; a line that is not one is named. */
function parseRoleMap(text: string): { map: Record<string, CompanyRole> } | { badLine: string } {
  const map: Record<string, CompanyRole> = {};
  for (const line of text.split('\n').map((entry) => entry.trim()).filter((entry) => entry !== '')) {
    const cut = line.lastIndexOf('=');
    const value = line.slice(0, cut).trim();
    const role = line.slice(cut + 1).trim() as CompanyRole;
    if (cut <= 0 || value === '' || !companyRoles.includes(role)) return { badLine: line };
    map[value] = role;
  }
  return { map };
}

function ProviderForm({ settings }: { settings: SsoSettings }) {
  const current = settings.connection;
  const [issuer, setIssuer] = useState(current?.issuer ?? '');
  const [clientId, setClientId] = useState(current?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [provisionPeople, setProvisionPeople] = useState(current?.provisionPeople ?? false);
  const [defaultRoles, setDefaultRoles] = useState<CompanyRole[]>((current?.defaultRoles as CompanyRole[] | undefined) ?? ['employee']);
  const [roleClaim, setRoleClaim] = useState(current?.roleClaim ?? '');
  const [roleMapText, setRoleMapText] = useState(Object.entries(current?.roleMap ?? {}).map(([value, role]) => `${value} = ${role}`).join('\n'));
  const [enabled, setEnabled] = useState(current?.enabled ?? true);
  const [roleMapError, setRoleMapError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const save = useAction((roleMap: Record<string, CompanyRole>) => ok(api.PUT('/api/v1/sso', {
    body: { issuer: issuer.trim(), clientId: clientId.trim(), ...(clientSecret !== '' ? { clientSecret } : {}), provisionPeople, defaultRoles, roleClaim: roleClaim.trim() === '' ? null : roleClaim.trim(), roleMap, enabled },
  })), { invalidates: ['/api/v1/sso'], onSuccess: () => { setSaved(true); setClientSecret(''); } });
  const problem = formProblem(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const parsed = parseRoleMap(roleMapText);
    if ('badLine' in parsed) {
      setRoleMapError(t('admin.sso.roleMapBad', { line: parsed.badLine }));
      return;
    }
    setRoleMapError(undefined);
    save.mutate(parsed.map);
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
      <label className="checkbox">
        <input type="checkbox" checked={provisionPeople} onChange={(event) => setProvisionPeople(event.target.checked)} />
        {t('admin.sso.provisionPeople')}
      </label>
      <CheckboxGroup legend={t('admin.sso.defaultRoles')} choices={companyRoles} labels={roleLabels} selected={defaultRoles} onChange={setDefaultRoles} error={problem.forField('defaultRoles')} />
      <TextField label={t('admin.sso.roleClaim')} hint={t('admin.sso.roleClaimHint')} value={roleClaim} onChange={setRoleClaim} error={problem.forField('roleClaim')} />
      <TextAreaField label={t('admin.sso.roleMap')} hint={t('admin.sso.roleMapHint')} value={roleMapText} onChange={setRoleMapText} error={roleMapError ?? problem.forField('roleMap')} />
      <label className="checkbox">
        <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
        {t('admin.sso.enabled')}
      </label>
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      {saved && !save.isPending && (
        <p className="notice success" role="status">
          {t('admin.sso.saved')}
        </p>
      )}
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? t('admin.saving') : t('admin.save')}
      </button>
    </form>
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
