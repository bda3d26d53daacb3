// Webhook endpoints of a company and the events they receive. A feature tells of an event with
// recordWebhookEvent(s) inside the transaction of its change: one INSERT ... SELECT that writes
// a delivery for each enabled endpoint subscribing to it, and nothing where none does, so the
// event exists exactly when its cause committed and costs a company without endpoints no row.
// Deliveries are sent by webhook-delivery.ts.
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import { currentKeyPattern, decryptField, encryptField, FieldDecryptionError, fieldKeyId, isUnderCurrentKey, keyRingOf, type FieldKeys } from '../shared/field-encryption.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { checkEndpointUrl } from './endpoint-url.js';
import { isWebhookEventType, webhookEventTypes, type WebhookEvent, type WebhookEventType } from './webhook-events.js';
import { newSigningSecret, verifySignedMessage } from './webhook-signing.js';
import * as repo from './webhooks.repository.js';

export type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from './webhooks.repository.js';
export { webhookEventDescriptions, webhookEventTypes, type WebhookEvent, type WebhookEventType } from './webhook-events.js';

/** Endpoints a company may have. */
export const endpointsPerCompanyMax = 20;
/** How long the previous secret keeps signing beside the new one after a rotation. */
export const secretOverlapMs = 24 * 3_600_000;
/** A payload's size at most, as JSON. */
export const payloadCharsMax = 65_536;

/** JSON of a payload: amounts (bigint minor units) as strings of digits, as the API writes them. */
function payloadJson(type: WebhookEventType, at: Date, data: Record<string, unknown>): string {
  const json = JSON.stringify({ type, timestamp: at.toISOString(), data }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  if (json.length > payloadCharsMax) throw new Error(`a ${type} payload is ${json.length} characters, over ${payloadCharsMax}`);
  return json;
}

/** Records events inside the caller's transaction: one statement for all of them. */
export async function recordWebhookEvents(trx: Db, events: readonly WebhookEvent[], now: Date): Promise<number> {
  if (events.length === 0) return 0;
  return repo.insertDeliveries(
    trx,
    events.map((event) => {
      const eventId = newId('webhookEvent', now.getTime());
      return { companyId: event.companyId, eventId, timePart: eventId.slice(4, 14), type: event.type, payload: payloadJson(event.type, now, event.data) };
    }),
    now,
  );
}

export async function recordWebhookEvent(trx: Db, companyId: string, type: WebhookEventType, data: Record<string, unknown>, now: Date): Promise<number> {
  return recordWebhookEvents(trx, [{ companyId, type, data }], now);
}

const secretContext = (companyId: string, endpointId: string, which: 'current' | 'previous') => `${companyId}/${endpointId}/webhook_secret/${which}`;

/** The secrets that sign an endpoint's messages now: the current one, and the previous one
 * while its overlap lasts. */
export function signingSecretsOf(keys: FieldKeys, endpoint: repo.WebhookEndpointRow, now: Date): string[] {
  const secrets = [decryptField(keys, endpoint.secret_ciphertext, secretContext(endpoint.company_id, endpoint.id, 'current'))];
  if (endpoint.previous_secret_ciphertext && endpoint.previous_secret_until && endpoint.previous_secret_until > now) {
    secrets.push(decryptField(keys, endpoint.previous_secret_ciphertext, secretContext(endpoint.company_id, endpoint.id, 'previous')));
  }
  return secrets;
}

export interface EndpointInput {
  url: string;
  description?: string;
  eventTypes: string[];
}

function checkEventTypes(eventTypes: readonly string[]): WebhookEventType[] {
  const unique = [...new Set(eventTypes)];
  if (unique.length === 0) throw new DomainError('validation_failed', 'an endpoint subscribes to at least one event', 'eventTypes');
  const unknown = unique.find((type) => !isWebhookEventType(type));
  if (unknown !== undefined) throw new DomainError('validation_failed', `"${unknown}" is not an event; use ${webhookEventTypes.join(', ')}`, 'eventTypes');
  return unique as WebhookEventType[];
}

function checkDescription(description: string | undefined): string {
  const text = (description ?? '').trim();
  if (text.length > 200) throw new DomainError('validation_failed', 'a description has at most 200 characters', 'description');
  return text;
}

export interface WebhookSettings {
  keys: FieldKeys;
  production: boolean;
}

/** Adds an endpoint; its signing secret is returned here, and by revealSecret later. */
export async function createEndpoint(db: Db, settings: WebhookSettings, companyId: string, input: EndpointInput, actor: Actor, now: Date): Promise<{ endpoint: repo.WebhookEndpointRow; secret: string }> {
  const url = checkEndpointUrl(input.url, settings.production);
  const eventTypes = checkEventTypes(input.eventTypes);
  const description = checkDescription(input.description);
  return db.transaction().execute(async (trx) => {
    if ((await repo.countEndpoints(trx, companyId)) >= endpointsPerCompanyMax) throw new DomainError('conflict', `a company may have ${endpointsPerCompanyMax} webhook endpoints`);
    const id = newId('webhookEndpoint', now.getTime());
    const secret = newSigningSecret();
    const endpoint = await repo.insertEndpoint(trx, {
      company_id: companyId,
      id,
      url,
      description,
      event_types: eventTypes,
      secret_ciphertext: encryptField(settings.keys, secret, secretContext(companyId, id, 'current')),
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, { companyId, ...actor, action: 'webhook_endpoint.created', subjectType: 'webhook_endpoint', subjectId: id, details: { url, eventTypes } });
    return { endpoint, secret };
  });
}

export async function listEndpoints(db: Db, companyId: string): Promise<repo.WebhookEndpointRow[]> {
  return repo.listEndpoints(db, companyId);
}

export async function getEndpoint(db: Db, companyId: string, id: string): Promise<repo.WebhookEndpointRow> {
  const endpoint = await repo.findEndpoint(db, companyId, id);
  if (!endpoint) throw notFound('webhook endpoint');
  return endpoint;
}

/** The secrets an admin needs to verify signatures: the current one, and the previous one while
 * it still signs. Each reveal is in the audit trail. */
export async function revealSecrets(db: Db, keys: FieldKeys, companyId: string, id: string, actor: Actor, now: Date): Promise<{ secret: string; previousSecret: string | null; previousSecretUntil: Date | null }> {
  return changingEndpoint(db, companyId, id, async (trx, endpoint) => {
    const [secret, previous] = signingSecretsOf(keys, endpoint, now);
    await recordAudit(trx, { companyId, ...actor, action: 'webhook_endpoint.secret_revealed', subjectType: 'webhook_endpoint', subjectId: id });
    return { secret: secret!, previousSecret: previous ?? null, previousSecretUntil: previous ? endpoint.previous_secret_until : null };
  });
}

async function changingEndpoint<T>(db: Db, companyId: string, id: string, change: (trx: Db, endpoint: repo.WebhookEndpointRow) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const endpoint = await repo.lockEndpoint(trx, companyId, id);
    if (!endpoint) throw notFound('webhook endpoint');
    return change(trx, endpoint);
  });
}

export async function updateEndpoint(db: Db, settings: WebhookSettings, companyId: string, id: string, input: Partial<EndpointInput>, actor: Actor, now: Date): Promise<repo.WebhookEndpointRow> {
  const changes = {
    ...(input.url !== undefined ? { url: checkEndpointUrl(input.url, settings.production) } : {}),
    ...(input.eventTypes !== undefined ? { event_types: checkEventTypes(input.eventTypes) } : {}),
    ...(input.description !== undefined ? { description: checkDescription(input.description) } : {}),
  };
  return changingEndpoint(db, companyId, id, async (trx) => {
    const updated = await repo.updateEndpoint(trx, companyId, id, { ...changes, updated_at: now });
    await recordAudit(trx, { companyId, ...actor, action: 'webhook_endpoint.changed', subjectType: 'webhook_endpoint', subjectId: id, details: { url: updated.url, eventTypes: updated.event_types } });
    return updated;
  });
}

/** Stops or resumes deliveries. Resuming starts a fresh run of failures; deliveries that waited
 * go out as they fall due. */
export async function setEndpointEnabled(db: Db, companyId: string, id: string, enabled: boolean, actor: Actor, now: Date): Promise<repo.WebhookEndpointRow> {
  return changingEndpoint(db, companyId, id, async (trx, endpoint) => {
    if ((endpoint.status === 'enabled') === enabled) return endpoint;
    const updated = await repo.updateEndpoint(trx, companyId, id, enabled ? { status: 'enabled', disabled_reason: null, failing_since: null, updated_at: now } : { status: 'disabled', disabled_reason: 'by_hand', updated_at: now });
    await recordAudit(trx, { companyId, ...actor, action: enabled ? 'webhook_endpoint.enabled' : 'webhook_endpoint.disabled', subjectType: 'webhook_endpoint', subjectId: id });
    return updated;
  });
}

/** A new signing secret; the one before keeps signing beside it for secretOverlapMs, so receivers
 * can switch without missing a message. */
export async function rotateSecret(db: Db, keys: FieldKeys, companyId: string, id: string, actor: Actor, now: Date): Promise<{ endpoint: repo.WebhookEndpointRow; secret: string }> {
  return changingEndpoint(db, companyId, id, async (trx, endpoint) => {
    const current = decryptField(keys, endpoint.secret_ciphertext, secretContext(companyId, id, 'current'));
    const secret = newSigningSecret();
    const updated = await repo.updateEndpoint(trx, companyId, id, {
      secret_ciphertext: encryptField(keys, secret, secretContext(companyId, id, 'current')),
      previous_secret_ciphertext: encryptField(keys, current, secretContext(companyId, id, 'previous')),
      previous_secret_until: new Date(now.getTime() + secretOverlapMs),
      updated_at: now,
    });
    await recordAudit(trx, { companyId, ...actor, action: 'webhook_endpoint.secret_rotated', subjectType: 'webhook_endpoint', subjectId: id });
    return { endpoint: updated, secret };
  });
}

/** Endpoints read per query while rotating the encryption key. */
export const keyRotationBatchSize = 200;

export interface SecretsRotationResult {
  keyId: string;
  rewritten: number;
  /** Endpoints with a secret no configured key decrypts: left as they are, listed by id. */
  undecryptable: string[];
}

/** Rewrites every endpoint's signing secrets (the current one and a previous one in its overlap)
 * under the current encryption key, one endpoint per short transaction. The secrets themselves
 * do not change, so receivers notice nothing; `outlay keys rotate` runs it beside the cards'. */
export async function rewriteSecretsUnderCurrentKey(db: Db, keys: FieldKeys): Promise<SecretsRotationResult> {
  const result: SecretsRotationResult = { keyId: fieldKeyId(keyRingOf(keys).current), rewritten: 0, undecryptable: [] };
  const pattern = currentKeyPattern(keys);
  let afterId = '';
  for (;;) {
    const batch = await repo.listEndpointsNotUnderKey(db, pattern, afterId, keyRotationBatchSize);
    if (batch.length === 0) return result;
    for (const endpoint of batch) {
      const outcome = await rewriteEndpointSecrets(db, keys, endpoint.company_id, endpoint.id);
      if (outcome === 'rewritten') result.rewritten += 1;
      if (outcome === 'undecryptable') result.undecryptable.push(endpoint.id);
    }
    afterId = batch[batch.length - 1]!.id;
  }
}

async function rewriteEndpointSecrets(db: Db, keys: FieldKeys, companyId: string, id: string): Promise<'rewritten' | 'unchanged' | 'undecryptable'> {
  return db.transaction().execute(async (trx) => {
    // Locked, as every change to an endpoint is: a secret rotation meanwhile waits its turn.
    const endpoint = await repo.lockEndpoint(trx, companyId, id);
    const previous = endpoint?.previous_secret_ciphertext ?? null;
    if (!endpoint || (isUnderCurrentKey(keys, endpoint.secret_ciphertext) && (previous === null || isUnderCurrentKey(keys, previous)))) return 'unchanged';
    let secret: string;
    let previousSecret: string | null;
    try {
      secret = decryptField(keys, endpoint.secret_ciphertext, secretContext(companyId, id, 'current'));
      previousSecret = previous === null ? null : decryptField(keys, previous, secretContext(companyId, id, 'previous'));
    } catch (error) {
      if (error instanceof FieldDecryptionError) return 'undecryptable';
      throw error;
    }
    await repo.updateEndpoint(trx, companyId, id, {
      secret_ciphertext: encryptField(keys, secret, secretContext(companyId, id, 'current')),
      previous_secret_ciphertext: previousSecret === null ? null : encryptField(keys, previousSecret, secretContext(companyId, id, 'previous')),
    });
    return 'rewritten';
  });
}

/** Deletes up to `limit` ended deliveries older than the retention, with their attempts (the
 * hourly purge calls it in batches). */
export async function purgeOldDeliveries(db: Db, now: Date, retentionDays: number, limit: number): Promise<number> {
  return repo.purgeEndedDeliveries(db, new Date(now.getTime() - retentionDays * 24 * 3_600_000), limit);
}

/** Where the demo's own receiver listens (demo-receiver.routes.ts), followed by
 * /:companyId/:endpointId. */
export const demoReceiverPath = '/demo/webhook-receiver';

/** Whether a message received is signed by one of the endpoint's current secrets. */
export async function verifyWebhookMessage(db: Db, keys: FieldKeys, companyId: string, endpointId: string, body: string, headers: Record<string, string>, now: Date): Promise<boolean> {
  const endpoint = await repo.findEndpoint(db, companyId, endpointId);
  if (!endpoint) return false;
  return signingSecretsOf(keys, endpoint, now).some((secret) => verifySignedMessage(secret, body, headers));
}

/** The demo company's endpoint: every event, posted to the server's own demo receiver at
 * `baseUrl`, so the deliveries of what the seeding does really go out and are checked. */
export async function createDemoEndpoint(db: Db, keys: FieldKeys, companyId: string, baseUrl: string, actor: Actor, now: Date): Promise<repo.WebhookEndpointRow> {
  const { endpoint } = await createEndpoint(db, { keys, production: false }, companyId, { url: `${baseUrl}${demoReceiverPath}`, description: 'The demo\'s own receiver', eventTypes: [...webhookEventTypes] }, actor, now);
  return pointDemoEndpointAt(db, endpoint, baseUrl, now);
}

/** Points a demo endpoint at the receiver of the server at `baseUrl` (which, on a port chosen at
 * start, is known only once the server listens). */
export async function pointDemoEndpointAt(db: Db, endpoint: repo.WebhookEndpointRow, baseUrl: string, now: Date): Promise<repo.WebhookEndpointRow> {
  const url = `${baseUrl}${demoReceiverPath}/${endpoint.company_id}/${endpoint.id}`;
  if (endpoint.url === url) return endpoint;
  return db.transaction().execute((trx) => repo.updateEndpoint(trx, endpoint.company_id, endpoint.id, { url, updated_at: now }));
}

/** The company's demo endpoints (those posting to a demo receiver). */
export async function listDemoEndpoints(db: Db, companyId: string): Promise<repo.WebhookEndpointRow[]> {
  return (await repo.listEndpoints(db, companyId)).filter((endpoint) => new URL(endpoint.url).pathname.startsWith(`${demoReceiverPath}/`));
}

/** Attempts shown with each delivery in the log. */
export const attemptsShownMax = 20;

export async function listDeliveries(db: Db, companyId: string, endpointId: string, page: { before?: string; limit: number }) {
  await getEndpoint(db, companyId, endpointId);
  const deliveries = await repo.listDeliveries(db, companyId, { endpointId, ...page });
  const attempts = await repo.listAttempts(db, companyId, deliveries.map((delivery) => delivery.id), attemptsShownMax);
  return deliveries.map((delivery) => ({ ...delivery, attemptLog: attempts.filter((attempt) => attempt.delivery_id === delivery.id) }));
}

/** Sends a delivery again, as it was (same webhook-id, so a receiver can tell), with a fresh
 * run of attempts. One under way is left to finish. */
export async function replayDelivery(db: Db, companyId: string, deliveryId: string, actor: Actor, now: Date): Promise<repo.WebhookDeliveryRow> {
  return db.transaction().execute(async (trx) => {
    const delivery = await repo.lockDelivery(trx, companyId, deliveryId);
    if (!delivery) throw notFound('webhook delivery');
    if (delivery.status === 'sending') throw new DomainError('webhook_state_invalid', 'the delivery is being sent right now; replay it once that attempt ends');
    const replayed = await repo.requeueDelivery(trx, companyId, deliveryId, now);
    await recordAudit(trx, { companyId, ...actor, action: 'webhook_delivery.replayed', subjectType: 'webhook_delivery', subjectId: deliveryId });
    return replayed;
  });
}
