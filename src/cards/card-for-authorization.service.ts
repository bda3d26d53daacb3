// What the authorization engine and the network's messages read of a card, and the one change
// they make to it (a single-use card spent). Called inside the caller's transaction.
import { systemActor, type Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import type { CardForDecision } from './authorize.js';
import { recordEvent } from './card-changes.js';
import { cardExpiresAt } from './card-numbers.js';
import * as repo from './cards.repository.js';
import { readStoredControls } from './controls-json.js';

/** What the pure decision needs of a card. Stored controls are in minor units already. */
export function cardForDecision(card: repo.CardRow): CardForDecision {
  return {
    status: card.status,
    singleUse: card.kind === 'single_use',
    singleUseSpent: card.single_use_spent,
    expiresAt: cardExpiresAt({ month: card.expiry_month, year: card.expiry_year }),
    vendorLock: card.kind === 'vendor' ? { merchantId: card.vendor_merchant_id, merchantName: card.vendor_merchant_name, mcc: card.vendor_mcc } : null,
    controls: readStoredControls(card.controls),
  };
}

export interface CardForAuthorization {
  companyId: string;
  card: repo.CardRow;
  decision: CardForDecision;
  timeZone: string;
  walletCurrency: string;
}

/** Finds a card by its id alone (as the processor names it) and locks it for the rest of
 * the caller's transaction, so authorizations of one card take turns. */
export async function loadCardForAuthorization(trx: Db, cardId: string): Promise<CardForAuthorization | null> {
  const found = await repo.lockCardByRoute(trx, cardId);
  if (!found) return null;
  return { companyId: found.card.company_id, card: found.card, decision: cardForDecision(found.card), timeZone: found.timeZone, walletCurrency: found.currency };
}

/** A single-use card made its purchase: it declines everything after (the decision reads
 * single_use_spent). Returns false when there was nothing to change. Call it in the
 * clearing's transaction. */
export async function consumeSingleUseCard(trx: Db, companyId: string, cardId: string, actor: Actor = systemActor): Promise<boolean> {
  const card = await repo.lockCard(trx, companyId, cardId);
  if (!card || card.kind !== 'single_use' || card.single_use_spent) return false;
  const updated = await repo.updateCard(trx, companyId, cardId, { single_use_spent: true });
  await recordEvent(trx, updated, actor, 'single_use_spent', null);
  return true;
}
