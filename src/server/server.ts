// Starts Outlay: database, migrations, demo data on an empty database, background jobs,
// HTTP, inbound e-mail and the periodic sweeps.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { countCompanies } from '../companies/companies.service.js';
import type { Config } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { demoLogins, seedDemo } from '../demo/seed.js';
import { buildApp } from '../http/app.js';
import { expireCardHolds } from '../cards/network-events.service.js';
import { startJobQueue, type JobLogger, type JobQueue } from '../jobs/job-queue.js';
import { ocrWorkersDefault } from '../receipts/extract/tesseract-ocr.js';
import { createReceiptReader, readReceiptJob } from '../receipts/receipt-reading.js';
import { sweepReceipts } from '../receipts/receipt-sweep.js';
import { syncCardExpenses } from '../expenses/expense-sync.js';
import { exportJob, exportQueue } from '../exports/exports.service.js';
import { readReceiptQueue } from '../receipts/receipts.service.js';
import { LocalBlobStore, type BlobStore } from '../storage/blob-store.js';
import { startMailListener, type MailListener } from '../receipts/mail-in/mail-listener.js';
import { receiptMailTarget } from '../receipts/receipt-mail.js';
import { ensurePlatformCompany, sweepLowBalances } from '../banking/platform.service.js';
import { watchStatementInbox } from '../banking/statement-inbox.js';
import { findCardIdByPan } from '../cards/card-lookup.service.js';
import { backfillPanDigests } from '../cards/pan-digest-backfill.service.js';
import { startIso8583Gateway, type Iso8583Gateway } from '../iso8583/gateway.js';
import { iso8583Processor } from '../iso8583/iso8583-processor.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { sessionAuthenticator } from '../sessions/authenticator.js';
import { featureRoutes } from './routes.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  blobs: BlobStore;
  jobs: JobQueue;
  url: string;
  /** The port receipts are e-mailed to, or null without an SMTP listener. */
  smtpPort: number | null;
  /** The ISO 8583 gateway's port, or null without one. */
  iso8583Port: number | null;
  close(): Promise<void>;
}

/** How often card holds past their expiry are released. */
export const expirySweepIntervalMs = 60_000;
/** How often waiting receipts are matched again, reminders sent and cards frozen or unfrozen. */
export const receiptSweepIntervalMs = 60_000;
/** How often card purchases become expenses and expenses follow their purchases. */
export const expenseSyncIntervalMs = 5_000;
/** How often wallets are checked against their low-balance alerts. */
export const walletAlertIntervalMs = 60_000;

/** Runs `work` every `intervalMs`, never twice at once, logging failures. */
function every(intervalMs: number, work: () => Promise<unknown>, onError: (error: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    work()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export async function startServer(config: Config, options: { database?: Database; clock?: Clock } = {}): Promise<RunningServer> {
  const database = options.database ?? (await openDatabase(config.database));
  const clock = options.clock ?? systemClock;
  const blobs = new LocalBlobStore(path.join(config.dataDir, 'blobs'));
  const reader = createReceiptReader(config.receipts.ocrWorkers ?? ocrWorkersDefault, config.receipts.readTimeoutSeconds * 1000);
  let app: FastifyInstance | undefined;
  let jobs: JobQueue | undefined;
  let mail: MailListener | undefined;
  let gateway: Iso8583Gateway | undefined;
  let stopInbox: (() => Promise<void>) | undefined;
  // The job queue starts before the app exists; its messages go to the app's log once it does.
  const jobLog: JobLogger = {
    warn: (details, message) => app?.log.warn(details, message),
    error: (details, message) => app?.log.error(details, message),
  };
  try {
    await migrate(database.db);
    await ensurePlatformCompany(database.db, config.banking.topUpAccount.currency);
    await backfillPanDigests(database.db, config.encryptionKey);
    jobs = await startJobQueue(database.db, jobLog, [readReceiptQueue, exportQueue]);
    const seeded = config.demo && (await countCompanies(database.db)) === 0 ? await seedDemo(database.db, config.encryptionKey, { blobs, jobs, fileBytesMax: config.receipts.fileBytesMax }, config.banking.topUpAccount) : null;
    app = await buildApp(config, database, { blobs, jobs, clock }, { authenticator: sessionAuthenticator(database.db, config.sessionKey), routes: featureRoutes });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    // On an ephemeral port (tests, benchmarks) the bound address is the public one, so links
    // such as invitations point at this very server.
    if (config.port === 0) config.publicUrl = `http://127.0.0.1:${port}`;
    const url = config.publicUrl;
    if (seeded) {
      app.log.info({ company: seeded.name, logins: demoLogins.map(({ email, role }) => ({ email, role })) }, 'demo company created');
    }
    if (config.receipts.readers > 0) await jobs.work(readReceiptQueue, config.receipts.readers, readReceiptJob({ db: database.db, blobs, reader }));
    await jobs.work(exportQueue, 1, exportJob({ db: database.db, blobs }));
    if (config.smtp) {
      const target = receiptMailTarget({ db: database.db, blobs, jobs, fileBytesMax: config.receipts.fileBytesMax }, config.smtp.domain);
      mail = await startMailListener({ host: config.smtp.host, port: config.smtp.port, serverName: config.smtp.domain, target, logger: app.log });
      app.log.info({ port: mail.port, domain: config.smtp.domain }, 'receiving receipts by e-mail');
    }
    if (config.iso8583) {
      const db = database.db;
      const handler = iso8583Processor({ db, resolveCard: (pan) => findCardIdByPan(db, config.encryptionKey, pan), logger: app.log, clock });
      gateway = await startIso8583Gateway({ host: config.iso8583.host, port: config.iso8583.port, handler, logger: app.log });
      app.log.info({ host: config.iso8583.host, port: gateway.port }, 'ISO 8583 gateway listening');
    }
    if (config.banking.inboxDir) {
      stopInbox = watchStatementInbox({ db: database.db, blobs, topUpAccount: config.banking.topUpAccount }, config.banking.inboxDir, app.log);
    }

    const running = app;
    const stopSweeps = [
      every(expirySweepIntervalMs, () => expireCardHolds(database.db, clock.now()), (error) => running.log.error({ err: error }, 'expiry sweep failed')),
      every(receiptSweepIntervalMs, () => sweepReceipts(database.db, clock.now()), (error) => running.log.error({ err: error }, 'receipt sweep failed')),
      every(
        expenseSyncIntervalMs,
        () => syncCardExpenses(database.db, clock.now(), (error, transaction) => running.log.error({ err: error, ...transaction }, 'a card transaction\'s expense could not be brought in step')),
        (error) => running.log.error({ err: error }, 'expense sync failed'),
      ),
      every(walletAlertIntervalMs, () => sweepLowBalances(database.db, clock.now()), (error) => running.log.error({ err: error }, 'low-balance sweep failed')),
    ];
    const queue = jobs;
    const listener = mail;
    const iso = gateway;
    const inbox = stopInbox;
    return {
      app: running,
      database,
      blobs,
      jobs: queue,
      url,
      smtpPort: listener?.port ?? null,
      iso8583Port: iso?.port ?? null,
      async close() {
        for (const stop of stopSweeps) stop();
        await inbox?.();
        await iso?.close();
        await listener?.close();
        await running.close();
        await queue.stop();
        await reader.close();
        await database.close();
      },
    };
  } catch (error) {
    await stopInbox?.();
    await gateway?.close();
    await mail?.close();
    await app?.close();
    await jobs?.stop();
    await reader.close();
    await database.close();
    throw error;
  }
}
