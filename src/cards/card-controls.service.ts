// A card's spending controls: changing them (cards:manage), and what is left of each of its
// period limits as of now.
import { actorOf, type Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { findVisibleCard, lockVisibleCard } from './card-access.js';
import { nextState, recordEvent } from './card-changes.js';
import { viewOf, type CardView } from './card-view.js';
import * as repo from './cards.repository.js';
import { checkControls, parseControls, readStoredControls, storedControlsJson, walletAmounts } from './controls-json.js';
import { mergeControls, periods, type Period } from './spend-controls.js';

/** Replaces the controls given in `patch` (API JSON, the request body: errors name fields
 * from there, e.g. "limits.monthly"); the others stay as they are. */
export async function updateControls(db: Db, principal: Principal, id: string, patch: unknown, now: Date): Promise<CardView> {
  const { currency } = await getCompany(db, principal.companyId);
  const given = parseControls(patch, walletAmounts(currency), '');
  return db.transaction().execute(async (trx) => {
    const card = await lockVisibleCard(trx, principal, id, 'manage');
    nextState(card, 'change_controls', now);
    const controls = checkControls(mergeControls(readStoredControls(card.controls), given), '');
    const updated = await repo.updateCard(trx, principal.companyId, id, { controls: storedControlsJson(controls) });
    await recordEvent(trx, updated, actorOf(principal), 'controls_changed', null, { changed: Object.keys(given), controls: JSON.parse(storedControlsJson(controls)) });
    return viewOf(updated, currency, now);
  });
}

export interface PeriodUsage {
  /** null: no limit for the period. */
  limit: bigint | null;
  spent: bigint;
  remaining: bigint | null;
}

export interface CardLimits {
  currency: string;
  perPurchaseMax: bigint | null;
  periods: Record<Period, PeriodUsage>;
}

export async function getCardLimits(db: Db, principal: Principal, id: string, now: Date): Promise<CardLimits> {
  const card = await findVisibleCard(db, principal, id, 'see');
  const company = await getCompany(db, principal.companyId);
  const controls = readStoredControls(card.controls);
  const spent = await repo.spentByPeriod(db, principal.companyId, id, now, company.time_zone);
  const usage = (period: Period): PeriodUsage => {
    const limit = controls.limits[period] ?? null;
    return { limit, spent: spent[period], remaining: limit === null ? null : limit > spent[period] ? limit - spent[period] : 0n };
  };
  return { currency: company.currency, perPurchaseMax: controls.perPurchaseMax, periods: Object.fromEntries(periods.map((p) => [p, usage(p)])) as Record<Period, PeriodUsage> };
}
