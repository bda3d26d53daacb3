// Freezes by Outlay itself, for a reason of its own (e.g. receipts overdue, src/receipts),
// recorded as card events by the system with that reason. Called inside the caller's
// transaction. A card someone froze stays theirs to lift: the system only lifts its own freeze.
import { systemActor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import { nextState, recordEvent } from './card-changes.js';
import { statusOf } from './card-view.js';
import * as repo from './cards.repository.js';

export interface SystemCardChange {
  card: repo.CardRow;
  event: repo.CardEventRow;
}

/**
 * Freezes an active card for `reason`. Returns the card and its event, or null when the card
 * was not active (nothing changed).
 */
export async function freezeCardBySystem(trx: Db, companyId: string, cardId: string, reason: string, details: Record<string, unknown>, now: Date): Promise<SystemCardChange | null> {
  const card = await repo.lockCard(trx, companyId, cardId);
  if (!card || statusOf(card, now) !== 'active') return null;
  const next = nextState(card, 'freeze', now);
  const updated = await repo.updateCard(trx, companyId, cardId, { status: next.status });
  const event = await recordEvent(trx, updated, systemActor, 'frozen', reason, { status: { from: card.status, to: next.status }, ...details });
  return { card: updated, event };
}

/**
 * Lifts a freeze Outlay set for `reason`, once that reason is gone. A card frozen since by
 * someone else, or frozen for another reason, is left alone. Returns the change when lifted.
 */
export async function unfreezeCardBySystem(trx: Db, companyId: string, cardId: string, reason: string, details: Record<string, unknown>, now: Date): Promise<SystemCardChange | null> {
  const card = await repo.lockCard(trx, companyId, cardId);
  if (!card || statusOf(card, now) !== 'frozen') return null;
  const frozen = await repo.lastCardEvent(trx, companyId, cardId, 'frozen');
  if (!frozen || frozen.actor_type !== 'system' || frozen.reason !== reason) return null;
  const next = nextState(card, 'unfreeze', now);
  const updated = await repo.updateCard(trx, companyId, cardId, { status: next.status });
  const event = await recordEvent(trx, updated, systemActor, 'unfrozen', reason, { status: { from: card.status, to: next.status }, ...details });
  return { card: updated, event };
}
