// The company's card settings: the controls every new card starts with, the markup on
// purchases in another currency, and how long a hold lives before it expires. Cards issued
// before a change keep their own controls.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { components } from '../api/schema.gen';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { ProblemMessage } from '../components/status';
import { useSession } from '../session';
import { completeInput, controlError, draftFromControls, namesAControl } from './controls-draft';
import { ControlsFields } from './controls-fields';
import { t } from '../i18n/i18n';

type CardSettings = components['schemas']['CardSettings'];

const fieldNames = ['fxMarkupBasisPoints', 'holdExpiryHours', 'longHoldExpiryHours'] as const;

export function CardDefaultsSection() {
  const settings = useQuery(getQuery('/api/v1/card-settings'));
  return (
    <section className="card wide-card" aria-labelledby="card-defaults-heading">
      <h2 id="card-defaults-heading">{t('admin.cardDefaults.heading')}</h2>
      <p className="muted small-text">{t('admin.cardDefaults.lead')}</p>
      <Loaded query={settings} what={t('admin.cardDefaults.loading')}>
        {(data) => <CardDefaultsForm settings={data} />}
      </Loaded>
    </section>
  );
}

function CardDefaultsForm({ settings }: { settings: CardSettings }) {
  const { session } = useSession();
  const [draft, setDraft] = useState(() => draftFromControls(settings.defaultControls));
  const [markup, setMarkup] = useState(String(settings.fxMarkupBasisPoints));
  const [holdHours, setHoldHours] = useState(String(settings.holdExpiryHours));
  const [longHoldHours, setLongHoldHours] = useState(String(settings.longHoldExpiryHours));
  const [saved, setSaved] = useState(false);
  const body = { defaultControls: completeInput(draft), fxMarkupBasisPoints: Number(markup), holdExpiryHours: Number(holdHours), longHoldExpiryHours: Number(longHoldHours) };
  const save = useAction(() => ok(api.PUT('/api/v1/card-settings', { body })), { invalidates: ['/api/v1/card-settings'], onSuccess: () => setSaved(true) });
  const problem = formProblem(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  }

  return (
    <form className="two-column-form" onSubmit={submit} aria-label={t('admin.cardDefaults.heading')}>
      <ControlsFields draft={draft} onChange={setDraft} errorFor={(name) => controlError(save.error, name)} currency={session.company.currency} />
      <TextField label={t('admin.cardDefaults.markup')} required inputMode="numeric" hint={t('admin.cardDefaults.markupHint')} value={markup} onChange={setMarkup} error={problem.forField('fxMarkupBasisPoints')} />
      <TextField label={t('admin.cardDefaults.holdExpiry')} required inputMode="numeric" hint={t('admin.cardDefaults.holdExpiryHint')} value={holdHours} onChange={setHoldHours} error={problem.forField('holdExpiryHours')} />
      <TextField label={t('admin.cardDefaults.longHoldExpiry')} required inputMode="numeric" value={longHoldHours} onChange={setLongHoldHours} error={problem.forField('longHoldExpiryHours')} />
      <div className="full-row">
        {!namesAControl(save.error) && <ProblemMessage problem={problem.forForm(fieldNames)} />}
        {saved && (
          <p className="notice success" role="status">
            {t('admin.cardDefaults.saved')}
          </p>
        )}
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t('admin.saving') : t('admin.cardDefaults.save')}
        </button>
      </div>
    </form>
  );
}
