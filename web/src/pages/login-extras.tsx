// What the login page offers besides the password form, each a small part of its own: the
// way to a password reset, single sign-on, and the reason a single sign-on came back refused.
import { useState, type FormEvent } from 'react';
import { TextField } from '../components/fields';
import { t } from '../i18n/i18n';
import { Link, useSearch } from '../router';

export function ForgotPasswordLink() {
  return (
    <p className="small-text">
      <Link href="/forgot-password">{t('pages.login.forgotPassword')}</Link>
    </p>
  );
}

/** The codes /api/v1/sso/callback and /start end on (`/?ssoError=<code>`); others read as sso_failed. */
const ssoErrorCodes = ['sso_not_configured', 'sso_provider_unavailable', 'sso_failed', 'sso_refused'] as const;
type SsoErrorCode = (typeof ssoErrorCodes)[number];

export function SsoErrorMessage() {
  const code = new URLSearchParams(useSearch()).get('ssoError');
  if (code === null) return null;
  const known: SsoErrorCode = (ssoErrorCodes as readonly string[]).includes(code) ? (code as SsoErrorCode) : 'sso_failed';
  return (
    <p className="problem" role="alert">
      {t(`pages.login.ssoErrors.${known}`)}
    </p>
  );
}

/** Asks for the e-mail address, then leaves for the company's identity provider through the API. */
export function SingleSignOn() {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');

  function start(event: FormEvent) {
    event.preventDefault();
    window.location.assign(`/api/v1/sso/start?email=${encodeURIComponent(email.trim())}`);
  }

  if (!open) {
    return (
      <button type="button" className="wide" onClick={() => setOpen(true)}>
        {t('pages.login.singleSignOn')}
      </button>
    );
  }
  return (
    <form onSubmit={start} aria-label={t('pages.login.singleSignOn')}>
      <TextField label={t('pages.login.ssoEmail')} type="email" name="sso-email" autoComplete="username" required value={email} onChange={setEmail} />
      <button type="submit" className="wide">
        {t('pages.login.continueWithSso')}
      </button>
    </form>
  );
}
