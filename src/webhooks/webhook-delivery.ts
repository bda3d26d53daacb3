// Sends the webhook outbox. Each process claims due deliveries for a lease (SKIP LOCKED, so
// several processes share the work), posts them one by one outside any transaction (a
// receiver's answer must not hold a database connection), and records the attempt: delivered
// on a 2xx, otherwise queued again with exponential backoff, and failed for good after the
// last attempt. A process that dies mid-attempt leaves a lease that runs out and the delivery
// is sent again: at least once, the same webhook-id each time. An endpoint whose deliveries
// have all failed for a day is disabled.
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import type { FieldKeys } from '../shared/field-encryption.js';
import { newId } from '../shared/ids.js';
import { startOutboxRounds, type OutboxRounds } from '../shared/outbox-rounds.js';
import { postWebhook, type PostOutcome } from './webhook-post.js';
import { signatureHeaders } from './webhook-signing.js';
import * as repo from './webhooks.repository.js';
import { signingSecretsOf } from './webhooks.service.js';

/** How often an idle process looks for due deliveries. */
export const webhookPollIntervalMs = 2_000;
/** Deliveries claimed at once; each is posted before the next is claimed. */
export const webhookClaimBatchMax = 10;
/** A claim no process finished within this is taken for a dead process's (beyond the request's own deadline). */
export const webhookLeaseMs = 60_000;
/** Attempts before a delivery is failed for good: the backoff below spreads them over about 32 hours. */
export const webhookAttemptsMax = 15;
/** An endpoint whose deliveries have failed without a success for this long is disabled. */
export const endpointFailingMaxMs = 24 * 3_600_000;
const retryDelayFirstMs = 30_000;
const retryDelayMaxMs = 6 * 3_600_000;

/** The wait after the given number of failed attempts: 30 s, 1 min, 2 min, ... up to 6 h. */
export function webhookRetryDelayMs(attempts: number): number {
  return Math.min(retryDelayMaxMs, retryDelayFirstMs * 2 ** Math.max(0, attempts - 1));
}

export interface WebhookLogger {
  warn(details: object, message: string): void;
}

export type WebhookDelivery = OutboxRounds;

export interface WebhookDeliveryOptions {
  db: Db;
  keys: FieldKeys;
  /** In production, internal addresses are refused at every delivery (endpoint-url.ts). */
  production: boolean;
  clock: Clock;
  logger: WebhookLogger;
  /** 0: no timer, rounds only when deliverDue is called (tests). */
  pollIntervalMs?: number;
}

function failureOf(post: PostOutcome): string | null {
  if (post.error !== null) return post.error;
  if (post.statusCode !== null && post.statusCode >= 200 && post.statusCode < 300) return null;
  return `the endpoint answered ${post.statusCode}`;
}

/** Records an attempt and its outcome in one transaction, and disables an endpoint failing for a day. */
async function recordAttempt(db: Db, delivery: repo.WebhookDeliveryRow, post: PostOutcome, at: Date): Promise<{ delivered: boolean; disabled: boolean }> {
  const failure = failureOf(post);
  return db.transaction().execute(async (trx) => {
    await repo.insertAttempt(trx, {
      company_id: delivery.company_id,
      id: newId('webhookAttempt', at.getTime()),
      delivery_id: delivery.id,
      attempted_at: at,
      status_code: post.statusCode,
      response_body: post.body,
      error: post.error?.slice(0, 1000) ?? null,
      duration_ms: post.durationMs,
    });
    if (failure === null) {
      await repo.finishDelivery(trx, delivery, post.statusCode, { status: 'delivered', at });
      await repo.clearFailing(trx, delivery.company_id, delivery.endpoint_id);
      return { delivered: true, disabled: false };
    }
    const last = delivery.attempts >= webhookAttemptsMax;
    await repo.finishDelivery(trx, delivery, post.statusCode, last ? { status: 'failed', error: failure } : { status: 'queued', nextAttemptAt: new Date(at.getTime() + webhookRetryDelayMs(delivery.attempts)), error: failure });
    const endpoint = await repo.noteFailing(trx, delivery.company_id, delivery.endpoint_id, at);
    const failingForADay = endpoint.status === 'enabled' && endpoint.failing_since !== null && at.getTime() - endpoint.failing_since.getTime() >= endpointFailingMaxMs;
    if (failingForADay) await repo.updateEndpoint(trx, delivery.company_id, delivery.endpoint_id, { status: 'disabled', disabled_reason: 'failing', updated_at: at });
    return { delivered: false, disabled: failingForADay };
  });
}

export function startWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const { db, clock, logger } = options;
  async function sendOne(delivery: repo.WebhookDeliveryRow, endpoint: repo.WebhookEndpointRow): Promise<boolean> {
    const at = clock.now();
    const headers = signatureHeaders({ id: delivery.event_id, at, body: delivery.payload }, signingSecretsOf(options.keys, endpoint, at));
    const post = await postWebhook(endpoint.url, delivery.payload, headers, { production: options.production, startedAt: Date.now() });
    const outcome = await recordAttempt(db, delivery, post, at);
    if (!outcome.delivered) logger.warn({ delivery: delivery.id, endpoint: endpoint.id, attempt: delivery.attempts, status: post.statusCode, err: post.error }, 'a webhook could not be delivered');
    if (outcome.disabled) logger.warn({ endpoint: endpoint.id, company: endpoint.company_id }, 'a webhook endpoint failed for a day and was disabled');
    return outcome.delivered;
  }

  /** Sends a claimed delivery to its endpoint as it is now (its URL and secrets may have changed
   * since the event); one disabled meanwhile (a failure earlier in the round) gives the claim
   * back and the delivery waits for it to be enabled. */
  async function send(delivery: repo.WebhookDeliveryRow): Promise<boolean> {
    const endpoint = await repo.findEndpoint(db, delivery.company_id, delivery.endpoint_id);
    if (endpoint?.status !== 'enabled') {
      await repo.releaseDelivery(db, delivery);
      return false;
    }
    return sendOne(delivery, endpoint);
  }

  return startOutboxRounds({
    claimBatch: () => {
      const now = clock.now();
      return repo.claimDue(db, now, new Date(now.getTime() + webhookLeaseMs), webhookClaimBatchMax);
    },
    batchMax: webhookClaimBatchMax,
    send,
    pollIntervalMs: options.pollIntervalMs ?? webhookPollIntervalMs,
    onRoundError: (error) => logger.warn({ err: error }, 'webhook delivery round failed'),
  });
}
