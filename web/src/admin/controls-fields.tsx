// The inputs for every card control, laid out for a two-column form. Used by the cards
// table's controls editor and by the issue form's "More controls".
import type { LimitPeriod } from '../api/types';
import { categoryGroupLabels, channelLabels, periodLabels, weekdayLabels } from '../cards/card-labels';
import { CheckboxGroup, TextField } from '../components/fields';
import { choicesOf } from '../format';
import type { ControlsDraft } from './controls-draft';

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
  const amountHint = `In ${currency}; empty for none`;
  return (
    <>
      {!omit.includes('perPurchaseMax') && (
        <TextField label="Per-purchase maximum" inputMode="decimal" autoComplete="off" hint={amountHint} value={draft.perPurchaseMax} onChange={set('perPurchaseMax')} error={errorFor('perPurchaseMax')} />
      )}
      {limitPeriods
        .filter((period) => !omit.includes(`limits.${period}`))
        .map((period) => (
          <TextField
            key={period}
            label={`${periodLabels[period]} limit`}
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
          legend="Only these kinds of merchant"
          choices={merchantCategoryGroups}
          labels={categoryGroupLabels}
          selected={draft.allowedCategories}
          onChange={set('allowedCategories')}
          hint="None ticked: every kind is allowed."
          error={errorFor('categories.allow')}
        />
      </div>
      <div className="full-row">
        <CheckboxGroup
          legend="Blocked kinds of merchant"
          choices={merchantCategoryGroups}
          labels={categoryGroupLabels}
          selected={draft.blockedCategories}
          onChange={set('blockedCategories')}
          error={errorFor('categories.block')}
        />
      </div>
      <TextField label="Only these countries" autoComplete="off" hint="Two-letter codes, comma-separated, e.g. DK, SE; empty for all" value={draft.allowedCountries} onChange={set('allowedCountries')} error={errorFor('countries.allow')} />
      <TextField label="Blocked countries" autoComplete="off" hint="Two-letter codes, comma-separated" value={draft.blockedCountries} onChange={set('blockedCountries')} error={errorFor('countries.block')} />
      <CheckboxGroup legend="Ways to pay" choices={channels} labels={channelLabels} selected={draft.channels} onChange={set('channels')} hint="None ticked: every way." error={errorFor('channels')} />
      <CheckboxGroup legend="Weekdays" choices={weekdays} labels={weekdayLabels} selected={draft.weekdays} onChange={set('weekdays')} hint="None ticked: every day." error={errorFor('weekdays')} />
      <TextField label="From hour" type="number" min={0} max={24} step={1} required={hoursGiven} hint="Company time, 0 to 24; empty for any time" value={draft.hoursFrom} onChange={set('hoursFrom')} error={errorFor('hours')} />
      <TextField label="Until hour" type="number" min={0} max={24} step={1} required={hoursGiven} hint="Purchases before this hour" value={draft.hoursTo} onChange={set('hoursTo')} />
      <TextField label="Valid from" type="datetime-local" hint="Your time zone; empty for now" value={draft.validFrom} onChange={set('validFrom')} error={errorFor('validFrom')} />
      <TextField label="Valid until" type="datetime-local" hint="Empty for no end" value={draft.validUntil} onChange={set('validUntil')} error={errorFor('validUntil')} />
    </>
  );
}
