// Spending controls as JSON, both in the API and in the jsonb columns (cards.controls,
// card_settings.default_controls). The shapes are the same; only amounts differ: the API
// writes decimal strings in the wallet's currency ("250.00"), the database minor units as
// digit strings ("25000"), so stored controls never depend on a currency's exponent.
//
// Parsing checks every field and names it in the error ("controls.limits.monthly"); it
// returns only the fields given, to be merged over defaults with mergeControls.
import { amountMinorMax, formatAmount, parseAmount } from '../money/money.js';
import { DomainError } from '../shared/errors.js';
import { isMerchantCategoryGroup, merchantCategoryGroupNames, type MerchantCategoryGroup } from './merchant-categories.js';
import { channels, mergeControls, noControls, periods, type Channel, type Period, type SpendControls } from './spend-controls.js';

export interface ControlsJson {
  perPurchaseMax: string | null;
  limits: Partial<Record<Period, string>>;
  categories: { allow: string[] | null; block: string[] };
  countries: { allow: string[] | null; block: string[] };
  channels: Channel[] | null;
  weekdays: number[] | null;
  hours: { from: number; to: number } | null;
  validFrom: string | null;
  validUntil: string | null;
}

/** A list of countries longer than this is a mistake (ISO 3166-1 has 249 codes). */
export const countriesPerListMax = 250;
const controlNames = ['perPurchaseMax', 'limits', 'categories', 'countries', 'channels', 'weekdays', 'hours', 'validFrom', 'validUntil'] as const;

/** How amounts are written: see the module comment. */
export interface AmountCodec {
  parse(value: unknown, field: string): bigint;
  format(amount: bigint): string;
}

export function walletAmounts(currency: string): AmountCodec {
  return { parse: (value, field) => parseAmount(value, currency, { field }), format: (amount) => formatAmount(amount, currency) };
}

export const minorUnitAmounts: AmountCodec = {
  parse(value, field) {
    if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value) || BigInt(value) > amountMinorMax) {
      throw invalid(field, `stored amounts are positive whole minor units, got ${JSON.stringify(value)}`);
    }
    return BigInt(value);
  },
  format: (amount) => amount.toString(),
};

const invalid = (field: string, message: string) => new DomainError('validation_failed', `${field}: ${message}`, field);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectOf(value: unknown, field: string, known: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalid(field, 'must be an object');
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) throw invalid(`${field}.${unknown}`, `is not one of ${known.join(', ')}`);
  return value;
}

/** A non-empty list without repeats whose every item passes `check`. */
function listOf<T>(value: unknown, field: string, itemsMax: number, check: (item: unknown, field: string) => T): T[] {
  if (!Array.isArray(value)) throw invalid(field, 'must be a list');
  if (value.length === 0) throw invalid(field, 'must name at least one item; use null for no restriction');
  if (value.length > itemsMax) throw invalid(field, `may hold at most ${itemsMax} items`);
  const items = value.map((item, index) => check(item, `${field}.${index}`));
  if (new Set(items).size !== items.length) throw invalid(field, 'must not repeat an item');
  return items;
}

/** `null` when no restriction applies; a list otherwise. */
function optionalList<T>(value: unknown, field: string, itemsMax: number, check: (item: unknown, field: string) => T): T[] | null {
  return value === null ? null : listOf(value, field, itemsMax, check);
}

/** Block lists may be empty: nothing blocked. */
function blockList<T>(value: unknown, field: string, itemsMax: number, check: (item: unknown, field: string) => T): T[] {
  return Array.isArray(value) && value.length === 0 ? [] : listOf(value, field, itemsMax, check);
}

function categoryGroup(item: unknown, field: string): MerchantCategoryGroup {
  if (typeof item !== 'string' || !isMerchantCategoryGroup(item)) {
    throw invalid(field, `${JSON.stringify(item)} is not a merchant category group (one of ${merchantCategoryGroupNames.join(', ')})`);
  }
  return item;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** ISO 3166-1 alpha-2, upper case. ICU knows the assigned codes: it has no name for "XX". */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && code !== 'ZZ' && regionNames.of(code) !== code;
}

export function countryCode(item: unknown, field: string): string {
  if (typeof item !== 'string' || !isCountryCode(item)) throw invalid(field, `${JSON.stringify(item)} is not an ISO 3166-1 alpha-2 country code in upper case, like "DK"`);
  return item;
}

function channel(item: unknown, field: string): Channel {
  if (typeof item !== 'string' || !(channels as readonly string[]).includes(item)) {
    throw invalid(field, `${JSON.stringify(item)} is not a channel (one of ${channels.join(', ')})`);
  }
  return item as Channel;
}

function weekday(item: unknown, field: string): number {
  if (!Number.isInteger(item) || (item as number) < 1 || (item as number) > 7) throw invalid(field, 'weekdays are 1 (Monday) to 7 (Sunday)');
  return item as number;
}

function hours(value: unknown, field: string): { from: number; to: number } | null {
  if (value === null) return null;
  const { from, to } = objectOf(value, field, ['from', 'to']);
  for (const [name, hour] of [['from', from], ['to', to]] as const) {
    if (!Number.isInteger(hour) || (hour as number) < 0 || (hour as number) > 24) throw invalid(`${field}.${name}`, 'hours are whole numbers from 0 to 24');
  }
  if ((from as number) >= (to as number)) throw invalid(field, 'from must be before to (local hours, [from, to))');
  return { from: from as number, to: to as number };
}

const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function instant(value: unknown, field: string): Date | null {
  if (value === null) return null;
  const date = typeof value === 'string' && dateTimePattern.test(value) ? new Date(value) : null;
  // Year 0 and instants before year 1 in UTC are no calendar's: JavaScript reads them, nothing else does.
  if (!date || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1) throw invalid(field, 'must be an RFC 3339 date-time with its offset, like "2026-05-01T00:00:00Z", or null');
  return date;
}

function limits(value: unknown, field: string, amounts: AmountCodec): Partial<Record<Period, bigint>> {
  const given = objectOf(value, field, periods);
  const parsed: Partial<Record<Period, bigint>> = {};
  for (const period of periods) {
    const amount = given[period];
    // null and absent both mean: no limit for this period.
    if (amount !== undefined && amount !== null) parsed[period] = amounts.parse(amount, `${field}.${period}`);
  }
  return parsed;
}

function allowAndBlock<T>(value: unknown, field: string, itemsMax: number, check: (item: unknown, field: string) => T) {
  const { allow, block } = objectOf(value, field, ['allow', 'block']);
  return {
    allow: optionalList(allow === undefined ? null : allow, `${field}.allow`, itemsMax, check),
    block: block === undefined ? [] : blockList(block, `${field}.block`, itemsMax, check),
  };
}

/** The controls given in `input`, each checked; fields left out stay out. `field` is where
 * the controls sit in the request body ('' when they are the body), for error messages. */
export function parseControls(input: unknown, amounts: AmountCodec, field = 'controls'): Partial<SpendControls> {
  const given = objectOf(input, field || 'controls', controlNames);
  const at = (name: string) => (field ? `${field}.${name}` : name);
  const parsed: Partial<SpendControls> = {};
  if (given.perPurchaseMax !== undefined) parsed.perPurchaseMax = given.perPurchaseMax === null ? null : amounts.parse(given.perPurchaseMax, at('perPurchaseMax'));
  if (given.limits !== undefined) parsed.limits = limits(given.limits, at('limits'), amounts);
  if (given.categories !== undefined) parsed.categories = allowAndBlock(given.categories, at('categories'), merchantCategoryGroupNames.length, categoryGroup);
  if (given.countries !== undefined) parsed.countries = allowAndBlock(given.countries, at('countries'), countriesPerListMax, countryCode);
  if (given.channels !== undefined) parsed.channels = optionalList(given.channels, at('channels'), channels.length, channel);
  if (given.weekdays !== undefined) parsed.weekdays = optionalList(given.weekdays, at('weekdays'), 7, weekday)?.sort((a, b) => a - b) ?? null;
  if (given.hours !== undefined) parsed.hours = hours(given.hours, at('hours'));
  if (given.validFrom !== undefined) parsed.validFrom = instant(given.validFrom, at('validFrom'));
  if (given.validUntil !== undefined) parsed.validUntil = instant(given.validUntil, at('validUntil'));
  return parsed;
}

/** Checks what only the whole set can show, after defaults and changes are merged. */
export function checkControls(controls: SpendControls, field = 'controls'): SpendControls {
  if (controls.validFrom && controls.validUntil && controls.validFrom >= controls.validUntil) {
    throw invalid(field ? `${field}.validUntil` : 'validUntil', 'must be after validFrom');
  }
  return controls;
}

/** Complete controls from JSON: what is left out means "no restriction". */
export function parseCompleteControls(input: unknown, amounts: AmountCodec, field = 'controls'): SpendControls {
  return checkControls(mergeControls(noControls, parseControls(input, amounts, field)), field);
}

export function controlsToJson(controls: SpendControls, amounts: AmountCodec): ControlsJson {
  const limitsJson: Partial<Record<Period, string>> = {};
  for (const period of periods) {
    const limit = controls.limits[period];
    if (limit !== undefined) limitsJson[period] = amounts.format(limit);
  }
  return {
    perPurchaseMax: controls.perPurchaseMax === null ? null : amounts.format(controls.perPurchaseMax),
    limits: limitsJson,
    categories: { allow: controls.categories.allow, block: controls.categories.block },
    countries: { allow: controls.countries.allow, block: controls.countries.block },
    channels: controls.channels,
    weekdays: controls.weekdays,
    hours: controls.hours,
    validFrom: controls.validFrom?.toISOString() ?? null,
    validUntil: controls.validUntil?.toISOString() ?? null,
  };
}

/** The jsonb text to store. */
export function storedControlsJson(controls: SpendControls): string {
  return JSON.stringify(controlsToJson(controls, minorUnitAmounts));
}

/** Controls read back from a jsonb column; `{}` (the column default) is no restriction. */
export function readStoredControls(json: unknown): SpendControls {
  return parseCompleteControls(json, minorUnitAmounts);
}
