// Starts Outlay: database, migrations, demo data on an empty database, background jobs,
// HTTP, the listeners (listeners.ts) and the periodic sweeps (sweeps.ts).
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { countWalletsBelowAlert } from '../banking/low-balance-alerts.service.js';
import { ensurePlatformCompany } from '../banking/platform-company.service.js';
import { backfillPanDigests } from '../cards/pan-digest-backfill.service.js';
import { countCompanies } from '../companies/companies.service.js';
import { fieldKeysOf, type Config } from '../config/config.js';
import { openDatabase, type Database, type Db } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { newPostgresClient } from '../db/postgres-hosts.js';
import { advisoryLocks, withAdvisoryLock } from '../db/advisory-lock.js';
import { demoLogins, seedDemo } from '../demo/seed.js';
import { exportGaveUp, exportJob, exportQueue } from '../exports/export-writing.service.js';
import { startFeatureFlags, type RunningFlags } from '../flags/feature-flags.js';
import { exchangeRateAges } from '../fx/fx.service.js';
import { buildApp } from '../http/app.js';
import { startJobQueue, type JobLogger, type JobQueue } from '../jobs/job-queue.js';
import { readQueueStates } from '../jobs/queue-states.js';
import { startMetricsListener } from '../observability/metrics-endpoint.js';
import { createServerMetrics, type AppMetrics } from '../observability/metrics.js';
import { startTracing } from '../observability/tracing.js';
import { ocrWorkersDefault } from '../receipts/extract/tesseract-ocr.js';
import { createReceiptReader, readReceiptGaveUp, readReceiptJob, type ReceiptReader } from '../receipts/receipt-reading.js';
import { readReceiptQueue } from '../receipts/read-receipt-queue.js';
import { sessionAuthenticator } from '../sessions/authenticator.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { liveEvents } from '../shared/live-events.js';
import { startLiveEventsRelay } from '../shared/live-events-relay.js';
import type { BlobStore } from '../storage/blob-store.js';
import { openBlobStore } from '../storage/open-blob-store.js';
import type { WebhookDelivery } from '../webhooks/webhook-delivery.js';
import { listDemoEndpoints, pointDemoEndpointAt } from '../webhooks/webhooks.service.js';
import { startExpenseSync, startIso8583, startOutgoingMail, startReceiptMail, startReceiptPrompts, startStatementInbox, startWebhookSending } from './listeners.js';
import { featureRoutes } from './routes.js';
import { startSweeps, type SweepOptions } from './sweeps.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  blobs: BlobStore;
  jobs: JobQueue;
  /** This process's feature flags, kept fresh from the database (src/flags). */
  flags: RunningFlags;
  url: string;
  /** The port receipts are e-mailed to, or null without an SMTP listener. */
  smtpPort: number | null;
  /** The ISO 8583 gateway's port, or null without one. */
  iso8583Port: number | null;
  /** The port of /metrics's own listener, or null when it is on the public port. */
  metricsPort: number | null;
  /** This process's sender of webhooks (tests run a round at once with deliverDue). */
  webhooks: WebhookDelivery;
  close(): Promise<void>;
}

/** Things started, stopped in the reverse order: on close, or when starting fails midway. */
class Started {
  readonly #stops: (() => Promise<unknown> | unknown)[] = [];

  add(stop: () => Promise<unknown> | unknown): void {
    this.#stops.push(stop);
  }

  async stopAll(): Promise<void> {
    while (this.#stops.length > 0) await this.#stops.pop()!();
  }
}

/** Migrations and what every process needs in the database before it serves anything. */
async function prepareDatabase(db: Db, config: Config): Promise<void> {
  await migrate(db);
  await ensurePlatformCompany(db, config.banking.topUpAccount.currency);
  await backfillPanDigests(db, fieldKeysOf(config));
}

/** The demo company on an empty database, never in production. Two processes starting
 * together on an empty database take turns: the second finds the first one's company. */
async function seedDemoIfEmpty(database: Database, config: Config, receipts: { blobs: BlobStore; jobs: JobQueue; fileBytesMax: number }, clock: Clock) {
  if (!config.demo || config.production) return null;
  return withAdvisoryLock(database, advisoryLocks.seeding, async () =>
    (await countCompanies(database.db)) === 0 ? seedDemo(database.db, { encryptionKey: fieldKeysOf(config), passwordCost: config.passwordCost, publicUrl: config.publicUrl }, receipts, config.banking.topUpAccount, clock.now()) : null,
  );
}

/** Listens on the configured address; on an ephemeral port (tests, benchmarks) the bound
 * address becomes the public one, so links such as invitations point at this very server. */
async function listen(app: FastifyInstance, config: Config): Promise<string> {
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (config.port === 0) config.publicUrl = `http://127.0.0.1:${port}`;
  return config.publicUrl;
}

async function startWorkers(jobs: JobQueue, config: Config, deps: { db: Db; blobs: BlobStore; reader: ReceiptReader; log: JobLogger }, clock: Clock): Promise<void> {
  if (config.receipts.readers > 0) await jobs.work(readReceiptQueue, config.receipts.readers, readReceiptJob(deps, clock), readReceiptGaveUp(deps, clock));
  await jobs.work(exportQueue, 1, exportJob({ ...deps, clock }), exportGaveUp({ db: deps.db, clock }));
}

/** The server's metrics: what the base layer cannot read itself comes in from the features. */
function serverMetrics(database: Database, clock: Clock): AppMetrics {
  const { db } = database;
  return createServerMetrics({
    poolUse: database.poolUse,
    jobQueues: () => readQueueStates(db, [readReceiptQueue.name, exportQueue.name]),
    walletsBelowAlert: () => countWalletsBelowAlert(db),
    exchangeRateAges: () => exchangeRateAges(db, clock.now()),
  });
}

/** `spanExporter`: tests read the spans back with an in-memory one; `logStream` likewise the log. */
export async function startServer(config: Config, options: { database?: Database; clock?: Clock; sweeps?: SweepOptions; spanExporter?: SpanExporter; logStream?: DestinationStream; webhookPollIntervalMs?: number } = {}): Promise<RunningServer> {
  // First, before anything that would need closing if it throws (one provider per process).
  const tracing = startTracing(config.observability, options.spanExporter);
  const database = options.database ?? (await openDatabase(config.database, config.limits).catch(async (error: unknown) => {
    await tracing?.shutdown();
    throw error;
  }));
  const { db } = database;
  const clock = options.clock ?? systemClock;
  const blobs = openBlobStore(config.storage, db);
  const reader = createReceiptReader(config.receipts.ocrWorkers ?? ocrWorkersDefault, config.receipts.readTimeoutSeconds * 1000);
  const started = new Started();
  // Shut down last, so that the spans of closing still go out.
  if (tracing) started.add(() => tracing.shutdown());
  started.add(() => database.close());
  started.add(() => blobs.close());
  started.add(() => reader.close());
  let app: FastifyInstance | undefined;
  // The job queue starts before the app exists; its messages go to the app's log once it does.
  const jobLog: JobLogger = {
    warn: (details, message) => app?.log.warn(details, message),
    error: (details, message) => app?.log.error(details, message),
  };
  try {
    await prepareDatabase(db, config);
    // Before anything that asks a flag (demo purchases, routes, workers, sweeps) starts.
    const flags = await startFeatureFlags(db, { onRefreshError: (error) => jobLog.warn({ err: error }, 'reading the feature flags failed') });
    started.add(() => flags.close());
    const jobs = await withAdvisoryLock(database, advisoryLocks.jobQueueSetup, () => startJobQueue(db, jobLog, [readReceiptQueue, exportQueue]));
    started.add(() => jobs.stop());
    const seeded = await seedDemoIfEmpty(database, config, { blobs, jobs, fileBytesMax: config.receipts.fileBytesMax }, clock);
    const metrics = serverMetrics(database, clock);
    const running = await buildApp(config, database, { blobs, jobs, clock }, { authenticator: sessionAuthenticator(db, config.sessionKey), routes: featureRoutes, metrics, ...(options.logStream ? { logStream: options.logStream } : {}) });
    app = running;
    started.add(() => running.close());
    const url = await listen(running, config);
    if (seeded) {
      // On a port chosen at start the address is known only now: the demo's endpoint follows it.
      for (const endpoint of await listDemoEndpoints(db, seeded.id)) await pointDemoEndpointAt(db, endpoint, url, clock.now());
      running.log.info({ company: seeded.name, logins: demoLogins.map(({ email, role }) => ({ email, role })) }, 'demo company created');
    }
    await startWorkers(jobs, config, { db, blobs, reader, log: jobLog }, clock);
    const deps = { db, blobs, jobs, log: running.log };
    if (config.database.kind === 'postgres') {
      // Several processes may share the server: live events go between them (PGlite has one).
      const databaseUrl = config.database.url;
      const relay = await startLiveEventsRelay(liveEvents, (extra) => newPostgresClient(databaseUrl, extra), running.log);
      started.add(() => relay.close());
    }
    started.add(startReceiptPrompts(deps, clock));
    started.add(startExpenseSync(deps, clock));
    const outgoing = startOutgoingMail(config, deps, clock);
    if (outgoing) started.add(() => outgoing.stop());
    const webhooks = startWebhookSending(config, deps, clock, options.webhookPollIntervalMs);
    started.add(() => webhooks.stop());
    const mail = await startReceiptMail(config, deps, clock);
    if (mail) started.add(() => mail.close());
    const gateway = await startIso8583(config, deps, clock);
    if (gateway) started.add(() => gateway.close());
    const stopInbox = startStatementInbox(config, deps, clock);
    if (stopInbox) started.add(stopInbox);
    started.add(startSweeps(db, clock, running.log, { webhookDeliveryDays: config.webhookDeliveryRetentionDays }, { routineIntervalMs: config.sweepIntervalMs, ...options.sweeps }));
    const metricsListener = config.observability.metricsListener ? await startMetricsListener(config.observability.metricsListener, metrics) : null;
    if (metricsListener) {
      started.add(() => metricsListener.close());
      running.log.info({ host: config.observability.metricsListener!.host, port: metricsListener.port }, 'metrics listening');
    }
    return { app: running, database, blobs, jobs, flags, url, smtpPort: mail?.port ?? null, iso8583Port: gateway?.port ?? null, metricsPort: metricsListener?.port ?? null, webhooks, close: () => started.stopAll() };
  } catch (error) {
    await started.stopAll();
    throw error;
  }
}
