// The terms a network message was first taken with, kept beside it, so that a repeat of its
// id (the network's idempotency: a retransmission after a timeout) can be told apart from a
// different message that reuses the id. A retransmission carries the same card, amount and
// currency; anything else is refused and changes nothing, instead of being answered with the
// first message's outcome as if it had been decided.
import { DomainError } from '../shared/errors.js';
import type { NetworkEvent } from './network-event-context.js';

/** "12.50" and "12.5" are the same amount; the amount's own checks come later. */
function normalAmount(amount: string | undefined): string {
  if (amount === undefined) return '-';
  const trimmed = amount.trim();
  return trimmed.includes('.') ? trimmed.replace(/0+$/, '').replace(/\.$/, '') : trimmed;
}

export function authorizationTerms(request: { cardId: string; amount: string; currency: string }): string {
  return `authorization card=${request.cardId} amount=${normalAmount(request.amount)} currency=${request.currency.toUpperCase()}`;
}

export function networkEventTerms(event: Pick<NetworkEvent, 'type' | 'cardId' | 'transactionNetworkId' | 'amount' | 'currency'>): string {
  return `${event.type} card=${event.cardId} transaction=${event.transactionNetworkId ?? '-'} amount=${normalAmount(event.amount)} currency=${event.currency?.toUpperCase() ?? '-'}`;
}

/** Refuses a repeat whose terms differ from the first message's. Terms not kept (rows older
 * than migration 0013) cannot be compared, and the first outcome stands. */
export function checkRepeatTerms(networkId: string, kept: string | null, given: string): void {
  if (kept === null || kept === given) return;
  throw new DomainError('network_id_reused', `network id "${networkId}" was used before for another message (${kept}); a repeat carries the same card, amount and currency`, 'id');
}
