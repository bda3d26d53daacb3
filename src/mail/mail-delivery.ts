// Delivers the outbox over SMTP. Each process with an SMTP server configured claims due
// messages for a lease, sends them one by one outside any transaction (an SMTP exchange must
// not hold a database connection), and records the outcome. A message that fails is tried
// again later with exponential backoff, and failed for good after its last attempt; one whose
// process died is claimed again when its lease runs out, so delivery is at least once.
import nodemailer from 'nodemailer';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { startOutboxRounds } from '../shared/outbox-rounds.js';
import { composeMail } from './mail-templates.js';
import * as repo from './mail.repository.js';
import { linkSignsIn } from './mail.service.js';

/** How often an idle process looks for due messages. */
export const mailPollIntervalMs = 2_000;
/** Messages claimed at once; each is sent before the next is claimed. */
export const mailClaimBatchMax = 10;
/** A claim no process finished within this is taken for a dead process's. */
export const mailLeaseMs = 120_000;
/** Attempts before a message is failed for good: the backoff below spreads them over about a day. */
export const mailAttemptsMax = 10;
const retryDelayFirstMs = 60_000;
const retryDelayMaxMs = 6 * 3_600_000;
/** SMTP's own timeouts: connecting, the greeting, and silence on the socket. */
const smtpConnectTimeoutMs = 10_000;
const smtpSocketTimeoutMs = 30_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(retryDelayMaxMs, retryDelayFirstMs * 2 ** Math.max(0, attempts - 1));
}

export interface MailLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface MailDelivery {
  /** Delivers what is due now; resolves when this round is done. */
  deliverDue(): Promise<number>;
  stop(): Promise<void>;
}

export interface MailDeliveryOptions {
  db: Db;
  smtpUrl: string;
  from: string;
  publicUrl: string;
  clock: Clock;
  logger: MailLogger;
  /** 0: no timer, rounds only when deliverDue is called (tests). */
  pollIntervalMs?: number;
}

export function startMailDelivery(options: MailDeliveryOptions): MailDelivery {
  const { db, clock, logger } = options;
  const transport = nodemailer.createTransport(options.smtpUrl, { connectionTimeout: smtpConnectTimeoutMs, greetingTimeout: smtpConnectTimeoutMs, socketTimeout: smtpSocketTimeoutMs });
  async function sendOne(row: repo.OutgoingMailRow): Promise<boolean> {
    const content = composeMail({ subject: row.subject, text: row.text_body, html: row.html_body, locale: row.locale, linkPath: row.link_path }, options.publicUrl);
    try {
      // The message id is the row's, so a receiver can tell a second delivery after a crash.
      await transport.sendMail({ from: options.from, to: row.to_address, subject: content.subject, text: content.text, html: content.html, messageId: `<${row.id}.${row.company_id}@outlay>`, headers: { 'Auto-Submitted': 'auto-generated' } });
      await repo.finishAttempt(db, row, { status: 'sent', at: clock.now(), scrubLink: linkSignsIn(row.kind) });
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const last = row.attempts >= mailAttemptsMax;
      await repo.finishAttempt(db, row, last ? { status: 'failed', error: reason } : { status: 'queued', nextAttemptAt: new Date(clock.now().getTime() + retryDelayMs(row.attempts)), error: reason });
      logger.warn({ mail: row.id, attempt: row.attempts, final: last, err: reason }, last ? 'an e-mail could not be delivered and is given up' : 'an e-mail could not be delivered and will be tried again');
      return false;
    }
  }

  const rounds = startOutboxRounds({
    claimBatch: () => {
      const now = clock.now();
      return repo.claimDue(db, now, new Date(now.getTime() + mailLeaseMs), mailClaimBatchMax);
    },
    batchMax: mailClaimBatchMax,
    send: sendOne,
    pollIntervalMs: options.pollIntervalMs ?? mailPollIntervalMs,
    onRoundError: (error) => logger.warn({ err: error }, 'e-mail delivery round failed'),
  });

  return {
    deliverDue: rounds.deliverDue,
    async stop() {
      await rounds.stop();
      transport.close();
    },
  };
}
