// The periodic receipt sweep, run by every server process (each step is safe to run twice
// or in two processes at once: rows are locked and notifications are unique per subject):
// - receipts still waiting are matched again, so a transaction that arrives after its
//   receipt picks it up;
// - people are reminded of purchases whose receipt is missing past the company's delay;
// - where the company wants it, cards with receipts overdue are frozen, and cards Outlay
//   froze are unfrozen once their receipts are in (or the rule was switched off). The
//   `card-auto-freeze` feature flag can hold the freezing back per company; lifting goes on.
import { changingCardTransactions } from '../cards/card-transactions.service.js';
import { getCompany } from '../companies/companies.service.js';
import { localDateOf } from '../companies/company-calendar.js';
import type { Db } from '../db/database.js';
import { flagsOf } from '../flags/feature-flags.js';
import { notify } from '../notifications/notifications.service.js';
import { formatAmount } from '../money/money.js';
import { freezeCardForReceipts, liftReceiptFreeze } from './receipt-freezes.js';
import { matchWaitingReceipt } from './receipt-matching.js';
import { receiptRequiredAboveDefault, reminderDaysDefault } from './receipt-settings.service.js';
import * as repo from './receipts.repository.js';

/** Waiting receipts older than this are no longer matched automatically. */
export const waitingReceiptDaysMax = 60;
/** Rows each step handles per run; the rest waits for the next run. */
export const sweepBatchMax = 200;

export interface SweepOutcome {
  rematched: number;
  reminded: number;
  frozen: number;
  unfrozen: number;
}

async function rematchWaiting(db: Db, now: Date): Promise<number> {
  const waiting = await repo.listWaitingReceipts(db, new Date(now.getTime() - waitingReceiptDaysMax * 86_400_000), sweepBatchMax);
  let matched = 0;
  for (const { company_id: companyId, id } of waiting) {
    const attached = await changingCardTransactions(db, async (trx) => {
      const receipt = await repo.lockReceipt(trx, companyId, id);
      if (!receipt || receipt.match_state === 'matched') return false;
      return (await matchWaitingReceipt(trx, receipt, now)).match_state === 'matched';
    });
    if (attached) matched += 1;
  }
  return matched;
}

async function remind(db: Db, now: Date): Promise<number> {
  const due = await repo.listDueReminders(db, now, { requiredAbove: receiptRequiredAboveDefault, reminderAfterDays: reminderDaysDefault }, sweepBatchMax);
  const timeZones = new Map<string, string>();
  let sent = 0;
  for (const transaction of due) {
    // The purchase's date where the company is, not in UTC (a late purchase was a day off).
    const timeZone = timeZones.get(transaction.company_id) ?? (await getCompany(db, transaction.company_id)).time_zone;
    timeZones.set(transaction.company_id, timeZone);
    const day = localDateOf(transaction.occurred_at, timeZone);
    const amount = `${formatAmount(transaction.amount, transaction.wallet_currency)} ${transaction.wallet_currency}`;
    const isNew = await notify(db, {
      companyId: transaction.company_id,
      userId: transaction.user_id,
      kind: 'receipt_missing',
      subject: { type: 'card_transaction', id: transaction.id },
      link: { type: 'card_transaction', id: transaction.id },
      title: `Receipt missing: ${transaction.merchant_name}, ${amount}`,
      body: `Your card purchase at ${transaction.merchant_name} on ${day} (${amount}) still needs its receipt. Snap it or forward it, or say that it is lost.`,
    }, now);
    if (isNew) sent += 1;
  }
  return sent;
}

async function freezeOverdue(db: Db, now: Date): Promise<number> {
  const cards = await repo.listCardsToFreeze(db, now, { requiredAbove: receiptRequiredAboveDefault }, sweepBatchMax);
  const flags = flagsOf(db);
  const freezes = new Map<string, boolean>();
  let frozen = 0;
  for (const { companyId, cardId, overdue } of cards) {
    const freezing = freezes.get(companyId) ?? (await flags.isOn('card-auto-freeze', { companyId }));
    freezes.set(companyId, freezing);
    if (!freezing) continue;
    const changed = await db.transaction().execute((trx) => freezeCardForReceipts(trx, companyId, cardId, overdue, now));
    if (changed) frozen += 1;
  }
  return frozen;
}

async function unfreezeCleared(db: Db, now: Date): Promise<number> {
  const cards = await repo.listCardsFrozenForReceipts(db, sweepBatchMax);
  let unfrozen = 0;
  for (const { companyId, cardId, userId } of cards) {
    const lifted = await db.transaction().execute((trx) => liftReceiptFreeze(trx, companyId, cardId, userId, now));
    if (lifted) unfrozen += 1;
  }
  return unfrozen;
}

/** A reading still running after this was cut off (pg-boss gives a job 15 minutes, three times; an attempt of a killed process ends within about a minute, by its lease). */
export const readingStaleMs = 60 * 60_000;

export async function sweepReceipts(db: Db, now: Date): Promise<SweepOutcome> {
  await repo.failStaleReadings(db, new Date(now.getTime() - readingStaleMs), 'the reading was cut off; match the receipt by hand or send it again');
  const rematched = await rematchWaiting(db, now);
  const reminded = await remind(db, now);
  const frozen = await freezeOverdue(db, now);
  const unfrozen = await unfreezeCleared(db, now);
  return { rematched, reminded, frozen, unfrozen };
}
