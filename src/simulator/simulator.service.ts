// The card network played from inside Outlay, for the admin's "simulate a purchase" panel:
// the same authorization engine and network messages, limited to the caller's company.
// OUTLAY_SIMULATOR switches it on for the server (off: no routes at all); the `simulator`
// feature flag then decides per company, person or role, and off answers as not found.
import { authorizePurchase, type AuthorizationOutcome } from '../cards/authorization.service.js';
import type { Merchant } from '../cards/authorize.js';
import { findTransaction } from '../cards/card-transactions.service.js';
import { cardExists } from '../cards/card-reading.service.js';
import { applyNetworkEvent, type NetworkEventOutcome } from '../cards/network-events.service.js';
import type { Channel } from '../cards/spend-controls.js';
import type { Db } from '../db/database.js';
import { flagsOf } from '../flags/feature-flags.js';
import type { FlagContext } from '../flags/flag-targeting.js';
import { DomainError, notFound } from '../shared/errors.js';
import { networkId } from './network-client.js';

export interface SimulatedPurchase {
  cardId: string;
  amount: string;
  currency: string;
  merchant: Merchant;
  channel: Channel;
}

/** Who plays the simulator: their company, and themselves where a person does. */
export type SimulatorCaller = FlagContext & { companyId: string };

/** Whether the simulator is on for the caller (the `simulator` flag; on when unknown). */
export async function isSimulatorOn(db: Db, caller: SimulatorCaller): Promise<boolean> {
  return flagsOf(db).isOn('simulator', caller);
}

async function requireSimulatorOn(db: Db, caller: SimulatorCaller): Promise<void> {
  if (!(await isSimulatorOn(db, caller))) throw new DomainError('not_found', 'the simulator is switched off for this company');
}

export async function simulatePurchase(db: Db, caller: SimulatorCaller, input: SimulatedPurchase, now: Date): Promise<AuthorizationOutcome> {
  await requireSimulatorOn(db, caller);
  const { companyId } = caller;
  // Another company's card is not found here, whatever the network could reach.
  if (!(await cardExists(db, companyId, input.cardId))) throw notFound('card');
  return authorizePurchase(db, {
    networkId: networkId('sim'),
    cardId: input.cardId,
    amount: input.amount,
    currency: input.currency,
    merchant: input.merchant,
    channel: input.channel,
    occurredAt: now,
  }, now);
}

export type SimulatedEventType = 'clearing' | 'reversal' | 'refund' | 'expiry';

export async function simulateEvent(
  db: Db,
  caller: SimulatorCaller,
  input: { transactionId: string; type: SimulatedEventType; amount?: string },
  now: Date,
): Promise<NetworkEventOutcome> {
  await requireSimulatorOn(db, caller);
  const { companyId } = caller;
  const transaction = await findTransaction(db, companyId, input.transactionId);
  if (!transaction) throw notFound('card transaction');
  // A refund names the purchase it refunds, as a network's refund can: it refunds what is left
  // of it (or the amount given), and pressing Refund on a purchase with nothing left to refund
  // is refused (refund_exceeds_purchase) rather than booked as a flagged merchant credit.
  return applyNetworkEvent(db, {
    id: networkId('sim'),
    type: input.type,
    cardId: transaction.card_id,
    transactionNetworkId: transaction.network_id,
    amount: input.amount,
    ...(input.type === 'refund' ? { excessRefund: 'refuse' as const } : {}),
    occurredAt: now,
  }, now);
}
