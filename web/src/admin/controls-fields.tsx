// The inputs for every card control, laid out for a two-column form. Used by the cards
// table's controls editor and by the issue form's "More controls".
import type { LimitPeriod } from '../api/types';
import { categoryGroupLabels, channelLabels, periodLabels, weekdayLabels } from '../cards/card-labels';
import { CheckboxGroup, TextField } from '../components/fields';
import { choicesOf } from '../format';
import type { ControlsDraft } from './controls-draft';
import { t } from '../i18n/i18n';

const weekdays = ['1', '2', '3', '4', '5', '6', '7'] as const;
const limitPeriods = choicesOf(periodLabels);
const merchantCategoryGroups = choicesOf(categoryGroupLabels);
const channels = choicesOf(channelLabels);

interface ControlsFieldsProps {
  draft: ControlsDraft;
  onChange: (draft: ControlsDraft) => void;
  /** The API's message for a control, by its field name ("limits.monthly"). */
  errorFor: (name: string) => string | undefined;
  currency: string;
  /** Controls the surrounding form shows itself, by field name. */
  omit?: readonly string[];
}

export function ControlsFields({ draft, onChange, errorFor, currency, omit = [] }: ControlsFieldsProps) {
  const set = <K extends keyof ControlsDraft>(name: K) => (value: ControlsDraft[K]) => onChange({ ...draft, [name]: value });
  const setLimit = (period: LimitPeriod) => (value: string) => onChange({ ...draft, limits: { ...draft.limits, [period]: value } });
  const hoursGiven = draft.hoursFrom !== '' || draft.hoursTo !== '';
  const amountHint = t('admin.controls.amountHint', { currency });
  return (
    <>
      {!omit.includes('perPurchaseMax') && (
        <TextField label={t('admin.controls.perPurchaseMax')} inputMode="decimal" autoComplete="off" hint={amountHint} value={draft.perPurchaseMax} onChange={set('perPurchaseMax')} error={errorFor('perPurchaseMax')} />
      )}
      {limitPeriods
        .filter((period) => !omit.includes(`limits.${period}`))
        .map((period) => (
          <TextField
            key={period}
            label={t('admin.controls.limit', { period: periodLabels[period] })}
            inputMode="decimal"
            autoComplete="off"
            hint={amountHint}
            value={draft.limits[period]}
            onChange={setLimit(period)}
            error={errorFor(`limits.${period}`)}
          />
        ))}
      <div className="full-row">
        <CheckboxGroup
          legend={t('admin.controls.allowedCategories')}
          choices={merchantCategoryGroups}
          labels={categoryGroupLabels}
          selected={draft.allowedCategories}
          onChange={set('allowedCategories')}
          hint={t('admin.controls.allowedCategoriesHint')}
          error={errorFor('categories.allow')}
        />
      </div>
      <div className="full-row">
        <CheckboxGroup
          legend={t('admin.controls.blockedCategories')}
          choices={merchantCategoryGroups}
          labels={categoryGroupLabels}
          selected={draft.blockedCategories}
          onChange={set('blockedCategories')}
          error={errorFor('categories.block')}
        />
      </div>
      <TextField label={t('admin.controls.allowedCountries')} autoComplete="off" hint={t('admin.controls.allowedCountriesHint')} value={draft.allowedCountries} onChange={set('allowedCountries')} error={errorFor('countries.allow')} />
      <TextField label={t('admin.controls.blockedCountries')} autoComplete="off" hint={t('admin.controls.blockedCountriesHint')} value={draft.blockedCountries} onChange={set('blockedCountries')} error={errorFor('countries.block')} />
      <CheckboxGroup legend={t('admin.controls.channels')} choices={channels} labels={channelLabels} selected={draft.channels} onChange={set('channels')} hint={t('admin.controls.channelsHint')} error={errorFor('channels')} />
      <CheckboxGroup legend={t('admin.controls.weekdays')} choices={weekdays} labels={weekdayLabels} selected={draft.weekdays} onChange={set('weekdays')} hint={t('admin.controls.weekdaysHint')} error={errorFor('weekdays')} />
      <TextField label={t('admin.controls.hoursFrom')} type="number" min={0} max={24} step={1} required={hoursGiven} hint={t('admin.controls.hoursFromHint')} value={draft.hoursFrom} onChange={set('hoursFrom')} error={errorFor('hours')} />
      <TextField label={t('admin.controls.hoursTo')} type="number" min={0} max={24} step={1} required={hoursGiven} hint={t('admin.controls.hoursToHint')} value={draft.hoursTo} onChange={set('hoursTo')} />
      <TextField label={t('admin.controls.validFrom')} type="datetime-local" hint={t('admin.controls.validFromHint')} value={draft.validFrom} onChange={set('validFrom')} error={errorFor('validFrom')} />
      <TextField label={t('admin.controls.validUntil')} type="datetime-local" hint={t('admin.controls.validUntilHint')} value={draft.validUntil} onChange={set('validUntil')} error={errorFor('validUntil')} />
    </>
  );
}
