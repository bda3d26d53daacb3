// Spending controls of a card and the calendar periods its limits count over.
//
// Period limits are calendar periods in the company's time zone: the day starts at local
// midnight, the week on Monday (ISO 8601), the month on the 1st, the year on 1 January;
// "lifetime" counts everything the card ever spent. Amounts are in the wallet's currency.
import type { MerchantCategoryGroup } from './merchant-categories.js';

export const periods = ['daily', 'weekly', 'monthly', 'yearly', 'lifetime'] as const;
export type Period = (typeof periods)[number];

export const channels = ['online', 'in_person', 'contactless', 'atm'] as const;
export type Channel = (typeof channels)[number];

export interface SpendControls {
  /** Largest single purchase, in minor units; null for no cap. */
  perPurchaseMax: bigint | null;
  limits: Partial<Record<Period, bigint>>;
  /** Allowed groups (null: all) and blocked groups; a block wins over an allow. */
  categories: { allow: MerchantCategoryGroup[] | null; block: MerchantCategoryGroup[] };
  /** ISO 3166-1 alpha-2 merchant countries. */
  countries: { allow: string[] | null; block: string[] };
  /** Allowed channels; null: all. */
  channels: Channel[] | null;
  /** Allowed ISO weekdays, 1 = Monday ... 7 = Sunday; null: every day. */
  weekdays: number[] | null;
  /** Allowed local hours [from, to), 0-24; null: all day. */
  hours: { from: number; to: number } | null;
  validFrom: Date | null;
  validUntil: Date | null;
}

export const noControls: SpendControls = {
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

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  hour: number;
  minute: number;
}

const weekdayNumbers: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: weekdayNumbers[parts.weekday!]!,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** The instant when the local wall-clock date `year-month-day 00:00` begins in `timeZone`. */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  // The zone's offset at the guess, corrected once more for a transition in between.
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const local = localTime(new Date(instant), timeZone);
    const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
    instant = guess - (asUtc - instant);
  }
  return new Date(instant);
}

/** When the period containing `at` began. */
export function periodStart(period: Period, at: Date, timeZone: string): Date {
  if (period === 'lifetime') return new Date(0);
  const local = localTime(at, timeZone);
  if (period === 'daily') return startOfLocalDay(local.year, local.month, local.day, timeZone);
  if (period === 'monthly') return startOfLocalDay(local.year, local.month, 1, timeZone);
  if (period === 'yearly') return startOfLocalDay(local.year, 1, 1, timeZone);
  const monday = new Date(Date.UTC(local.year, local.month - 1, local.day - (local.weekday - 1)));
  return startOfLocalDay(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
}

/** Later controls replace the earlier ones field by field: company defaults, then the card's. */
export function mergeControls(base: SpendControls, override: Partial<SpendControls>): SpendControls {
  return { ...base, ...Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined)) };
}
