// A company's card settings: the controls new cards start from, the FX markup on purchases
// in other currencies, and how long holds live. The row is created with the migration's
// defaults the first time anyone reads it.
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { parseCompleteControls, readStoredControls, storedControlsJson, walletAmounts } from './controls-json.js';
import * as repo from './cards.repository.js';
import type { SpendControls } from './spend-controls.js';

export type { CardSettingsRow } from './cards.repository.js';

// The bounds of the CHECK constraints in migrations/0002_cards.sql, checked here first so
// that a wrong value is refused naming its field.
/** 10 %. */
export const fxMarkupBasisPointsMax = 1000;
/** 90 days. */
export const holdExpiryHoursMax = 2160;

export interface CardSettings {
  currency: string;
  defaultControls: SpendControls;
  fxMarkupBasisPoints: number;
  holdExpiryHours: number;
  longHoldExpiryHours: number;
  updatedAt: Date;
}

const settingsView = (row: repo.CardSettingsRow, currency: string): CardSettings => ({
  currency,
  defaultControls: readStoredControls(row.default_controls),
  fxMarkupBasisPoints: row.fx_markup_basis_points,
  holdExpiryHours: row.hold_expiry_hours,
  longHoldExpiryHours: row.long_hold_expiry_hours,
  updatedAt: row.updated_at,
});

/** The company's card settings row, created with its defaults when missing. */
export async function loadCardSettings(db: Db, companyId: string): Promise<repo.CardSettingsRow> {
  return (await repo.findCardSettings(db, companyId)) ?? repo.createCardSettings(db, companyId);
}

/** loadCardSettings for several companies, by company id. */
export async function loadCardSettingsMany(db: Db, companyIds: readonly string[]): Promise<Map<string, repo.CardSettingsRow>> {
  const found = new Map((await repo.findCardSettingsMany(db, companyIds)).map((row) => [row.company_id, row]));
  for (const companyId of new Set(companyIds)) if (!found.has(companyId)) found.set(companyId, await repo.createCardSettings(db, companyId));
  return found;
}

export async function getCardSettings(db: Db, companyId: string): Promise<CardSettings> {
  const { currency } = await getCompany(db, companyId);
  return settingsView(await loadCardSettings(db, companyId), currency);
}

export interface CardSettingsInput {
  defaultControls: unknown;
  fxMarkupBasisPoints: number;
  holdExpiryHours: number;
  longHoldExpiryHours: number;
}

function checkWhole(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new DomainError('validation_failed', `${field} is a whole number from ${min} to ${max}`, field);
  return value;
}

export async function updateCardSettings(db: Db, companyId: string, input: CardSettingsInput, actor: Actor): Promise<CardSettings> {
  const { currency } = await getCompany(db, companyId);
  const defaultControls = parseCompleteControls(input.defaultControls, walletAmounts(currency), 'defaultControls');
  const holdExpiryHours = checkWhole(input.holdExpiryHours, 'holdExpiryHours', 1, holdExpiryHoursMax);
  const values = {
    default_controls: storedControlsJson(defaultControls),
    fx_markup_basis_points: checkWhole(input.fxMarkupBasisPoints, 'fxMarkupBasisPoints', 0, fxMarkupBasisPointsMax),
    hold_expiry_hours: holdExpiryHours,
    // Hotels and car rentals bill at the end of a stay: their holds never live shorter.
    long_hold_expiry_hours: checkWhole(input.longHoldExpiryHours, 'longHoldExpiryHours', holdExpiryHours, holdExpiryHoursMax),
  };
  return db.transaction().execute(async (trx) => {
    await loadCardSettings(trx, companyId);
    const row = await repo.updateCardSettings(trx, companyId, values);
    await recordAudit(trx, { companyId, ...actor, action: 'card_settings.updated', subjectType: 'company', subjectId: companyId, details: { ...values, default_controls: JSON.parse(values.default_controls) } });
    return settingsView(row, currency);
  });
}
