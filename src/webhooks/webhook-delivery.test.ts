// Webhooks end to end below HTTP: an event recorded in its change's transaction reaches a real
// receiver signed per Standard Webhooks (checked with the reference package); a refused
// delivery is tried again after its backoff and not before; an endpoint failing for a day is
// disabled; a rotated secret signs beside the new one during the overlap only; a replay sends
// the same message again; a rolled-back change, or a company without a subscribing endpoint,
// writes nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookVerificationError } from 'standardwebhooks';
import { systemActor } from '../auth/actor.js';
import { createCompany } from '../companies/companies.service.js';
import { ManualClock } from '../test-support/clock.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from '../test-support/webhook-receiver.js';
import { endpointFailingMaxMs, startWebhookDelivery, webhookAttemptsMax, webhookLeaseMs, webhookRetryDelayMs, type WebhookDelivery } from './webhook-delivery.js';
import { responseLogCharsMax } from './webhook-post.js';
import * as repo from './webhooks.repository.js';
import { createEndpoint, listDeliveries, recordWebhookEvent, recordWebhookEvents, replayDelivery, rotateSecret, secretOverlapMs, setEndpointEnabled, type WebhookEventType } from './webhooks.service.js';

let database: TestDatabase;
let receiver: WebhookReceiver;
let clock: ManualClock;
let delivery: WebhookDelivery;
let companyId: string;
let quietCompanyId: string;
const keys = randomBytes(32);
const settings = { keys, production: false };
const warnings: string[] = [];
const logger = { warn: (_details: object, message: string) => void warnings.push(message) };

beforeAll(async () => {
  database = await openTestDatabase();
  receiver = await startWebhookReceiver();
  clock = new ManualClock(new Date());
  companyId = (await createCompany(database.db, { name: 'Fjord Kaffe ApS', currency: 'DKK' })).id;
  quietCompanyId = (await createCompany(database.db, { name: 'Quiet GmbH', currency: 'EUR' })).id;
  delivery = startWebhookDelivery({ db: database.db, keys, production: false, clock, logger, pollIntervalMs: 0 });
});

afterAll(async () => {
  await delivery?.stop();
  await receiver?.close();
  await database?.close();
});

beforeEach(async () => {
  receiver.reset();
  warnings.length = 0;
  // Each test hears its own endpoints only.
  for (const endpoint of await repo.listEndpoints(database.db, companyId)) await setEndpointEnabled(database.db, companyId, endpoint.id, false, systemActor, clock.now());
});

let pathNumber = 0;
async function newEndpoint(eventTypes: WebhookEventType[] = ['expense.approved']) {
  pathNumber += 1;
  const path = `/hooks/${pathNumber}`;
  const created = await createEndpoint(database.db, settings, companyId, { url: `${receiver.url}${path}`, eventTypes }, systemActor, clock.now());
  return { ...created, path };
}

async function approveExpense(expenseId: string, type: WebhookEventType = 'expense.approved', company = companyId) {
  return database.db.transaction().execute((trx) => recordWebhookEvent(trx, company, type, { id: expenseId, amount: 12_050n, currency: 'DKK' }, clock.now()));
}

function receivedAt(path: string) {
  return receiver.received.filter((webhook) => webhook.path === path);
}

async function deliveriesOf(endpointId: string) {
  return listDeliveries(database.db, companyId, endpointId, { limit: 100 });
}

describe('webhook delivery', () => {
  it('delivers an event signed per Standard Webhooks, verified by the reference package', async () => {
    const { endpoint, secret, path } = await newEndpoint();
    expect(secret).toMatch(/^whsec_/);
    expect(await approveExpense('exp_signed')).toBe(1);
    expect(await delivery.deliverDue()).toBe(1);
    const [webhook] = receivedAt(path);
    expect(webhook).toBeDefined();
    const payload = verifyWebhook(secret, webhook!, clock.now());
    expect(payload).toEqual({ type: 'expense.approved', timestamp: clock.now().toISOString(), data: { id: 'exp_signed', amount: '12050', currency: 'DKK' } });
    const [row] = await deliveriesOf(endpoint.id);
    expect(webhook!.headers['webhook-id']).toBe(row!.event_id);
    expect(webhook!.headers['webhook-timestamp']).toBe(String(Math.floor(clock.now().getTime() / 1000)));
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200 });
    expect(row!.attemptLog).toHaveLength(1);
    expect(row!.attemptLog[0]).toMatchObject({ status_code: 200, response_body: 'ok', error: null });
    // Signed under another secret, or with the body changed, it does not check out.
    expect(() => verifyWebhook(`whsec_${randomBytes(32).toString('base64')}`, webhook!, clock.now())).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(secret, { ...webhook!, body: webhook!.body.replace('12050', '99999') }, clock.now())).toThrow(WebhookVerificationError);
    expect(await delivery.deliverDue()).toBe(0);
  });

  it('sends an endpoint only the events it subscribes to, and a disabled endpoint none', async () => {
    const subscribed = await newEndpoint(['expense.rejected']);
    const other = await newEndpoint(['receipt.read']);
    const disabled = await newEndpoint(['expense.rejected']);
    await setEndpointEnabled(database.db, companyId, disabled.endpoint.id, false, systemActor, clock.now());
    expect(await approveExpense('exp_rejected', 'expense.rejected')).toBe(1);
    await delivery.deliverDue();
    expect(receivedAt(subscribed.path)).toHaveLength(1);
    expect(receivedAt(other.path)).toHaveLength(0);
    expect(receivedAt(disabled.path)).toHaveLength(0);
    expect(await deliveriesOf(disabled.endpoint.id)).toHaveLength(0);
  });

  it('writes nothing for a company without a subscribing endpoint, and for a change that rolls back', async () => {
    expect(await approveExpense('exp_quiet', 'expense.approved', quietCompanyId)).toBe(0);
    const { endpoint } = await newEndpoint(['expense.submitted']);
    await expect(
      database.db.transaction().execute(async (trx) => {
        expect(await recordWebhookEvent(trx, companyId, 'expense.submitted', { id: 'exp_rolled_back' }, clock.now())).toBe(1);
        throw new Error('the submission failed after telling of it');
      }),
    ).rejects.toThrow('the submission failed');
    expect(await deliveriesOf(endpoint.id)).toHaveLength(0);
    expect(await delivery.deliverDue()).toBe(0);
    expect(receiver.received).toHaveLength(0);
  });

  it('records many events of several companies in one statement', async () => {
    const { endpoint } = await newEndpoint(['card_authorization.approved', 'card_authorization.declined']);
    const written = await database.db.transaction().execute((trx) =>
      recordWebhookEvents(trx, [
        { companyId, type: 'card_authorization.approved', data: { id: 'ctx_1' } },
        { companyId: quietCompanyId, type: 'card_authorization.approved', data: { id: 'ctx_2' } },
        { companyId, type: 'card_authorization.declined', data: { id: 'ctx_3' } },
      ], clock.now()),
    );
    expect(written).toBe(2);
    const rows = await deliveriesOf(endpoint.id);
    expect(rows.map((row) => row.event_type).sort()).toEqual(['card_authorization.approved', 'card_authorization.declined']);
    expect(new Set(rows.map((row) => row.event_id)).size).toBe(2);
    await delivery.deliverDue();
  });

  it('tries a refused delivery again after its backoff, not before, with the same webhook-id', async () => {
    const { endpoint, secret, path } = await newEndpoint();
    await approveExpense('exp_retried');
    receiver.answer({ status: 500, body: 'database down' });
    expect(await delivery.deliverDue()).toBe(0);
    const [refused] = await deliveriesOf(endpoint.id);
    expect(refused).toMatchObject({ status: 'queued', attempts: 1, last_status_code: 500, last_error: 'the endpoint answered 500' });
    expect(refused!.next_attempt_at.getTime()).toBe(clock.now().getTime() + webhookRetryDelayMs(1));
    expect(warnings).toContain('a webhook could not be delivered');

    clock.advance(webhookRetryDelayMs(1) - 1_000);
    expect(await delivery.deliverDue()).toBe(0);
    clock.advance(1_000);
    expect(await delivery.deliverDue()).toBe(1);
    const attempts = receivedAt(path);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.headers['webhook-id']).toBe(attempts[0]!.headers['webhook-id']);
    verifyWebhook(secret, attempts[1]!, clock.now());
    const [delivered] = await deliveriesOf(endpoint.id);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(delivered!.attemptLog.map((attempt) => [attempt.status_code, attempt.response_body])).toEqual([[200, 'ok'], [500, 'database down']]);
    // The backoff doubles from 30 seconds up to six hours.
    expect([1, 2, 3, 4].map(webhookRetryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(webhookRetryDelayMs(webhookAttemptsMax)).toBe(6 * 3_600_000);
  });

  it('keeps the start of a long answer only', async () => {
    const { endpoint } = await newEndpoint();
    await approveExpense('exp_long_answer');
    receiver.answer({ status: 200, body: 'x'.repeat(100_000) });
    expect(await delivery.deliverDue()).toBe(1);
    const [row] = await deliveriesOf(endpoint.id);
    expect(row!.attemptLog[0]!.response_body).toHaveLength(responseLogCharsMax);
  });

  it('records a refused connection as a failed attempt', async () => {
    const closed = await startWebhookReceiver();
    await closed.close();
    const created = await createEndpoint(database.db, settings, companyId, { url: `${closed.url}/gone`, eventTypes: ['payout.paid'] }, systemActor, clock.now());
    await database.db.transaction().execute((trx) => recordWebhookEvent(trx, companyId, 'payout.paid', { id: 'pay_1' }, clock.now()));
    expect(await delivery.deliverDue()).toBe(0);
    const [row] = await deliveriesOf(created.endpoint.id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, last_status_code: null });
    expect(row!.attemptLog[0]!.error).toContain('ECONNREFUSED');
    await setEndpointEnabled(database.db, companyId, created.endpoint.id, false, systemActor, clock.now());
  });

  it('disables an endpoint whose deliveries failed for a day, and resumes when enabled again', async () => {
    const { endpoint, path } = await newEndpoint(['export.completed']);
    await database.db.transaction().execute((trx) => recordWebhookEvent(trx, companyId, 'export.completed', { id: 'xpb_1' }, clock.now()));
    const failingFrom = clock.now().getTime();
    receiver.answer(...Array.from({ length: webhookAttemptsMax }, () => ({ status: 503 })));
    let attempts = 0;
    while (clock.now().getTime() - failingFrom < endpointFailingMaxMs) {
      expect(await delivery.deliverDue()).toBe(0);
      attempts += 1;
      expect((await repo.findEndpoint(database.db, companyId, endpoint.id))!.status).toBe(clock.now().getTime() - failingFrom >= endpointFailingMaxMs ? 'disabled' : 'enabled');
      clock.advance(webhookRetryDelayMs(attempts));
    }
    // The attempt a day after the first failure is the one that disables the endpoint.
    expect(await delivery.deliverDue()).toBe(0);
    const disabled = (await repo.findEndpoint(database.db, companyId, endpoint.id))!;
    expect(disabled).toMatchObject({ status: 'disabled', disabled_reason: 'failing' });
    expect(warnings).toContain('a webhook endpoint failed for a day and was disabled');
    const sent = receivedAt(path).length;
    // Disabled: nothing more is sent, and new events are not written for it.
    clock.advance(6 * 3_600_000);
    expect(await delivery.deliverDue()).toBe(0);
    expect(receivedAt(path)).toHaveLength(sent);
    await database.db.transaction().execute((trx) => recordWebhookEvent(trx, companyId, 'export.completed', { id: 'xpb_2' }, clock.now()));
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);

    receiver.reset();
    const enabled = await setEndpointEnabled(database.db, companyId, endpoint.id, true, systemActor, clock.now());
    expect(enabled).toMatchObject({ status: 'enabled', disabled_reason: null, failing_since: null });
    expect(await delivery.deliverDue()).toBe(1);
    expect(receivedAt(path)).toHaveLength(1);
    expect(sent).toBeGreaterThan(10);
  });

  it('signs with both secrets during a rotation\'s overlap, and with the new one only after it', async () => {
    const { endpoint, secret: oldSecret, path } = await newEndpoint(['card.frozen']);
    const rotated = await rotateSecret(database.db, keys, companyId, endpoint.id, systemActor, clock.now());
    expect(rotated.secret).not.toBe(oldSecret);
    await database.db.transaction().execute((trx) => recordWebhookEvent(trx, companyId, 'card.frozen', { id: 'card_1' }, clock.now()));
    await delivery.deliverDue();
    const [during] = receivedAt(path);
    expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    verifyWebhook(oldSecret, during!, clock.now());
    verifyWebhook(rotated.secret, during!, clock.now());

    clock.advance(secretOverlapMs);
    await database.db.transaction().execute((trx) => recordWebhookEvent(trx, companyId, 'card.frozen', { id: 'card_2' }, clock.now()));
    await delivery.deliverDue();
    const after = receivedAt(path)[1]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    verifyWebhook(rotated.secret, after, clock.now());
    expect(() => verifyWebhook(oldSecret, after, clock.now())).toThrow(WebhookVerificationError);
  });

  it('replays a delivery: the same message again, its log kept', async () => {
    const { endpoint, secret, path } = await newEndpoint(['top_up.received']);
    await database.db.transaction().execute((trx) => recordWebhookEvent(trx, companyId, 'top_up.received', { id: 'top_1', amount: 500_00n }, clock.now()));
    await delivery.deliverDue();
    const [first] = await deliveriesOf(endpoint.id);
    clock.advance(60_000);
    const replayed = await replayDelivery(database.db, companyId, first!.id, systemActor, clock.now());
    expect(replayed).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await delivery.deliverDue()).toBe(1);
    const [original, again] = receivedAt(path);
    expect(again!.headers['webhook-id']).toBe(original!.headers['webhook-id']);
    expect(again!.body).toBe(original!.body);
    verifyWebhook(secret, again!, clock.now());
    const [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(row!.attemptLog).toHaveLength(2);
  });

  it('shares the work between processes: each delivery is claimed by one, and a dead one\'s claim is taken up after its lease', async () => {
    const { endpoint, path } = await newEndpoint(['card.created']);
    await database.db.transaction().execute((trx) => recordWebhookEvents(trx, Array.from({ length: 12 }, (_, index) => ({ companyId, type: 'card.created' as const, data: { id: `card_${index}` } })), clock.now()));
    const second = startWebhookDelivery({ db: database.db, keys, production: false, clock, logger, pollIntervalMs: 0 });
    const [a, b] = await Promise.all([delivery.deliverDue(), second.deliverDue()]);
    await second.stop();
    expect(a + b).toBe(12);
    expect(new Set(receivedAt(path).map((webhook) => webhook.headers['webhook-id'])).size).toBe(12);
    expect(receivedAt(path)).toHaveLength(12);

    // A process claims a delivery and dies before posting it.
    await database.db.transaction().execute((trx) => recordWebhookEvent(trx, companyId, 'card.created', { id: 'card_orphan' }, clock.now()));
    const [claimed] = await repo.claimDue(database.db, clock.now(), new Date(clock.now().getTime() + webhookLeaseMs), 10);
    expect(claimed?.endpoint_id).toBe(endpoint.id);
    expect(await delivery.deliverDue()).toBe(0);
    clock.advance(webhookLeaseMs);
    expect(await delivery.deliverDue()).toBe(1);
    expect(receivedAt(path)).toHaveLength(13);
  });
});
