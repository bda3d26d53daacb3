// Spending controls of a card and the calendar periods its limits count over.
//
// Period limits are calendar periods in the company's time zone: the day starts at local
// midnight, the week on Monday (ISO 8601), the month on the 1st, the year on 1 January;
// "lifetime" counts everything the card ever spent. Amounts are in the wallet's currency.
import { startOf } from '../companies/company-calendar.js';
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

const calendarUnitOf = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' } as const;

/** The periods the controls limit, whose spend an authorization must read. */
export function limitedPeriods(controls: SpendControls): Period[] {
  return periods.filter((period) => controls.limits[period] !== undefined);
}

/** When the period containing `at` began, in the company's calendar. */
export function periodStart(period: Period, at: Date, timeZone: string): Date {
  if (period === 'lifetime') return new Date(0);
  return startOf(calendarUnitOf[period], at, timeZone);
}

/** Later controls replace the earlier ones field by field: company defaults, then the card's. */
export function mergeControls(base: SpendControls, override: Partial<SpendControls>): SpendControls {
  return { ...base, ...Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined)) };
}
