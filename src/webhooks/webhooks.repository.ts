// SQL of webhooks: the endpoints, the deliveries (the outbox, which is its own queue) and the
// log of their attempts.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from '../db/schema.js';
import { unsentChanges, type UnsentOutcome } from '../shared/outbox-rounds.js';

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;

/** An event ready to be written, once per endpoint of its company that subscribes to it. */
export interface EventToWrite {
  companyId: string;
  eventId: string;
  /** The time part of the event's id, which the deliveries' ids begin with (they sort by time). */
  timePart: string;
  type: string;
  payload: string;
}

/**
 * Writes each event once for every enabled endpoint of its company subscribing to its type,
 * in one statement; where none subscribes it writes nothing. A delivery's id is the event's
 * time and a digest of the event and endpoint ids: unique, and sorting by time.
 */
export async function insertDeliveries(trx: Db, events: readonly EventToWrite[], now: Date): Promise<number> {
  if (events.length === 0) return 0;
  const rows = sql.join(events.map((event) => sql`(${event.companyId}::text, ${event.eventId}::text, ${event.timePart}::text, ${event.type}::text, ${event.payload}::text)`));
  const result = await sql`
    insert into webhook_deliveries (company_id, id, endpoint_id, event_id, event_type, payload, next_attempt_at, created_at)
    select ev.company_id, 'whd_' || ev.time_part || upper(substr(md5(ev.event_id || '/' || e.id), 1, 16)), e.id, ev.event_id, ev.event_type, ev.payload, ${now}, ${now}
      from (values ${rows}) as ev (company_id, event_id, time_part, event_type, payload)
      join webhook_endpoints as e on e.company_id = ev.company_id and e.status = 'enabled' and ev.event_type = any (e.event_types)`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

export async function insertEndpoint(db: Db, row: Insertable<WebhookEndpointsTable>): Promise<WebhookEndpointRow> {
  return db.insertInto('webhook_endpoints').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function countEndpoints(db: Db, companyId: string): Promise<number> {
  const row = await db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<string>().as('count')).where('company_id', '=', companyId).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listEndpoints(db: Db, companyId: string): Promise<WebhookEndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('company_id', '=', companyId).orderBy('id').execute();
}

export async function findEndpoint(db: Db, companyId: string, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function lockEndpoint(trx: Db, companyId: string, id: string): Promise<WebhookEndpointRow | undefined> {
  return trx.selectFrom('webhook_endpoints').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateEndpoint(trx: Db, companyId: string, id: string, changes: Updateable<WebhookEndpointsTable>): Promise<WebhookEndpointRow> {
  return trx.updateTable('webhook_endpoints').set(changes).where('company_id', '=', companyId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Endpoints of every company with a secret not matching `currentPattern` (a LIKE pattern of the
 * current encryption key's values), by id after `afterId`. */
export async function listEndpointsNotUnderKey(db: Db, currentPattern: string, afterId: string, limit: number): Promise<Pick<WebhookEndpointRow, 'company_id' | 'id'>[]> {
  return db
    .selectFrom('webhook_endpoints')
    .select(['company_id', 'id'])
    .where('id', '>', afterId)
    .where((eb) => eb.or([eb('secret_ciphertext', 'not like', currentPattern), eb('previous_secret_ciphertext', 'not like', currentPattern)]))
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints (queued and their time has come, or
 * being sent by a process whose lease ran out), counting the attempt. SKIP LOCKED: several
 * processes claim different deliveries at once.
 */
export async function claimDue(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<WebhookDeliveryRow[]> {
  const result = await sql<WebhookDeliveryRow>`
    update webhook_deliveries as d
       set status = 'sending', lease_until = ${leaseUntil}, attempts = d.attempts + 1
      from (select w.company_id, w.id from webhook_deliveries as w
              join webhook_endpoints as e on e.company_id = w.company_id and e.id = w.endpoint_id and e.status = 'enabled'
             where (w.status = 'queued' and w.next_attempt_at <= ${now}) or (w.status = 'sending' and w.lease_until <= ${now})
             order by w.next_attempt_at, w.id
             limit ${limit}
             for update of w skip locked) as due
     where d.company_id = due.company_id and d.id = due.id
    returning d.*`.execute(db);
  return result.rows;
}

export type AttemptOutcome = { status: 'delivered'; at: Date } | UnsentOutcome;

/** Ends a claim (only while it is still this attempt's); false when another process took it over. */
export async function finishDelivery(trx: Db, row: Pick<WebhookDeliveryRow, 'company_id' | 'id' | 'attempts'>, statusCode: number | null, outcome: AttemptOutcome): Promise<boolean> {
  const update =
    outcome.status === 'delivered'
      ? { status: 'delivered' as const, delivered_at: outcome.at, lease_until: null, last_error: null, last_status_code: statusCode }
      : { ...unsentChanges(outcome), last_status_code: statusCode };
  const result = await trx
    .updateTable('webhook_deliveries')
    .set(update)
    .where('company_id', '=', row.company_id)
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', row.attempts)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Gives a claim back unsent (its endpoint was disabled meanwhile): the attempt is not counted. */
export async function releaseDelivery(db: Db, row: Pick<WebhookDeliveryRow, 'company_id' | 'id' | 'attempts'>): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ status: 'queued', lease_until: null, attempts: eb('attempts', '-', 1) }))
    .where('company_id', '=', row.company_id)
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', row.attempts)
    .execute();
}

export async function insertAttempt(trx: Db, row: Insertable<WebhookAttemptsTable>): Promise<void> {
  await trx.insertInto('webhook_attempts').values(row).execute();
}

/** A success ends the endpoint's run of failures. */
export async function clearFailing(trx: Db, companyId: string, endpointId: string): Promise<void> {
  await trx.updateTable('webhook_endpoints').set({ failing_since: null }).where('company_id', '=', companyId).where('id', '=', endpointId).where('failing_since', 'is not', null).execute();
}

/** Notes a failure: the run of failures starts now unless it started before. Returns the
 * endpoint as it is now. */
export async function noteFailing(trx: Db, companyId: string, endpointId: string, at: Date): Promise<WebhookEndpointRow> {
  return trx
    .updateTable('webhook_endpoints')
    .set((eb) => ({ failing_since: eb.fn.coalesce('failing_since', sql<Date>`${at}::timestamptz`) }))
    .where('company_id', '=', companyId)
    .where('id', '=', endpointId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listDeliveries(db: Db, companyId: string, filter: { endpointId: string; before?: string; limit: number }): Promise<WebhookDeliveryRow[]> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('company_id', '=', companyId).where('endpoint_id', '=', filter.endpointId);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function findDelivery(db: Db, companyId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function lockDelivery(trx: Db, companyId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
  return trx.selectFrom('webhook_deliveries').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Queues a delivery again, due at once, with a fresh run of attempts (its log is kept). */
export async function requeueDelivery(trx: Db, companyId: string, id: string, now: Date): Promise<WebhookDeliveryRow> {
  return trx
    .updateTable('webhook_deliveries')
    .set({ status: 'queued', attempts: 0, next_attempt_at: now, lease_until: null })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The attempts of some deliveries, newest first, at most `limitEach` each. */
export async function listAttempts(db: Db, companyId: string, deliveryIds: readonly string[], limitEach: number): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  const result = await sql<WebhookAttemptRow>`
    select * from (
      select a.*, row_number() over (partition by a.delivery_id order by a.id desc) as place
        from webhook_attempts as a
       where a.company_id = ${companyId} and a.delivery_id in (${sql.join(deliveryIds)})
    ) as ranked
    where place <= ${limitEach}
    order by delivery_id, id desc`.execute(db);
  return result.rows.map(({ place: _place, ...row }: WebhookAttemptRow & { place?: unknown }) => row);
}

/** Deletes up to `limit` deliveries that ended (delivered or failed) and were created before
 * `before`, with their attempts, in one statement; queued ones wait for their endpoint. */
export async function purgeEndedDeliveries(db: Db, before: Date, limit: number): Promise<number> {
  const result = await sql`
    with doomed as (
      select company_id, id from webhook_deliveries
       where status in ('delivered', 'failed') and created_at < ${before}
       order by created_at limit ${limit}
       for update skip locked
    ), attempts as (
      delete from webhook_attempts as a using doomed as d where a.company_id = d.company_id and a.delivery_id = d.id
    )
    delete from webhook_deliveries as w using doomed as d where w.company_id = d.company_id and w.id = d.id`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
