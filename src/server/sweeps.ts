// The periodic sweeps every server process runs: each reads the clock once per run and never
// runs twice at once; a failure is logged and the next run tries again.
import type { FastifyBaseLogger } from 'fastify';
import { sweepLowBalances } from '../banking/low-balance-alerts.service.js';
import { expireCardHolds } from '../cards/network-events.service.js';
import type { Db } from '../db/database.js';
import { recordSweepRun } from '../observability/metrics.js';
import { syncCardExpenses } from '../expenses/expense-sync.js';
import { sweepReceipts } from '../receipts/receipt-sweep.js';
import type { Clock } from '../shared/clock.js';

/** How often card holds past their expiry are released. */
export const expirySweepIntervalMs = 60_000;
/** How often waiting receipts are matched again, reminders sent and cards frozen or unfrozen. */
export const receiptSweepIntervalMs = 60_000;
/** How often card purchases become expenses and expenses follow their purchases. */
export const expenseSyncIntervalMs = 5_000;
/** How often wallets are checked against their low-balance alerts. */
export const walletAlertIntervalMs = 60_000;

/** Runs `work` every `intervalMs`, never twice at once, logging failures; each run is counted under `sweep`. */
function every(sweep: string, intervalMs: number, work: () => Promise<unknown>, onError: (error: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const started = performance.now();
    work()
      .then(
        () => recordSweepRun({ sweep, outcome: 'succeeded', durationMs: performance.now() - started }),
        (error: unknown) => {
          recordSweepRun({ sweep, outcome: 'failed', durationMs: performance.now() - started });
          onError(error);
        },
      )
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Starts the sweeps; the function returned stops them all. */
export function startSweeps(db: Db, clock: Clock, log: FastifyBaseLogger): () => void {
  const failed = (what: string) => (error: unknown) => log.error({ err: error }, `${what} failed`);
  const stops = [
    every('card_hold_expiry', expirySweepIntervalMs, () => expireCardHolds(db, clock.now()), failed('expiry sweep')),
    every('receipts', receiptSweepIntervalMs, () => sweepReceipts(db, clock.now()), failed('receipt sweep')),
    every(
      'expense_sync',
      expenseSyncIntervalMs,
      () => syncCardExpenses(db, clock.now(), (error, transaction) => log.error({ err: error, ...transaction }, 'a card transaction\'s expense could not be brought in step')),
      failed('expense sync'),
    ),
    every('low_balance', walletAlertIntervalMs, () => sweepLowBalances(db, clock.now()), failed('low-balance sweep')),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
