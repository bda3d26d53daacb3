// The company's SAML 2.0 identity provider: what Outlay is to it (entity ID, assertion
// consumer service, metadata), and what it is to Outlay (its sign-in URL, entity ID and
// signing certificate, pasted as PEM; a saved one stays unless another is pasted).
import { useState, type FormEvent } from 'react';
import type { SsoSettings } from '../api/types';
import { CopyField, TextAreaField, TextField } from '../components/fields';
import { formatDay } from '../format';
import { t } from '../i18n/i18n';
import { AccessFields, SaveFooter, useConnectionForm, type SsoConnection } from './sso-access-fields';

const fieldNames = ['ssoUrl', 'idpEntityId', 'certificates', 'emailAttribute', 'nameAttribute'] as const;
const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificates pasted: each PEM block (two while the provider rotates its key), or the
 * text as it is when it holds none, for the API to say what is wrong with it. */
function certificatesOf(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return trimmed.match(pemBlock) ?? [trimmed];
}

/** Outlay as the provider must know it: to be copied into the provider's settings. */
export function SamlServiceProvider({ settings }: { settings: SsoSettings }) {
  const saml = settings.connection?.saml ?? null;
  return (
    <div>
      <h3>{t('admin.sso.saml.serviceProvider')}</h3>
      <p className="muted small-text">{t('admin.sso.saml.serviceProviderLead')}</p>
      <CopyField label={t('admin.sso.saml.spEntityId')} value={saml?.spEntityId ?? settings.samlMetadataUrl} />
      <CopyField label={t('admin.sso.saml.acsUrl')} value={settings.samlAcsUrl} />
      <CopyField label={t('admin.sso.saml.metadataUrl')} value={settings.samlMetadataUrl} />
      {saml ? (
        <p className="small-text">
          <a href={saml.metadataUrl} target="_blank" rel="noreferrer">
            {t('admin.sso.saml.openMetadata')}
          </a>
        </p>
      ) : (
        <p className="muted small-text">{t('admin.sso.saml.metadataOnceSaved')}</p>
      )}
    </div>
  );
}

/** `current`: the saved connection when it is SAML; `saved`: whichever is saved, whose options carry over. */
export function SamlForm({ current, saved }: { current: SsoConnection | null; saved: SsoConnection | null }) {
  const saml = current?.saml ?? null;
  const [ssoUrl, setSsoUrl] = useState(saml?.ssoUrl ?? '');
  const [idpEntityId, setIdpEntityId] = useState(saml?.idpEntityId ?? '');
  const [certificateText, setCertificateText] = useState('');
  const [emailAttribute, setEmailAttribute] = useState(saml?.emailAttribute ?? '');
  const [nameAttribute, setNameAttribute] = useState(saml?.nameAttribute ?? '');
  const form = useConnectionForm(saved, () => setCertificateText(''));
  const { problem } = form;
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

  function submit(event: FormEvent) {
    const certificates = certificatesOf(certificateText);
    form.submit(event, (access) => ({
      protocol: 'saml',
      ssoUrl: ssoUrl.trim(),
      idpEntityId: idpEntityId.trim(),
      ...(certificates ? { certificates } : {}),
      // A saved entity ID of ours stays (the provider knows us by it).
      ...(saml ? { spEntityId: saml.spEntityId } : {}),
      emailAttribute: orNull(emailAttribute),
      nameAttribute: orNull(nameAttribute),
      ...access,
    }));
  }

  const savedCertificates = saml?.certificates.map((certificate) => t('admin.sso.saml.certificateSaved', { subject: certificate.subject, date: formatDay(certificate.notAfter) })).join(' ');
  return (
    <form onSubmit={submit} aria-label={t('admin.sso.saml.provider')}>
      <h3>{t('admin.sso.saml.provider')}</h3>
      <TextField label={t('admin.sso.saml.ssoUrl')} type="url" required placeholder="https://login.example.com/saml/sso" value={ssoUrl} onChange={setSsoUrl} error={problem.forField('ssoUrl')} />
      <TextField label={t('admin.sso.saml.idpEntityId')} required value={idpEntityId} onChange={setIdpEntityId} error={problem.forField('idpEntityId')} />
      <TextAreaField
        label={t('admin.sso.saml.certificate')}
        rows={6}
        spellCheck={false}
        required={saml === null}
        placeholder="-----BEGIN CERTIFICATE-----"
        hint={savedCertificates ? `${savedCertificates} ${t('admin.sso.saml.certificateKept')}` : t('admin.sso.saml.certificateHint')}
        value={certificateText}
        onChange={setCertificateText}
        error={problem.forField('certificates')}
      />
      <TextField label={t('admin.sso.saml.emailAttribute')} hint={t('admin.sso.saml.emailAttributeHint')} value={emailAttribute} onChange={setEmailAttribute} error={problem.forField('emailAttribute')} />
      <TextField label={t('admin.sso.saml.nameAttribute')} hint={t('admin.sso.saml.nameAttributeHint')} value={nameAttribute} onChange={setNameAttribute} error={problem.forField('nameAttribute')} />
      <AccessFields
        draft={form.draft}
        onChange={form.setDraft}
        problem={problem}
        roleMapError={form.roleMapError}
        words={{ roleClaim: t('admin.sso.saml.roleAttribute'), roleClaimHint: t('admin.sso.saml.roleAttributeHint'), roleMap: t('admin.sso.saml.roleMap') }}
      />
      <SaveFooter form={form} fieldNames={fieldNames} />
    </form>
  );
}
