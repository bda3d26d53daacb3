// The periodic sweeps, run once per tick across every server process sharing the database
// (src/jobs/scheduled-work.ts claims each tick for one process): card holds past their expiry,
// waiting receipts, low-balance and budget threshold alerts, the expense sync's safety net, and the purge of expired
// rows. Each run reads the clock once; a failure is logged, recorded and reported, and the
// next tick tries again.
import type { FastifyBaseLogger } from 'fastify';
import { sweepLowBalances } from '../banking/low-balance-alerts.service.js';
import { alertBudgets } from '../budgets/budgets.service.js';
import { expireCardHolds } from '../cards/network-events.service.js';
import type { Db } from '../db/database.js';
import { recordSweepRun } from '../observability/metrics.js';
import { syncCardExpenses } from '../expenses/expense-sync.js';
import { purgeIdempotencyKeys } from '../http/idempotency.js';
import { purgeScheduledRuns, startSchedule, type ScheduledJob, type ScheduledRun } from '../jobs/scheduled-work.js';
import { purgeSpentInvitations } from '../people/people.service.js';
import { purgeIdleAttempts } from '../auth/attempt-limiter.js';
import { sweepReceipts } from '../receipts/receipt-sweep.js';
import { failStaleExports } from '../exports/export-writing.service.js';
import { alertSubscriptions } from '../subscriptions/subscriptions.service.js';
import { purgeEndedSessions } from '../sessions/sessions.service.js';
import { purgeSpentResets } from '../sessions/password-reset.service.js';
import type { Clock } from '../shared/clock.js';
import { purgeOldDeliveries } from '../webhooks/webhooks.service.js';

export const sweepNames = ['card-hold-expiry', 'receipt-sweep', 'export-sweep', 'low-balance-alerts', 'expense-sync', 'subscription-alerts', 'budget-alerts', 'purge'] as const;
export type SweepName = (typeof sweepNames)[number];

/** How often each sweep runs (once across all processes) unless told otherwise: the routine
 * sweeps every minute (OUTLAY_SWEEP_INTERVAL_SECONDS), the purge every hour. The expense sync
 * is a safety net: each change brings its own expense in step as it commits (listeners.ts);
 * this catches what a process that died in between left behind. */
export const routineSweepIntervalMs = 60_000;
export const purgeIntervalMs = 60 * 60_000;
/** Subscription alerts look at whole days: every six hours is soon enough, and each company's
 * detection reads its card history. */
export const subscriptionAlertIntervalMs = 6 * 60 * 60_000;

/** Rows one purge deletes per table and batch; it goes on with the next batch up to purgeBatchesMax. */
export const purgeBatchSizeMax = 1_000;
export const purgeBatchesMax = 50;
/** How long the record of a sweep's runs is kept. */
export const sweepRunRetentionMs = 7 * 24 * 60 * 60_000;

export interface SweepOptions {
  /** How often every sweep but the purge runs. */
  routineIntervalMs?: number;
  /** One sweep's own interval (tests run some every few hundred milliseconds). */
  intervalsMs?: Partial<Record<SweepName, number>>;
  /** Told of each run this process made. */
  onSweepRun?: (run: ScheduledRun) => void;
  /** This process's name in the record of runs. */
  processName?: string;
}

/** How long purged rows of configurable age are kept. */
export interface PurgeRetention {
  webhookDeliveryDays: number;
}

/** Deletes in batches until a batch comes back short or purgeBatchesMax were deleted. */
async function inBatches(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < purgeBatchesMax; batch += 1) {
    const count = await deleteBatch(purgeBatchSizeMax);
    deleted += count;
    if (count < purgeBatchSizeMax) break;
  }
  return deleted;
}

export interface PurgeOutcome {
  idempotencyKeys: number;
  sessions: number;
  invitations: number;
  passwordResets: number;
  attemptLimits: number;
  sweepRuns: number;
  webhookDeliveries: number;
}

/** Deletes expired rows, each module its own: idempotency keys, ended sessions, spent
 * invitations and password reset links, the attempt counts of subjects left alone, the old record of sweep runs,
 * and webhook deliveries that ended longer ago than their retention. */
export async function purgeExpiredRows(db: Db, now: Date, retention: PurgeRetention): Promise<PurgeOutcome> {
  return {
    idempotencyKeys: await inBatches((limit) => purgeIdempotencyKeys(db, now, limit)),
    sessions: await inBatches((limit) => purgeEndedSessions(db, now, limit)),
    invitations: await inBatches((limit) => purgeSpentInvitations(db, now, limit)),
    passwordResets: await inBatches((limit) => purgeSpentResets(db, now, limit)),
    attemptLimits: await inBatches((limit) => purgeIdleAttempts(db, now, limit)),
    sweepRuns: await inBatches((limit) => purgeScheduledRuns(db, new Date(now.getTime() - sweepRunRetentionMs), limit)),
    webhookDeliveries: await inBatches((limit) => purgeOldDeliveries(db, now, retention.webhookDeliveryDays, limit)),
  };
}

function sweepsOf(db: Db, log: FastifyBaseLogger, intervalsMs: Readonly<Record<SweepName, number>>, retention: PurgeRetention): ScheduledJob[] {
  const work: Record<SweepName, (now: Date) => Promise<unknown>> = {
    'card-hold-expiry': (now) => expireCardHolds(db, now),
    'receipt-sweep': (now) => sweepReceipts(db, now),
    'export-sweep': (now) => failStaleExports(db, now),
    'low-balance-alerts': (now) => sweepLowBalances(db, now),
    'expense-sync': (now) =>
      syncCardExpenses(db, now, (error, transaction) => log.error({ err: error, ...transaction }, 'a card transaction\'s expense could not be brought in step')),
    'subscription-alerts': (now) => alertSubscriptions(db, now),
    'budget-alerts': (now) => alertBudgets(db, now),
    purge: async (now) => {
      const purged = await purgeExpiredRows(db, now, retention);
      log.info({ purged }, 'expired rows purged');
    },
  };
  return sweepNames.map((name) => ({ name, intervalMs: intervalsMs[name], run: work[name] }));
}

/** Starts the sweeps' ticks in this process; the function returned stops them and waits for runs under way. */
export function startSweeps(db: Db, clock: Clock, log: FastifyBaseLogger, retention: PurgeRetention, options: SweepOptions = {}): () => Promise<void> {
  const routine = options.routineIntervalMs ?? routineSweepIntervalMs;
  const intervalsMs: Record<SweepName, number> = {
    'card-hold-expiry': routine,
    'receipt-sweep': routine,
    'export-sweep': routine,
    'low-balance-alerts': routine,
    'expense-sync': routine,
    'subscription-alerts': subscriptionAlertIntervalMs,
    'budget-alerts': routine,
    purge: purgeIntervalMs,
    ...options.intervalsMs,
  };
  return startSchedule(db, clock, sweepsOf(db, log, intervalsMs, retention), log, {
    ...(options.processName ? { processName: options.processName } : {}),
    onRun: (run) => {
      // Counted in the metrics of the process that ran the tick: each tick runs in one.
      recordSweepRun({ sweep: run.job, outcome: run.outcome, durationMs: run.durationMs });
      options.onSweepRun?.(run);
    },
  });
}
