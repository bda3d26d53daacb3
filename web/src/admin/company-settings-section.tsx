// The company's own details for its admins: its name, the time zone its dates are in, the
// locale its amounts are written in, and whether admins and bookkeepers must use two-step sign-in (PATCH /api/v1/company). Saving fetches the session again,
// so the whole app switches to the new locale at once.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { CompanyLocale } from '../api/types';
import { SelectField, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { useSession } from '../session';

/** The locales the server takes, as the company's schema lists them. */
const companyLocales: readonly CompanyLocale[] = ['en-GB', 'en-US', 'da-DK', 'de-DE', 'sv-SE'];
const fieldNames = ['name', 'timeZone', 'locale', 'requireMfaForAdmins'] as const;

/** The IANA zones this browser knows, for the time zone choice; the company's own first. */
function timeZoneChoices(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [current, ...known.filter((zone) => zone !== current)];
}

export function CompanySettingsSection() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { company } = session;
  const [name, setName] = useState(company.name);
  const [timeZone, setTimeZone] = useState(company.timeZone);
  const [locale, setLocale] = useState<CompanyLocale>(company.locale);
  const [requireMfaForAdmins, setRequireMfaForAdmins] = useState(company.requireMfaForAdmins);
  const [saved, setSaved] = useState(false);
  const save = useAction(() => ok(api.PATCH('/api/v1/company', { body: { name: name.trim(), timeZone, locale, requireMfaForAdmins } })), {
    invalidates: ['/api/v1/session', '/api/v1/company'],
    onSuccess: () => setSaved(true),
  });
  const problem = formProblem(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  }

  return (
    <section className="card" aria-labelledby="company-settings-heading">
      <h2 id="company-settings-heading">{t('lists.company.heading')}</h2>
      <form onSubmit={submit} aria-label={t('lists.company.heading')}>
        <TextField label={t('lists.company.name')} required value={name} onChange={setName} error={problem.forField('name')} />
        <SelectField label={t('lists.company.timeZone')} value={timeZone} onChange={setTimeZone} options={timeZoneChoices(company.timeZone).map((zone) => ({ value: zone, label: zone }))} error={problem.forField('timeZone')} />
        <SelectField
          label={t('lists.company.locale')}
          value={locale}
          onChange={(value) => setLocale(value as CompanyLocale)}
          options={companyLocales.map((tag) => ({ value: tag, label: t(`lists.company.locales.${tag}`) }))}
          error={problem.forField('locale')}
        />
        <label className="checkbox">
          <input type="checkbox" name="requireMfaForAdmins" checked={requireMfaForAdmins} onChange={(event) => setRequireMfaForAdmins(event.target.checked)} />
          {t('lists.company.requireMfa')}
        </label>
        <p className="hint">{t('lists.company.requireMfaHint')}</p>
        <p className="muted small-text">{t('lists.company.currency', { currency: company.currency })}</p>
        <ProblemMessage problem={problem.forForm(fieldNames)} />
        {saved && !save.isPending && (
          <p className="notice success" role="status">
            {t('lists.company.saved')}
          </p>
        )}
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t('lists.company.saving') : t('lists.company.save')}
        </button>
      </form>
    </section>
  );
}
