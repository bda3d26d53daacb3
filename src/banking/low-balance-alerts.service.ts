// Low-balance alerts: a company sets the available balance below which its admins are told,
// so they top up before cards start declining.
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { parseAmount, toMoneyJson } from '../money/money.js';
import { notify } from '../notifications/notifications.service.js';
import { listActiveAdmins } from '../people/people.service.js';
import { recordWebhookEvent } from '../webhooks/webhooks.service.js';
import * as repo from './bank.repository.js';

export interface LowBalanceAlert {
  below: bigint | null;
  alertedAt: Date | null;
  currency: string;
}

export async function getLowBalanceAlert(db: Db, companyId: string): Promise<LowBalanceAlert> {
  const [alert, company] = await Promise.all([repo.findAlert(db, companyId), getCompany(db, companyId)]);
  return { below: alert?.low_balance_below ?? null, alertedAt: alert?.alerted_at ?? null, currency: company.currency };
}

export async function setLowBalanceAlert(db: Db, companyId: string, below: string | null): Promise<LowBalanceAlert> {
  const company = await getCompany(db, companyId);
  const amount = below === null ? null : parseAmount(below, company.currency, { field: 'lowBalanceBelow', allowZero: true });
  await repo.upsertAlertThreshold(db, companyId, amount);
  return getLowBalanceAlert(db, companyId);
}

/** Companies looked at per query of a sweep. */
const alertSweepMax = 1_000;

/** Sends the alert to the company's admins and webhook endpoints (wallet.low_balance), unless
 * another sweeping process claimed it first. */
async function sendAlert(db: Db, candidate: { companyId: string; below: bigint; available: bigint; currency: string }, now: Date): Promise<boolean> {
  const { companyId } = candidate;
  return db.transaction().execute(async (trx) => {
    if (!(await repo.claimAlert(trx, companyId, now))) return false;
    for (const admin of await listActiveAdmins(trx, companyId)) {
      await notify(trx, {
        companyId,
        userId: admin,
        kind: 'wallet_low_balance',
        // The instant makes each fall below the threshold a subject of its own.
        subject: { type: 'wallet_alert', id: `${companyId}:${now.toISOString()}:${admin}` },
        link: { type: 'wallet', id: companyId },
        title: 'The wallet is running low',
        body: 'Available funds are below the threshold you set. Top up with your payment reference so cards keep working.',
      }, now);
    }
    await recordWebhookEvent(trx, companyId, 'wallet.low_balance', { available: toMoneyJson(candidate.available, candidate.currency), below: toMoneyJson(candidate.below, candidate.currency) }, now);
    return true;
  });
}

/**
 * Tells a company's admins once when its available funds fall below its threshold, and
 * again only after the funds were back above it. Returns how many companies were alerted.
 */
export async function sweepLowBalances(db: Db, now: Date): Promise<number> {
  let alerted = 0;
  let after = '';
  for (;;) {
    const candidates = await repo.listAlertCandidates(db, after, alertSweepMax);
    for (const candidate of candidates) {
      if (candidate.available >= candidate.below) {
        if (candidate.alertedAt) await repo.setAlerted(db, candidate.companyId, null);
        continue;
      }
      if (candidate.alertedAt) continue;
      if (await sendAlert(db, candidate, now)) alerted += 1;
    }
    if (candidates.length < alertSweepMax) return alerted;
    after = candidates[candidates.length - 1]!.companyId;
  }
}

/** How many wallets are under their low-balance threshold now, for the metrics. */
export async function countWalletsBelowAlert(db: Db): Promise<number> {
  let below = 0;
  let after = '';
  for (;;) {
    const candidates = await repo.listAlertCandidates(db, after, alertSweepMax);
    below += candidates.filter((candidate) => candidate.available < candidate.below).length;
    if (candidates.length < alertSweepMax) return below;
    after = candidates[candidates.length - 1]!.companyId;
  }
}
