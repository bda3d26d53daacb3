// A credit on the top-up account booked as one company's wallet top-up, by reconciliation or
// by an operator assigning it out of suspense.
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { bookTopUp } from '../wallet/wallet.service.js';
import type { EntryRow } from './bank.repository.js';
import { realReference } from './statement-text.js';

/** The reference a top-up is recorded under: the bank's own, else the transfer's key. */
const topUpReferenceOf = (entry: EntryRow) => (realReference(entry.bank_reference) ?? entry.transfer_key).slice(0, 140);

/**
 * Books a credit as a company's top-up, or says why it cannot be (then it waits in suspense):
 * a top-up with the same reference was recorded by hand, or the date is not one a top-up takes.
 */
export async function bookEntryAsTopUp(trx: Db, entry: EntryRow, targetCompanyId: string, actor: Actor, now: Date): Promise<{ id: string } | { refused: string }> {
  const receivedOn = entry.booking_date ?? entry.value_date ?? now.toISOString().slice(0, 10);
  try {
    const row = await bookTopUp(trx, targetCompanyId, { amount: entry.amount, currency: entry.currency, bankReference: topUpReferenceOf(entry), receivedOn, bankEntryId: entry.id }, actor, now);
    return { id: row.id };
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'duplicate_top_up' || error.code === 'validation_failed')) return { refused: error.message };
    throw error;
  }
}
