// Card controls as a form holds them (text as typed, ticked boxes) and back as the API's
// input. Amounts stay the decimal strings typed: the API checks them against the wallet's
// currency and names the field when one is wrong. Nothing here does arithmetic on money.
import type { ApiProblem } from '../api/problem';
import type { CardControls, CardControlsInput, Channel, LimitPeriod, MerchantCategoryGroup } from '../api/types';
import { periodLabels } from '../cards/card-labels';
import { asSentence } from '../components/status';
import { choicesOf } from '../format';

const limitPeriods = choicesOf(periodLabels);

export interface ControlsDraft {
  perPurchaseMax: string;
  limits: Record<LimitPeriod, string>;
  allowedCategories: MerchantCategoryGroup[];
  blockedCategories: MerchantCategoryGroup[];
  /** ISO 3166-1 alpha-2 codes, comma-separated as typed. */
  allowedCountries: string;
  blockedCountries: string;
  channels: Channel[];
  /** ISO weekdays as text, '1' (Monday) to '7'. */
  weekdays: string[];
  hoursFrom: string;
  hoursTo: string;
  /** datetime-local values, in the browser's time zone. */
  validFrom: string;
  validUntil: string;
}

/** No restriction at all: what a new card has before the company's defaults apply. */
export const noControls: CardControls = {
  perPurchaseMax: null,
  limits: {},
  categories: { allow: null, block: [] },
  countries: { allow: null, block: [] },
  channels: null,
  weekdays: null,
  hours: null,
  validFrom: null,
  validUntil: null,
};

/** The names the API uses for each control in its errors (under "controls." when issuing). */
export const controlFieldNames = [
  'perPurchaseMax',
  ...limitPeriods.map((period) => `limits.${period}`),
  'categories.allow',
  'categories.block',
  'countries.allow',
  'countries.block',
  'channels',
  'weekdays',
  'hours',
  'validFrom',
  'validUntil',
] as const;

const pad = (value: number) => String(value).padStart(2, '0');

function localDateTime(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** An RFC 3339 instant; what the browser cannot read is sent as typed, for the API to name. */
function instant(local: string): string | null {
  if (local.trim() === '') return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

function countryList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
}

export function draftFromControls(controls: CardControls): ControlsDraft {
  return {
    perPurchaseMax: controls.perPurchaseMax ?? '',
    limits: Object.fromEntries(limitPeriods.map((period) => [period, controls.limits[period] ?? ''])) as Record<LimitPeriod, string>,
    allowedCategories: controls.categories.allow ?? [],
    blockedCategories: controls.categories.block,
    allowedCountries: (controls.countries.allow ?? []).join(', '),
    blockedCountries: controls.countries.block.join(', '),
    channels: controls.channels ?? [],
    weekdays: (controls.weekdays ?? []).map(String),
    hoursFrom: controls.hours ? String(controls.hours.from) : '',
    hoursTo: controls.hours ? String(controls.hours.to) : '',
    validFrom: localDateTime(controls.validFrom),
    validUntil: localDateTime(controls.validUntil),
  };
}

/** Every control, as the API reads it. An empty allow list restricts nothing (null). */
export function completeInput(draft: ControlsDraft): Required<CardControlsInput> {
  const allowedCountries = countryList(draft.allowedCountries);
  const noHours = draft.hoursFrom.trim() === '' && draft.hoursTo.trim() === '';
  return {
    perPurchaseMax: draft.perPurchaseMax.trim() || null,
    limits: Object.fromEntries(limitPeriods.map((period) => [period, draft.limits[period].trim() || null])),
    categories: { allow: draft.allowedCategories.length > 0 ? draft.allowedCategories : null, block: draft.blockedCategories },
    countries: { allow: allowedCountries.length > 0 ? allowedCountries : null, block: countryList(draft.blockedCountries) },
    channels: draft.channels.length > 0 ? draft.channels : null,
    weekdays: draft.weekdays.length > 0 ? draft.weekdays.map(Number) : null,
    // The hour inputs are whole numbers 0 to 24, both required once either is filled in.
    hours: noHours ? null : { from: Number(draft.hoursFrom), to: Number(draft.hoursTo) },
    validFrom: instant(draft.validFrom),
    validUntil: instant(draft.validUntil),
  };
}

/** Only the controls the draft changes from `base`; each is sent whole (all five period
 * limits together, null for none), since the API replaces a control it is given. */
export function changedControls(base: CardControls, draft: ControlsDraft): CardControlsInput {
  const before = completeInput(draftFromControls(base));
  const after = completeInput(draft);
  const changed: Record<string, unknown> = {};
  for (const name of Object.keys(after) as (keyof CardControlsInput)[]) {
    if (JSON.stringify(after[name]) !== JSON.stringify(before[name])) changed[name] = after[name];
  }
  return changed as CardControlsInput;
}

/** The problem's field without the "controls." (a new card) or "defaultControls." (the
 * company's card settings) it has when the controls sit in a bigger body. */
function controlField(problem: ApiProblem | null): string | undefined {
  return problem?.field?.replace(/^(controls|defaultControls)\./, '');
}

/** The message for one control's input, when the problem names it or an item of it. */
export function controlError(problem: ApiProblem | null, name: string): string | undefined {
  const field = controlField(problem);
  if (!problem || !field) return undefined;
  if (field !== name && !field.startsWith(`${name}.`)) return undefined;
  // Beside its input, the detail's leading "controls.limits.monthly: " says nothing new.
  return asSentence(problem.detail.replace(`${problem.field}: `, ''));
}

export function namesAControl(problem: ApiProblem | null): boolean {
  return controlFieldNames.some((name) => controlError(problem, name) !== undefined);
}
