// Reading cards: one card, a page of them, a card's events. Who sees which card is decided
// in card-access.ts; a card the principal may not see is "not found".
import type { Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { findVisibleCard, seesAll } from './card-access.js';
import { viewOf, type CardView } from './card-view.js';
import * as repo from './cards.repository.js';

export async function getCard(db: Db, principal: Principal, id: string, now: Date): Promise<CardView> {
  const card = await findVisibleCard(db, principal, id, 'see');
  return viewOf(card, (await getCompany(db, principal.companyId)).currency, now);
}

export async function listCards(db: Db, principal: Principal, filter: { userId?: string }, before: string | undefined, limit: number, now: Date): Promise<CardView[]> {
  let userId = filter.userId;
  if (!seesAll(principal)) {
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'this needs the cards:read permission');
    // Without cards:read, the list is one's own cards, whatever the filter asks for.
    if (userId !== undefined && userId !== principal.userId) return [];
    userId = principal.userId;
  }
  const { currency } = await getCompany(db, principal.companyId);
  const rows = await repo.listCards(db, principal.companyId, userId === undefined ? {} : { userId }, before, limit);
  return rows.map((row) => viewOf(row, currency, now));
}

export async function listCardEvents(db: Db, principal: Principal, id: string, before: string | undefined, limit: number): Promise<repo.CardEventRow[]> {
  await findVisibleCard(db, principal, id, 'see');
  return repo.listCardEvents(db, principal.companyId, id, before, limit);
}

/** Whether the company has a card with this id (for modules acting in the company, such as
 * the simulator; no access check). */
export async function cardExists(db: Db, companyId: string, id: string): Promise<boolean> {
  return (await repo.findCard(db, companyId, id)) !== undefined;
}

/** The company's vendor cards that are not cancelled: whom each is for and what it is locked to. */
export async function listOpenVendorCards(db: Db, companyId: string) {
  return repo.listOpenVendorCards(db, companyId);
}
