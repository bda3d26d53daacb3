// Who may see and change a card. With cards:read (or cards:manage) a principal sees every card
// of the company; without it, a person sees only their own, and anyone else's card is "not
// found". cards:manage issues, cancels, replaces, ships and changes controls. The cardholder
// (or cards:manage) freezes; only the cardholder activates and reveals.
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/errors.js';
import * as repo from './cards.repository.js';

export type Need = 'see' | 'holder_or_manage' | 'manage' | 'holder';

const isHolder = (principal: Principal, card: repo.CardRow) => principal.kind === 'user' && principal.userId === card.user_id;
export const seesAll = (principal: Principal) => principal.permissions.has('cards:read') || principal.permissions.has('cards:manage');
export const manages = (principal: Principal) => principal.permissions.has('cards:manage');

function checkAccess(principal: Principal, card: repo.CardRow | undefined, need: Need): repo.CardRow {
  // A card the principal may not see does not exist for them: 404, never 403.
  if (!card || card.company_id !== principal.companyId || !(seesAll(principal) || isHolder(principal, card))) throw notFound('card');
  if (need === 'manage' && !manages(principal)) throw new DomainError('forbidden', 'this needs the cards:manage permission');
  if (need === 'holder_or_manage' && !manages(principal) && !isHolder(principal, card)) {
    throw new DomainError('forbidden', 'only the cardholder or someone with cards:manage may do this');
  }
  if (need === 'holder' && !isHolder(principal, card)) throw new DomainError('forbidden', 'only the cardholder may do this');
  return card;
}

/** The card the principal may see, for what they need to do with it. */
export async function findVisibleCard(db: Db, principal: Principal, id: string, need: Need): Promise<repo.CardRow> {
  return checkAccess(principal, await repo.findCard(db, principal.companyId, id), need);
}

/** The same, locked for the rest of the transaction: changes to one card take turns. */
export async function lockVisibleCard(trx: Db, principal: Principal, id: string, need: Need): Promise<repo.CardRow> {
  return checkAccess(principal, await repo.lockCard(trx, principal.companyId, id), need);
}
