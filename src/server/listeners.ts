// What a server process listens to besides HTTP, each only when configured: receipts by
// e-mail (SMTP), card authorizations over ISO 8583, and a folder of bank statements; and,
// always, the live events that lead to more (a purchase asks for its receipt) and the card
// transactions this process changed (their expenses follow).
import type { FastifyBaseLogger } from 'fastify';
import { watchStatementInbox } from '../banking/statement-inbox.js';
import { findCardIdByPan } from '../cards/card-lookup.service.js';
import { onCardTransactionsChanged } from '../cards/card-transactions.service.js';
import { fieldKeysOf, type Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import { expenseSyncGroupMax, syncChanged } from '../expenses/expense-sync.js';
import { handlerTimeoutMs, startIso8583Gateway, type Iso8583Gateway } from '../iso8583/gateway.js';
import { iso8583Processor } from '../iso8583/iso8583-processor.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { startMailDelivery, type MailDelivery } from '../mail/mail-delivery.js';
import { startMailListener, type MailListener } from '../receipts/mail-in/mail-listener.js';
import { receiptMailTarget } from '../receipts/receipt-mail.js';
import { promptForReceipts } from '../receipts/receipt-prompt.js';
import type { Clock } from '../shared/clock.js';
import { backgroundBatches } from '../shared/background-work.js';
import { liveEvents } from '../shared/live-events.js';
import { DomainError } from '../shared/errors.js';
import { startWebhookDelivery, type WebhookDelivery } from '../webhooks/webhook-delivery.js';
import type { BlobStore } from '../storage/blob-store.js';

/** Time left between the engine's deadline and the gateway's stand-in answer. */
const iso8583CommitMarginMs = 250;

export interface ListenerDeps {
  db: Db;
  blobs: BlobStore;
  jobs: JobQueue;
  log: FastifyBaseLogger;
}

export async function startReceiptMail(config: Config, deps: ListenerDeps, clock: Clock): Promise<MailListener | null> {
  if (!config.smtp) return null;
  const target = receiptMailTarget({ db: deps.db, blobs: deps.blobs, jobs: deps.jobs, fileBytesMax: config.receipts.fileBytesMax }, config.smtp.domain);
  const mail = await startMailListener({ host: config.smtp.host, port: config.smtp.port, serverName: config.smtp.domain, target, logger: deps.log, now: () => clock.now() });
  deps.log.info({ port: mail.port, domain: config.smtp.domain }, 'receiving receipts by e-mail');
  return mail;
}

/** Sends the outbox over SMTP when a server is configured; without one, messages wait in the
 * outbox (shown in the web app in development). */
export function startOutgoingMail(config: Config, deps: Pick<ListenerDeps, 'db' | 'log'>, clock: Clock): MailDelivery | null {
  if (!config.mail.smtpUrl) {
    if (config.production) deps.log.warn('no OUTLAY_MAIL_SMTP_URL: e-mails (invitations, reminders, alerts) stay in the outbox unsent');
    return null;
  }
  return startMailDelivery({ db: deps.db, smtpUrl: config.mail.smtpUrl, from: config.mail.from, publicUrl: config.publicUrl, clock, logger: deps.log });
}

/** Sends the webhook outbox from every process (each claims its own share of what is due). */
export function startWebhookSending(config: Config, deps: Pick<ListenerDeps, 'db' | 'log'>, clock: Clock, pollIntervalMs?: number): WebhookDelivery {
  return startWebhookDelivery({ db: deps.db, keys: fieldKeysOf(config), production: config.production, clock, logger: deps.log, ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}) });
}

export async function startIso8583(config: Config, deps: Pick<ListenerDeps, 'db' | 'log'>, clock: Clock): Promise<Iso8583Gateway | null> {
  if (!config.iso8583) return null;
  const { db } = deps;
  // The engine's deadline ends a little before the gateway answers 91, so nothing commits after it.
  const deadlineMs = handlerTimeoutMs - iso8583CommitMarginMs;
  const keys = fieldKeysOf(config);
  const handler = iso8583Processor({ db, resolveCard: (pan) => findCardIdByPan(db, keys, pan), logger: deps.log, clock, deadlineMs });
  const allowedPeers = config.iso8583.allowedPeers ?? null;
  const gateway = await startIso8583Gateway({ host: config.iso8583.host, port: config.iso8583.port, handler, logger: deps.log, allowedPeers });
  deps.log.info({ host: config.iso8583.host, port: gateway.port, allowedPeers }, 'ISO 8583 gateway listening');
  return gateway;
}

/** Watches the statement inbox folder; the function returned stops watching. */
export function startStatementInbox(config: Config, deps: Pick<ListenerDeps, 'db' | 'blobs' | 'log'>, clock: Clock): (() => Promise<void>) | null {
  if (!config.banking.inboxDir) return null;
  return watchStatementInbox({ db: deps.db, blobs: deps.blobs, topUpAccount: config.banking.topUpAccount }, config.banking.inboxDir, deps.log, clock);
}

/** Asks the cardholder for the receipt of each purchase that needs one, as it is authorized.
 * The asking runs beside the authorization, not in its answer's way: the decision is given
 * and the bus told at once, and the few reads and the notification follow. The function
 * returned stops listening and waits for the askings under way. Another server's company
 * (tests run several in one process) is not in this database and is left alone. */
export function startReceiptPrompts(deps: Pick<ListenerDeps, 'db' | 'log'>, clock: Clock): () => Promise<void> {
  const asking = backgroundBatches<{ companyId: string; transactionId: string }>(receiptPromptLimits, async (purchases) => {
    for (const [companyId, transactionIds] of byCompany(purchases)) {
      try {
        await promptForReceipts(deps.db, companyId, transactionIds, clock.now());
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'not_found')) deps.log.error({ err: error, companyId, transactions: transactionIds.length }, 'asking for receipts failed');
      }
    }
  });
  const stopListening = liveEvents.subscribe(
    (event) => {
      if (event.type !== 'card_transaction.authorized') return;
      asking.add(`${event.companyId}/${event.subject.id}`, { companyId: event.companyId, transactionId: event.subject.id });
    },
    () => {},
    // Another process's purchase is asked about by that process.
    { thisProcessOnly: true },
  );
  return async () => {
    stopListening();
    await asking.stop();
  };
}

/** Receipt prompts this process asks at once and keeps waiting; one left out is reminded of
 * by the receipt sweep later, like any purchase without its receipt. */
export const receiptPromptLimits = { concurrencyMax: 1, waitingMax: 10_000, batchMax: 200 };

/** The transaction ids of the changes, by company, in the order they came. */
function byCompany(changes: readonly { companyId: string; transactionId: string }[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const { companyId, transactionId } of changes) {
    const ids = grouped.get(companyId);
    if (ids) ids.push(transactionId);
    else grouped.set(companyId, [transactionId]);
  }
  return grouped;
}

/** Expense syncs this process runs at once; more wait their turn. One: under load the syncs
 * queue up rather than take the database from authorizations (bench:auth on PostgreSQL, hot
 * wallet: with 4 at once 120 authorizations/s and p50 17.8 ms at half that rate; with 1,
 * 138/s and 6.3 ms, as before the sync followed each change). */
export const expenseSyncConcurrencyMax = 1;
/** Transactions waiting for their expense sync in this process; beyond it a change is left to
 * the safety-net sweep (sweeps.ts) rather than held in memory. */
export const expenseSyncWaitingMax = 10_000;

/** Brings each card transaction's expense in step once the change this process made commits,
 * beside the answer (the authorization's decision is not kept waiting). A transaction changed
 * again while waiting is synced once. A failure is logged and left to the safety-net sweep.
 * The function returned stops listening and waits for the syncs under way; those still
 * waiting are left to the sweep (their transactions are still marked out of step). */
export function startExpenseSync(deps: Pick<ListenerDeps, 'db' | 'log'>, clock: Clock): () => Promise<void> {
  const syncing = backgroundBatches<{ companyId: string; id: string }>({ concurrencyMax: expenseSyncConcurrencyMax, waitingMax: expenseSyncWaitingMax, batchMax: expenseSyncGroupMax }, async (changes) => {
    await syncChanged(deps.db, changes, clock.now(), (error, transaction) =>
      deps.log.error({ err: error, ...transaction }, "a card transaction's expense could not be brought in step; the sweep tries again"),
    );
  });
  const stopListening = onCardTransactionsChanged((change) => void syncing.add(`${change.companyId}/${change.transactionId}`, { companyId: change.companyId, id: change.transactionId }));
  return async () => {
    stopListening();
    await syncing.stop();
  };
}
