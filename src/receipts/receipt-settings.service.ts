// The company's receipt rules: above which amount a purchase wants a receipt, after how many
// days its holder is reminded, whether (after how many days) their card is frozen, and how
// far a receipt's total may be from the amount claimed (receipt-check.ts).
import type { Db } from '../db/database.js';
import { getCompany } from '../companies/companies.service.js';
import { parseAmount } from '../money/money.js';
import { DomainError } from '../shared/errors.js';
import { amountToleranceBasisPointsMax, amountToleranceFixedMax } from './receipt-check.js';
import * as repo from './receipts.repository.js';

/** What a company without a settings row of its own gets: the column defaults of
 * receipt_settings (migrations/0003_receipts.sql). Purchases above this (minor units) want a
 * receipt, and their holder is reminded after this many days. */
export const receiptRequiredAboveDefault = 0n;
export const reminderDaysDefault = 3;

export async function getReceiptSettings(db: Db, companyId: string): Promise<repo.ReceiptSettingsRow> {
  return (await repo.findSettings(db, companyId)) ?? repo.ensureSettings(db, companyId);
}

export interface ReceiptSettingsView {
  settings: repo.ReceiptSettingsRow;
  /** The company's currency, which the amount is in. */
  currency: string;
}

export async function getReceiptSettingsView(db: Db, companyId: string): Promise<ReceiptSettingsView> {
  const [settings, company] = await Promise.all([getReceiptSettings(db, companyId), getCompany(db, companyId)]);
  return { settings, currency: company.currency };
}

export interface ReceiptSettingsPatch {
  requiredAbove?: string;
  reminderAfterDays?: number;
  freezeAfterDays?: number | null;
  amountTolerance?: { percent?: string; fixed?: string };
}

/** "5" → 500, "2.5" → 250: a percentage with at most two decimals, up to the bound, as basis points. */
export function percentToBasisPoints(value: string, field: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(value);
  const basisPoints = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : Number.NaN;
  if (!(basisPoints >= 0 && basisPoints <= amountToleranceBasisPointsMax)) {
    throw new DomainError('validation_failed', `${field} is a percentage from 0 to ${amountToleranceBasisPointsMax / 100} with at most two decimals, e.g. "5" or "2.5"`, field);
  }
  return basisPoints;
}

/** 500 → "5", 250 → "2.5". */
export function basisPointsToPercent(basisPoints: number): string {
  const fraction = String(basisPoints % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${Math.trunc(basisPoints / 100)}.${fraction}` : String(Math.trunc(basisPoints / 100));
}

function toleranceChange(patch: ReceiptSettingsPatch, currency: string) {
  const tolerance = patch.amountTolerance;
  if (!tolerance) return {};
  const fixed = tolerance.fixed === undefined ? undefined : parseAmount(tolerance.fixed, currency, { field: 'amountTolerance.fixed', allowZero: true });
  if (fixed !== undefined && fixed > amountToleranceFixedMax) throw new DomainError('validation_failed', `amountTolerance.fixed is at most ${amountToleranceFixedMax} minor units of ${currency}`, 'amountTolerance.fixed');
  return {
    ...(tolerance.percent !== undefined ? { amount_tolerance_bp: percentToBasisPoints(tolerance.percent, 'amountTolerance.percent') } : {}),
    ...(fixed !== undefined ? { amount_tolerance_fixed: fixed } : {}),
  };
}

export async function updateReceiptSettings(db: Db, companyId: string, patch: ReceiptSettingsPatch): Promise<ReceiptSettingsView> {
  const company = await getCompany(db, companyId);
  const requiredAbove = patch.requiredAbove === undefined ? undefined : parseAmount(patch.requiredAbove, company.currency, { field: 'requiredAbove', allowZero: true });
  const tolerance = toleranceChange(patch, company.currency);
  const settings = await db.transaction().execute(async (trx) => {
    const current = await repo.ensureSettings(trx, companyId);
    const reminderAfterDays = patch.reminderAfterDays ?? current.reminder_after_days;
    const freezeAfterDays = patch.freezeAfterDays === undefined ? current.freeze_after_days : patch.freezeAfterDays;
    if (freezeAfterDays !== null && freezeAfterDays < reminderAfterDays) {
      throw new DomainError('validation_failed', `cards are frozen only after the reminder went out: freezeAfterDays must be at least reminderAfterDays (${reminderAfterDays})`, 'freezeAfterDays');
    }
    return repo.updateSettings(trx, companyId, {
      ...(requiredAbove !== undefined ? { required_above: requiredAbove } : {}),
      reminder_after_days: reminderAfterDays,
      freeze_after_days: freezeAfterDays,
      ...tolerance,
    });
  });
  return { settings, currency: company.currency };
}
