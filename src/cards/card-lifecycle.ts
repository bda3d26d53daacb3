// Which changes a card may go through, as a pure decision: the card's kind and status in,
// the status it moves to (or why not) out. The service applies the result; the tests walk
// every pair of status and action.
//
// virtual, single_use, vendor: issued active.  physical: issued inactive and ordered, then
// shipped and delivered by the processor or an admin, activated by the cardholder.
// active <-> frozen by freeze/unfreeze. Cancelling (or replacing, which cancels) is final.
// A card past its expiry month reads as expired; it can still be cancelled or replaced.
import type { CardStatus } from './authorize.js';
import { cardExpiresAt, type Expiry } from './card-numbers.js';

export const cardKinds = ['virtual', 'physical', 'single_use', 'vendor'] as const;
export type CardKind = (typeof cardKinds)[number];

export const cardStatuses = ['inactive', 'active', 'frozen', 'cancelled', 'expired'] as const satisfies readonly CardStatus[];

export const shippingStatuses = ['ordered', 'shipped', 'delivered'] as const;
export type ShippingStatus = (typeof shippingStatuses)[number];

export const cancelReasons = ['lost', 'stolen', 'damaged', 'no_longer_needed'] as const;
export type CancelReason = (typeof cancelReasons)[number];
/** Why a card is replaced; the old card is cancelled with reason "replaced". */
export const replaceReasons = ['lost', 'stolen', 'damaged', 'expiring'] as const;
export type ReplaceReason = (typeof replaceReasons)[number];
export type StoredCancelReason = CancelReason | 'replaced';

export const cardActions = ['freeze', 'unfreeze', 'activate', 'ship', 'deliver', 'cancel', 'replace', 'change_controls'] as const;
export type CardAction = (typeof cardActions)[number];

export interface CardState {
  kind: CardKind;
  /** As read: expiry already applied (effectiveStatus). */
  status: CardStatus;
  shippingStatus: ShippingStatus | null;
}

export type Transition =
  | { allowed: true; status: CardStatus; shippingStatus: ShippingStatus | null }
  | { allowed: false; reason: string };

export function initialState(kind: CardKind): { status: CardStatus; shippingStatus: ShippingStatus | null } {
  return kind === 'physical' ? { status: 'inactive', shippingStatus: 'ordered' } : { status: 'active', shippingStatus: null };
}

/** The stored status, or "expired" once the expiry month is over. */
export function effectiveStatus(status: CardStatus, expiry: Expiry, now: Date): CardStatus {
  if (status === 'cancelled' || status === 'expired') return status;
  return now > cardExpiresAt(expiry) ? 'expired' : status;
}

const refuse = (reason: string): Transition => ({ allowed: false, reason });

export function transition(card: CardState, action: CardAction): Transition {
  const to = (status: CardStatus, shippingStatus = card.shippingStatus): Transition => ({ allowed: true, status, shippingStatus });
  const is = `the card is ${card.status}`;
  if (card.status === 'cancelled') return refuse(`${is}: a cancelled card cannot change`);
  if (action === 'cancel' || action === 'replace') return to('cancelled');
  if (card.status === 'expired') return refuse(`${is}: an expired card can only be cancelled or replaced`);
  switch (action) {
    case 'freeze':
      return card.status === 'active' ? to('frozen') : refuse(`${is}: only an active card can be frozen`);
    case 'unfreeze':
      return card.status === 'frozen' ? to('active') : refuse(`${is}: only a frozen card can be unfrozen`);
    case 'change_controls':
      return to(card.status);
  }
  if (card.kind !== 'physical') return refuse(`${is}: a ${card.kind} card is never shipped or activated, only physical cards are`);
  switch (action) {
    case 'activate':
      if (card.status !== 'inactive') return refuse(`${is}: only an inactive card can be activated`);
      if (card.shippingStatus === 'ordered') return refuse(`${is} and not shipped yet: it can be activated once it is on its way`);
      // The cardholder has the card in hand: it arrived, whatever the carrier reported.
      return to('active', 'delivered');
    case 'ship':
      return card.status === 'inactive' && card.shippingStatus === 'ordered'
        ? to('inactive', 'shipped')
        : refuse(`${is} and ${card.shippingStatus}: only an inactive card that was ordered can be shipped`);
    case 'deliver':
      return card.status === 'inactive' && (card.shippingStatus === 'ordered' || card.shippingStatus === 'shipped')
        ? to('inactive', 'delivered')
        : refuse(`${is} and ${card.shippingStatus}: only an inactive card on its way can be delivered`);
  }
}
