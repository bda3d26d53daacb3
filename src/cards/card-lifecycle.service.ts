// A card's lifecycle as people move it: freeze and unfreeze, activate, ship and deliver,
// cancel, and replace (cancel and issue a successor). Each move is one transaction that locks
// the card, asks card-lifecycle.ts whether the move is allowed, and writes a card event.
import { actorOf, type Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { FieldKeys } from '../shared/field-encryption.js';
import { DomainError } from '../shared/errors.js';
import { lockVisibleCard, manages, type Need } from './card-access.js';
import { checkText, nextState, recordEvent } from './card-changes.js';
import { checkCardholder, insertNewCard } from './card-issuing.service.js';
import type { CancelReason, CardAction, ReplaceReason } from './card-lifecycle.js';
import { viewOf, type CardView } from './card-view.js';
import * as repo from './cards.repository.js';
import { readStoredControls } from './controls-json.js';

export const eventReasonLengthMax = 200;

interface Change {
  action: CardAction;
  need: Need;
  /** The card event's action, in the past tense. */
  event: string;
  reason: string | null;
}

async function applyChange(db: Db, principal: Principal, id: string, change: Change, now: Date, guard?: (trx: Db, card: repo.CardRow) => Promise<void>): Promise<CardView> {
  return db.transaction().execute(async (trx) => {
    const card = await lockVisibleCard(trx, principal, id, change.need);
    const next = nextState(card, change.action, now);
    await guard?.(trx, card);
    const updated = await repo.updateCard(trx, principal.companyId, id, {
      status: next.status,
      shipping_status: next.shippingStatus,
      ...(change.action === 'cancel' && change.reason ? { cancel_reason: change.reason as CancelReason } : {}),
    });
    const details = card.shipping_status !== next.shippingStatus ? { shippingStatus: { from: card.shipping_status, to: next.shippingStatus } } : {};
    await recordEvent(trx, updated, actorOf(principal), change.event, change.reason, { status: { from: card.status, to: next.status }, ...details });
    return viewOf(updated, (await getCompany(trx, principal.companyId)).currency, now);
  });
}

export async function freezeCard(db: Db, principal: Principal, id: string, reason: string | undefined, now: Date): Promise<CardView> {
  return applyChange(db, principal, id, { action: 'freeze', need: 'holder_or_manage', event: 'frozen', reason: checkText(reason, 'reason', eventReasonLengthMax) }, now);
}

/** A cardholder may lift their own freeze; a freeze someone else set needs cards:manage. */
export async function unfreezeCard(db: Db, principal: Principal, id: string, reason: string | undefined, now: Date): Promise<CardView> {
  const change: Change = { action: 'unfreeze', need: 'holder_or_manage', event: 'unfrozen', reason: checkText(reason, 'reason', eventReasonLengthMax) };
  return applyChange(db, principal, id, change, now, async (trx, card) => {
    if (manages(principal)) return;
    const frozen = await repo.lastCardEvent(trx, card.company_id, card.id, 'frozen');
    if (frozen && !(frozen.actor_type === 'user' && frozen.actor_id === card.user_id)) {
      throw new DomainError('forbidden', 'someone else froze this card: ask a card manager to unfreeze it');
    }
  });
}

export async function activateCard(db: Db, principal: Principal, id: string, now: Date): Promise<CardView> {
  return applyChange(db, principal, id, { action: 'activate', need: 'holder', event: 'activated', reason: null }, now);
}

export async function cancelCard(db: Db, principal: Principal, id: string, reason: CancelReason, now: Date): Promise<CardView> {
  return applyChange(db, principal, id, { action: 'cancel', need: 'manage', event: 'cancelled', reason }, now);
}

export async function updateShipping(db: Db, principal: Principal, id: string, status: 'shipped' | 'delivered', now: Date): Promise<CardView> {
  const action = status === 'shipped' ? 'ship' : 'deliver';
  return applyChange(db, principal, id, { action, need: 'manage', event: status, reason: null }, now);
}

/** Cancels the card (reason "replaced") and issues a new one of the same kind to the same
 * person, with the same purpose, controls, shipping address or vendor. */
export async function replaceCard(db: Db, encryptionKey: FieldKeys, principal: Principal, id: string, reason: ReplaceReason, now: Date): Promise<{ old: CardView; replacement: CardView }> {
  const actor = actorOf(principal);
  return db.transaction().execute(async (trx) => {
    const card = await lockVisibleCard(trx, principal, id, 'manage');
    nextState(card, 'replace', now);
    // Cancelled first, so the old card does not count against the holder's open cards.
    const old = await repo.updateCard(trx, card.company_id, card.id, { status: 'cancelled', cancel_reason: 'replaced' });
    await checkCardholder(trx, card.company_id, card.user_id);
    const replacement = await insertNewCard(trx, encryptionKey, {
      companyId: card.company_id,
      userId: card.user_id,
      kind: card.kind,
      purpose: card.purpose,
      controls: readStoredControls(card.controls),
      shippingAddress: card.shipping_address,
      vendor: card.kind === 'vendor' ? { merchantId: card.vendor_merchant_id, merchantName: card.vendor_merchant_name, mcc: card.vendor_mcc } : null,
      replacesCardId: card.id,
    }, actor, now);
    await recordEvent(trx, old, actor, 'replaced', reason, { status: { from: card.status, to: 'cancelled' }, replacementCardId: replacement.id });
    const { currency } = await getCompany(trx, card.company_id);
    return { old: viewOf(old, currency, now), replacement: viewOf(replacement, currency, now) };
  });
}
