// What is still missing: card purchases above the company's threshold with neither a receipt
// nor a declaration that it was lost, listed one by one or counted per person.
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { listedOwner } from './receipt-access.js';
import { getReceiptSettings } from './receipt-settings.service.js';
import * as repo from './receipts.repository.js';

/** The people the summary lists at most, those missing receipts for longest first. */
export const missingSummaryPeopleMax = 500;

export async function listMissingReceipts(db: Db, principal: Principal, filter: { userId?: string; before?: string; limit: number }): Promise<repo.CardTransactionRow[]> {
  const settings = await getReceiptSettings(db, principal.companyId);
  const userId = listedOwner(principal, filter.userId);
  return repo.listMissing(db, { companyId: principal.companyId, userId, requiredAbove: settings.required_above, before: filter.before, limit: filter.limit });
}

export async function missingReceiptsByPerson(db: Db, principal: Principal): Promise<repo.MissingByPerson[]> {
  const settings = await getReceiptSettings(db, principal.companyId);
  return repo.countMissingByPerson(db, { companyId: principal.companyId, requiredAbove: settings.required_above }, missingSummaryPeopleMax);
}
