// The hourly purge deletes webhook deliveries that ended (delivered, or failed for good) longer
// ago than the retention, with their attempts; younger ones and deliveries still queued stay,
// whatever their age. Deliveries really ran against a local receiver; the clock is moved by hand.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../auth/actor.js';
import { createCompany } from '../companies/companies.service.js';
import { loadConfig } from '../config/config.js';
import { ManualClock } from '../test-support/clock.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.js';
import { startWebhookDelivery, webhookAttemptsMax, type WebhookDelivery } from '../webhooks/webhook-delivery.js';
import { createEndpoint, listDeliveries, recordWebhookEvent, setEndpointEnabled } from '../webhooks/webhooks.service.js';
import { purgeExpiredRows } from './sweeps.js';

const dayMs = 24 * 3_600_000;
const retentionDays = 30;
const keys = randomBytes(32);
let database: TestDatabase;
let receiver: WebhookReceiver;
let clock: ManualClock;
let delivery: WebhookDelivery;
let companyId: string;

beforeAll(async () => {
  database = await openTestDatabase();
  receiver = await startWebhookReceiver();
  clock = new ManualClock(new Date('2026-06-01T08:00:00Z'));
  companyId = (await createCompany(database.db, { name: 'Retention Oy', currency: 'EUR' })).id;
  delivery = startWebhookDelivery({ db: database.db, keys, production: false, clock, logger: { warn: () => undefined }, pollIntervalMs: 0 });
});

afterAll(async () => {
  await delivery?.stop();
  await receiver?.close();
  await database?.close();
});

const endpointFor = async (path: string) => (await createEndpoint(database.db, { keys, production: false }, companyId, { url: `${receiver.url}${path}`, eventTypes: ['card.created'] }, systemActor, clock.now())).endpoint.id;
const event = (cardId: string) => database.db.transaction().execute((trx) => recordWebhookEvent(trx, companyId, 'card.created', { cardId }, clock.now()));
const payloadsOf = async (endpointId: string) => (await listDeliveries(database.db, companyId, endpointId, { limit: 100 })).map((row) => ({ card: (JSON.parse(row.payload) as { data: { cardId: string } }).data.cardId, status: row.status, attempts: row.attemptLog.length }));

describe('the purge of webhook deliveries', () => {
  it('deletes ended deliveries older than the retention with their attempts, and keeps the rest', async () => {
    const answering = await endpointFor('/ok');
    const refusing = await endpointFor('/refusing');
    const paused = await endpointFor('/paused');
    await setEndpointEnabled(database.db, companyId, refusing, false, systemActor, clock.now());
    await setEndpointEnabled(database.db, companyId, paused, false, systemActor, clock.now());

    // Delivered at once.
    await event('old-delivered');
    expect(await delivery.deliverDue()).toBe(1);
    // The refusing endpoint fails for good: every attempt is answered 500, two days apart (it is
    // enabled again after each attempt, as a day of failures disables it).
    await setEndpointEnabled(database.db, companyId, refusing, true, systemActor, clock.now());
    await setEndpointEnabled(database.db, companyId, answering, false, systemActor, clock.now());
    await event('old-failed');
    for (let attempt = 0; attempt < webhookAttemptsMax; attempt += 1) {
      receiver.answer({ status: 500 });
      await delivery.deliverDue();
      await setEndpointEnabled(database.db, companyId, refusing, true, systemActor, clock.now());
      clock.advance(2 * dayMs);
    }
    await setEndpointEnabled(database.db, companyId, refusing, false, systemActor, clock.now());
    // An old event for the paused endpoint waits, queued.
    await setEndpointEnabled(database.db, companyId, paused, true, systemActor, clock.now());
    await event('old-queued');
    await setEndpointEnabled(database.db, companyId, paused, false, systemActor, clock.now());

    // A young delivered one, then the purge 31 days after the old ones ended.
    await setEndpointEnabled(database.db, companyId, answering, true, systemActor, clock.now());
    const oldEnded = clock.now();
    clock.advance((retentionDays - 1) * dayMs);
    await event('young-delivered');
    expect(await delivery.deliverDue()).toBe(1);
    expect(await payloadsOf(refusing)).toEqual([{ card: 'old-failed', status: 'failed', attempts: webhookAttemptsMax }]);

    clock.set(new Date(oldEnded.getTime() + (retentionDays + 1) * dayMs));
    const purged = await purgeExpiredRows(database.db, clock.now(), { webhookDeliveryDays: retentionDays });
    expect(purged.webhookDeliveries).toBe(2);
    expect(await payloadsOf(answering)).toEqual([{ card: 'young-delivered', status: 'delivered', attempts: 1 }]);
    expect(await payloadsOf(refusing)).toEqual([]);
    expect(await payloadsOf(paused)).toEqual([{ card: 'old-queued', status: 'queued', attempts: 0 }]);
    const attemptsLeft = await database.db.selectFrom('webhook_attempts').select('delivery_id').where('company_id', '=', companyId).execute();
    expect(attemptsLeft).toHaveLength(1);
    // A second purge finds nothing.
    expect((await purgeExpiredRows(database.db, clock.now(), { webhookDeliveryDays: retentionDays })).webhookDeliveries).toBe(0);
  });

  it('reads the retention from OUTLAY_WEBHOOK_DELIVERY_RETENTION_DAYS, 30 days by default', () => {
    const base = { OUTLAY_DATA_DIR: '/tmp/outlay-retention', OUTLAY_DEMO: '0' };
    expect(loadConfig(base).webhookDeliveryRetentionDays).toBe(30);
    expect(loadConfig({ ...base, OUTLAY_WEBHOOK_DELIVERY_RETENTION_DAYS: '7' }).webhookDeliveryRetentionDays).toBe(7);
    expect(() => loadConfig({ ...base, OUTLAY_WEBHOOK_DELIVERY_RETENTION_DAYS: '0' })).toThrow('OUTLAY_WEBHOOK_DELIVERY_RETENTION_DAYS');
  });
});
