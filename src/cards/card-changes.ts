// What every change to a card shares: the lifecycle's verdict on the move (card-lifecycle.ts)
// and the card event (who, what, why) written in the same transaction as the change, with its
// line in the company's audit trail.
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { transition, type CardAction } from './card-lifecycle.js';
import { recordCardWebhook } from './card-webhooks.js';
import { statusOf } from './card-view.js';
import * as repo from './cards.repository.js';

/** The move the lifecycle allows from the card's state as of now; a refused move throws. */
export function nextState(card: repo.CardRow, action: CardAction, now: Date) {
  const state = { kind: card.kind, status: statusOf(card, now), shippingStatus: card.shipping_status };
  const result = transition(state, action);
  if (!result.allowed) throw new DomainError('card_state_invalid', result.reason);
  return result;
}

export async function recordEvent(trx: Db, card: repo.CardRow, actor: Actor, action: string, reason: string | null, details: Record<string, unknown> = {}): Promise<repo.CardEventRow> {
  await recordAudit(trx, { companyId: card.company_id, ...actor, action: `card.${action}`, subjectType: 'card', subjectId: card.id, details: reason === null ? details : { ...details, reason } });
  const event = await repo.insertCardEvent(trx, {
    company_id: card.company_id,
    id: newId('cardEvent'),
    card_id: card.id,
    actor_type: actor.actorType,
    actor_id: actor.actorId,
    action,
    reason,
    details,
  });
  await recordCardWebhook(trx, card, action, reason, event.created_at);
  return event;
}

/** Free text given with a change (a purpose, a reason): trimmed, at most `lengthMax`, blank as null. */
export function checkText(value: string | undefined | null, field: string, lengthMax: number): string | null {
  const text = value?.trim() ?? '';
  if (text.length > lengthMax) throw new DomainError('validation_failed', `${field} has at most ${lengthMax} characters`, field);
  return text.length === 0 ? null : text;
}
