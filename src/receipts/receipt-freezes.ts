// Cards frozen for missing receipts, inside the caller's transaction: the sweep freezes a
// card once a receipt is overdue past the company's deadline, and the freeze is lifted as
// soon as none is (a receipt attached, one declared lost, the rule switched off). Only a
// freeze Outlay set for this reason is lifted; a card someone froze stays theirs to unfreeze.
import { freezeCardBySystem, unfreezeCardBySystem } from '../cards/card-system-freezes.service.js';
import type { Db } from '../db/database.js';
import { notify } from '../notifications/notifications.service.js';
import { receiptRequiredAboveDefault } from './receipt-settings.service.js';
import * as repo from './receipts.repository.js';

/** Freezes the active card for its `overdue` receipts and tells its holder. Returns false
 * when the card was not active (nothing changed). */
export async function freezeCardForReceipts(trx: Db, companyId: string, cardId: string, overdue: number, now: Date): Promise<boolean> {
  const change = await freezeCardBySystem(trx, companyId, cardId, repo.receiptsFreezeReason, { overdueReceipts: overdue }, now);
  if (!change) return false;
  await notify(trx, {
    companyId,
    userId: change.card.user_id,
    kind: 'card_frozen_receipts',
    subject: { type: 'card_event', id: change.event.id },
    link: { type: 'card', id: cardId },
    title: `Card •••• ${change.card.last4} is frozen: ${overdue} receipt${overdue === 1 ? '' : 's'} overdue`,
    body: 'Your company freezes cards while receipts are overdue. Send the missing receipts (or declare them lost) and the card works again right away.',
  }, now);
  return true;
}

/** Lifts a freeze Outlay set for missing receipts on the card, once none of its receipts is overdue. */
export async function liftReceiptFreeze(trx: Db, companyId: string, cardId: string, userId: string, now: Date): Promise<boolean> {
  if ((await repo.countOverdueOfCard(trx, companyId, cardId, now, { requiredAbove: receiptRequiredAboveDefault })) > 0) return false;
  const lifted = await unfreezeCardBySystem(trx, companyId, cardId, repo.receiptsFreezeReason, { overdueReceipts: 0 }, now);
  if (!lifted) return false;
  await notify(trx, {
    companyId,
    userId,
    kind: 'card_unfrozen_receipts',
    subject: { type: 'card_event', id: lifted.event.id },
    link: { type: 'card', id: cardId },
    title: `Card •••• ${lifted.card.last4} works again`,
    body: 'All overdue receipts for this card are in. Thank you!',
  }, now);
  return true;
}
