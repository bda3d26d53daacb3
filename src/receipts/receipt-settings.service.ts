// The company's receipt rules: above which amount a purchase wants a receipt, after how many
// days its holder is reminded, and whether (after how many days) their card is frozen.
import type { Db } from '../db/database.js';
import { getCompany } from '../companies/companies.service.js';
import { parseAmount } from '../money/money.js';
import { DomainError } from '../shared/errors.js';
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
}

export async function updateReceiptSettings(db: Db, companyId: string, patch: ReceiptSettingsPatch): Promise<ReceiptSettingsView> {
  const company = await getCompany(db, companyId);
  const requiredAbove = patch.requiredAbove === undefined ? undefined : parseAmount(patch.requiredAbove, company.currency, { field: 'requiredAbove', allowZero: true });
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
    });
  });
  return { settings, currency: company.currency };
}
