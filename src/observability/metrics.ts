// Prometheus metrics. Events (authorizations, jobs failing, OCR, sweeps, imports) count in one
// registry for the whole process: recording one is a counter increment or a histogram
// observation, nothing more. What is read from the database (job queues, wallets, rates, the
// pool) is read at scrape time by collectors each server hands in, in a registry of its own,
// with the HTTP histogram of its app.
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DomainError } from '../shared/errors.js';

/** Every event metric of this process, and Node's own (memory, event loop, GC). */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });
const registers = [processRegistry];

export type AuthorizationChannel = 'http' | 'iso8583';

const authorizations = new Counter({
  name: 'outlay_authorizations_total',
  help: 'Card authorizations decided, by channel, decision and decline reason ("none" when approved)',
  labelNames: ['channel', 'decision', 'reason'] as const,
  registers,
});
const authorizationErrors = new Counter({
  name: 'outlay_authorization_errors_total',
  help: 'Authorizations that got no decision: "rejected" (the request was invalid) or "fault" (the server failed)',
  labelNames: ['channel', 'kind'] as const,
  registers,
});
const authorizationDuration = new Histogram({
  name: 'outlay_authorization_duration_seconds',
  help: 'Time the authorization engine took to decide, by channel',
  labelNames: ['channel'] as const,
  // Networks give the issuer a few seconds; most answers take milliseconds.
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 8],
  registers,
});
const authorizationTimers = {
  http: authorizationDuration.labels('http'),
  iso8583: authorizationDuration.labels('iso8583'),
};

/**
 * Decides with `decide`, counting the decision and timing it. A thrown DomainError is an
 * invalid request ("rejected"); anything else a fault.
 */
export async function measureAuthorization<Outcome extends { approved: boolean; declineReason: string | null }>(
  channel: AuthorizationChannel,
  decide: () => Promise<Outcome>,
): Promise<Outcome> {
  const started = performance.now();
  try {
    const outcome = await decide();
    authorizations.inc({ channel, decision: outcome.approved ? 'approved' : 'declined', reason: outcome.declineReason ?? 'none' });
    return outcome;
  } catch (error) {
    authorizationErrors.inc({ channel, kind: error instanceof DomainError ? 'rejected' : 'fault' });
    throw error;
  } finally {
    authorizationTimers[channel].observe((performance.now() - started) / 1000);
  }
}

const iso8583Connections = new Gauge({ name: 'outlay_iso8583_connections', help: 'Open ISO 8583 gateway connections', registers });
const iso8583FormatErrors = new Counter({ name: 'outlay_iso8583_format_errors_total', help: 'ISO 8583 messages that could not be read (malformed or over the size limit)', registers });
const iso8583Messages = new Counter({
  name: 'outlay_iso8583_messages_total',
  help: 'ISO 8583 requests answered, by request MTI and response code (field 39)',
  labelNames: ['mti', 'response_code'] as const,
  registers,
});

export const iso8583Metrics = {
  connectionOpened: () => iso8583Connections.inc(),
  connectionClosed: () => iso8583Connections.dec(),
  formatError: () => iso8583FormatErrors.inc(),
  answered: (mti: string, responseCode: string) => iso8583Messages.inc({ mti, response_code: responseCode }),
};

const jobFailures = new Counter({ name: 'outlay_jobs_failed_total', help: 'Job attempts that failed in this process (each retry counts), by queue', labelNames: ['queue'] as const, registers });

export function recordJobFailure(queue: string): void {
  jobFailures.inc({ queue });
}

/** A batcher's two figures: how many members went together, and how many batches failed as a
 * whole (their members then applied one at a time). */
function batchMetrics(name: string, members: string) {
  const size = new Histogram({
    name: `outlay_${name}_batch_size`,
    help: `${members} taken together in one transaction`,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers,
  });
  const failures = new Counter({
    name: `outlay_${name}_batch_failures_total`,
    help: `Batches of ${members.toLowerCase()} that could not commit as a whole, whose members were then applied one at a time`,
    registers,
  });
  return { applied: (count: number) => size.observe(count), failed: () => failures.inc() };
}

export const authorizationBatchMetrics = batchMetrics('authorization', 'Purchases decided by the batched engine');
export const networkEventBatchMetrics = batchMetrics('network_event', 'Lifecycle messages (clearings, reversals)');

const ocrDuration = new Histogram({
  name: 'outlay_ocr_duration_seconds',
  help: 'Time to read one receipt file (OCR or PDF text), by outcome',
  labelNames: ['outcome'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120],
  registers,
});

export function recordOcr(seconds: number, outcome: 'read' | 'failed'): void {
  ocrDuration.observe({ outcome }, seconds);
}

const sweepRuns = new Counter({ name: 'outlay_sweep_runs_total', help: 'Runs of the periodic sweeps, by sweep and outcome', labelNames: ['sweep', 'outcome'] as const, registers });
const sweepErrors = new Counter({ name: 'outlay_sweep_errors_total', help: 'Runs of the periodic sweeps that failed, by sweep', labelNames: ['sweep'] as const, registers });
const sweepDuration = new Histogram({
  name: 'outlay_sweep_duration_seconds',
  help: 'Time one run of a sweep took, by sweep',
  labelNames: ['sweep'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
  registers,
});

export interface SweepRun {
  sweep: string;
  outcome: 'succeeded' | 'failed';
  durationMs: number;
}

export function recordSweepRun(run: SweepRun): void {
  sweepRuns.inc({ sweep: run.sweep, outcome: run.outcome });
  if (run.outcome === 'failed') sweepErrors.inc({ sweep: run.sweep });
  sweepDuration.observe({ sweep: run.sweep }, run.durationMs / 1000);
}

export type StatementImportOutcome = 'booked' | 'held' | 'duplicate' | 'failed';

const statementImports = new Counter({
  name: 'outlay_statement_imports_total',
  help: 'Bank statement files imported, by outcome: booked, held (a statement waits for a person), duplicate (seen before) or failed',
  labelNames: ['outcome'] as const,
  registers,
});

export function recordStatementImport(outcome: StatementImportOutcome): void {
  statementImports.inc({ outcome });
}

/** One job queue as pg-boss's tables say at scrape time. */
export interface JobQueueState {
  queue: string;
  waiting: number;
  failed: number;
  /** Age of the oldest job waiting to run; null when none waits. */
  oldestWaitingSeconds: number | null;
}

/** What a server reads at scrape time; the composition root hands in what the base layer cannot reach. */
export interface ScrapeCollectors {
  poolUse(): { total: number; idle: number; waiting: number };
  jobQueues?(): Promise<readonly JobQueueState[]>;
  /** Wallets whose available funds are under their low-balance threshold. */
  walletsBelowAlert?(): Promise<number>;
  /** Seconds since the newest exchange rate of each currency was published. */
  exchangeRateAges?(): Promise<readonly { currency: string; ageSeconds: number }[]>;
}

export interface ServerMetrics {
  contentType: string;
  /** The exposition text: this process's events and this server's readings. */
  scrape(): Promise<string>;
}

/** Makes the gauges read at scrape time; the function returned takes the readings (all at
 * once: prom-client collects metrics side by side, so one reading cannot feed another's collect). */
function scrapeGauges(registry: Registry, collectors: ScrapeCollectors): () => Promise<void> {
  const registers = [registry];
  const collectErrors = new Counter({ name: 'outlay_metrics_collect_errors_total', help: 'Scrape-time readings that failed, by collector', labelNames: ['collector'] as const, registers });
  const readings: (() => Promise<void>)[] = [];
  // A reading that fails leaves its gauges empty for this scrape rather than failing the whole page.
  const reading = (collector: string, gauges: readonly Gauge<string>[], read: () => Promise<void>) => {
    readings.push(async () => {
      for (const gauge of gauges) gauge.reset();
      try {
        await read();
      } catch {
        collectErrors.inc({ collector });
      }
    });
  };
  new Gauge({
    name: 'outlay_db_pool_connections',
    help: 'Database pool connections: total open, idle, and callers waiting for one',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const use = collectors.poolUse();
      this.set({ state: 'total' }, use.total);
      this.set({ state: 'idle' }, use.idle);
      this.set({ state: 'waiting' }, use.waiting);
    },
  });
  const { jobQueues, walletsBelowAlert, exchangeRateAges } = collectors;
  if (jobQueues) {
    const waiting = new Gauge({ name: 'outlay_jobs_waiting', help: 'Jobs waiting to run (created or waiting for a retry), by queue', labelNames: ['queue'] as const, registers });
    const failed = new Gauge({ name: 'outlay_jobs_failed', help: 'Jobs that failed for good and are still kept by the queue, by queue', labelNames: ['queue'] as const, registers });
    const oldest = new Gauge({ name: 'outlay_job_oldest_waiting_seconds', help: 'Age of the oldest job waiting to run, by queue (0 when none waits)', labelNames: ['queue'] as const, registers });
    reading('job_queues', [waiting, failed, oldest], async () => {
      for (const state of await jobQueues()) {
        waiting.set({ queue: state.queue }, state.waiting);
        failed.set({ queue: state.queue }, state.failed);
        oldest.set({ queue: state.queue }, state.oldestWaitingSeconds ?? 0);
      }
    });
  }
  if (walletsBelowAlert) {
    const gauge = new Gauge({ name: 'outlay_wallets_below_alert', help: 'Wallets whose available funds are under their low-balance alert threshold', registers });
    reading('wallets_below_alert', [gauge], async () => gauge.set(await walletsBelowAlert()));
  }
  if (exchangeRateAges) {
    const gauge = new Gauge({ name: 'outlay_exchange_rate_age_seconds', help: 'Seconds since the newest stored exchange rate of each currency was published', labelNames: ['currency'] as const, registers });
    reading('exchange_rate_ages', [gauge], async () => {
      for (const { currency, ageSeconds } of await exchangeRateAges()) gauge.set({ currency }, ageSeconds);
    });
  }
  return async () => {
    await Promise.all(readings.map((read) => read()));
  };
}

export type AppMetrics = ServerMetrics & { observeRequests(app: FastifyInstance): void };

/** A server's metrics: the HTTP histogram of its app, its scrape-time readings, and the process's events. */
export function createServerMetrics(collectors: ScrapeCollectors): AppMetrics {
  const registry = new Registry();
  const takeReadings = scrapeGauges(registry, collectors);
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    contentType: registry.contentType,
    async scrape() {
      await takeReadings();
      return `${await processRegistry.metrics()}\n${await registry.metrics()}`;
    },
    observeRequests(app) {
      app.addHook('onResponse', async (request, reply) => {
        duration.observe(
          { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
          reply.elapsedTime / 1000,
        );
      });
    },
  };
}
