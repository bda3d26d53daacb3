// Idempotency-Key on POST: the first request with a key runs; a repeat with the same body
// gets the stored response, a repeat with another body is refused, and a repeat that
// arrives while the first still runs waits for it. Keys are scoped to the principal.
//
// The first request claims the key (state 'running', a claim id and the time) and renews the
// time every idempotencyHeartbeatMs while it runs. A claim not renewed for idempotencyLeaseMs
// belongs to a process that died mid-request (kill -9, a lost machine): a repeat with the same
// body takes the claim over and runs. The attempt that lost its claim, should it still be
// alive, can no longer store its answer over the new one.
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { principalId } from '../auth/principal.js';

export const idempotencyHeader = 'idempotency-key';
export const idempotencyKeyLengthMax = 200;
/** How long a repeat waits for the first request to finish before giving up. */
export const idempotencyWaitMs = 10_000;
const pollMs = 25;
/**
 * How long a claim stays the first attempt's without being renewed. A running request renews
 * it every idempotencyHeartbeatMs, however long it takes; a claim older than this is a dead
 * process's, and a client retrying after the crash gets its request run within half a minute
 * rather than a 409 for as long as a request might possibly run.
 */
export const idempotencyLeaseMs = 30_000;
/** How often a running request renews its claim: a third of the lease, so one late renewal is no takeover. */
export const idempotencyHeartbeatMs = 10_000;
/** How long a key and its stored answer are kept: a client retrying a day later has given up
 * and sends a new key. The purge deletes older ones. */
export const idempotencyRetentionMs = 24 * 60 * 60 * 1000;

interface Claim {
  companyId: string;
  principal: string;
  key: string;
  claimId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim: Claim | null;
    idempotencyHeartbeat: NodeJS.Timeout | null;
  }
}

const claimWhere = (claim: Claim) => sql`company_id = ${claim.companyId} and principal = ${claim.principal} and key = ${claim.key} and claim_id = ${claim.claimId}`;

/** Renews the claim's time while its request runs, so no repeat takes a live attempt's claim over. */
function keepClaim(db: Db, request: FastifyRequest, claim: Claim): void {
  request.idempotencyClaim = claim;
  request.idempotencyHeartbeat = setInterval(() => {
    // A renewal that fails (the database is away) is retried at the next beat; the request
    // itself fails meanwhile, and its claim is released or taken over.
    sql`update idempotency_keys set claimed_at = now() where ${claimWhere(claim)} and state = 'running'`.execute(db).catch(() => undefined);
  }, idempotencyHeartbeatMs);
  request.idempotencyHeartbeat.unref();
}

function stopRenewing(request: FastifyRequest): void {
  if (request.idempotencyHeartbeat) clearInterval(request.idempotencyHeartbeat);
  request.idempotencyHeartbeat = null;
}

function requestHash(request: FastifyRequest): string {
  // A raw upload (a receipt file) counts by its digest: JSON of a Buffer would be huge.
  const body = Buffer.isBuffer(request.body) ? { sha256: createHash('sha256').update(request.body).digest('hex') } : (request.body ?? null);
  return createHash('sha256')
    .update(JSON.stringify([request.method, request.routeOptions.url, request.params, request.query ?? null, body]))
    .digest('hex');
}

function scopeOf(request: FastifyRequest): { companyId: string; principal: string } {
  return request.principal
    ? { companyId: request.principal.companyId, principal: principalId(request.principal) }
    : { companyId: '-', principal: 'anonymous' };
}

/** Takes over a claim running past its lease, for a request with the same body; true when taken. */
async function takeOverStaleClaim(db: Db, claim: Claim, hash: string): Promise<boolean> {
  // The database's clock decides, the same for every process sharing it.
  const taken = await sql<{ key: string }>`
    update idempotency_keys set claim_id = ${claim.claimId}, claimed_at = now()
    where company_id = ${claim.companyId} and principal = ${claim.principal} and key = ${claim.key}
      and state = 'running' and request_hash = ${hash}
      and claimed_at < now() - make_interval(secs => ${idempotencyLeaseMs / 1000})
    returning key`.execute(db);
  return taken.rows.length > 0;
}

/** Deletes up to `limit` keys claimed before `before`; how many went. */
async function deleteKeysClaimedBefore(db: Db, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from idempotency_keys
    where (company_id, principal, key) in (
      select company_id, principal, key from idempotency_keys where claimed_at < ${before} limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Deletes keys past idempotencyRetentionMs (their answers and dead claims), at most `limit`; how many went. */
export async function purgeIdempotencyKeys(db: Db, now: Date, limit: number): Promise<number> {
  return deleteKeysClaimedBefore(db, new Date(now.getTime() - idempotencyRetentionMs), limit);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Claims the request's key, or answers it from the stored response of an earlier run of it. */
async function claimOrReplay(db: Db, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (request.method !== 'POST' || request.routeOptions.config.idempotent === false) return;
  const key = request.headers[idempotencyHeader];
  if (key === undefined) return;
  if (typeof key !== 'string' || key.length === 0 || key.length > idempotencyKeyLengthMax || !/^[\x21-\x7e]+$/.test(key)) {
    throw new DomainError('validation_failed', `${idempotencyHeader} must be 1 to ${idempotencyKeyLengthMax} visible ASCII characters`, idempotencyHeader);
  }
  const scope = scopeOf(request);
  const hash = requestHash(request);
  const deadline = Date.now() + idempotencyWaitMs;
  for (;;) {
    const claimId = randomUUID();
    const claimed = await db
      .insertInto('idempotency_keys')
      .values({ company_id: scope.companyId, principal: scope.principal, key, request_hash: hash, state: 'running', claim_id: claimId })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (claimed) {
      keepClaim(db, request, { ...scope, key, claimId });
      return;
    }
    const stored = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('company_id', '=', scope.companyId)
      .where('principal', '=', scope.principal)
      .where('key', '=', key)
      .executeTakeFirst();
    // Gone again: the first attempt failed on our side and released the key; claim it.
    if (!stored) continue;
    if (stored.request_hash !== hash) {
      throw new DomainError('idempotency_key_reused', `${idempotencyHeader} was used before for a different request`, idempotencyHeader);
    }
    if (stored.state === 'done') {
      return reply
        .status(stored.status_code ?? 200)
        .header('content-type', stored.content_type ?? 'application/json; charset=utf-8')
        .header('idempotent-replayed', 'true')
        .send(stored.response_body ?? '');
    }
    // Past its lease (by this clock; the update checks by the database's), the claim is
    // one a killed process left: this repeat runs the request instead.
    if (Date.now() - stored.claimed_at.getTime() > idempotencyLeaseMs && (await takeOverStaleClaim(db, { ...scope, key, claimId }, hash))) {
      request.log.warn({ key }, 'an idempotency claim past its lease was taken over by a repeat');
      keepClaim(db, request, { ...scope, key, claimId });
      return;
    }
    if (Date.now() > deadline) {
      throw new DomainError('idempotency_request_in_progress', 'a request with this key is still running; retry later');
    }
    await sleep(pollMs);
  }
}

export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.decorateRequest('idempotencyClaim', null);
  app.decorateRequest('idempotencyHeartbeat', null);
  // However the request ends (answered, or its client gone before the answer), no renewal outlives it.
  app.addHook('onResponse', async (request) => stopRenewing(request));
  app.addHook('onRequestAbort', async (request) => stopRenewing(request));

  // Runs after authentication (registered later, same hook), so the key is scoped to a principal.
  app.addHook('preHandler', (request, reply) => claimOrReplay(db, request, reply));

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = null;
    stopRenewing(request);
    // Only while the claim is still this attempt's: one taken over after its lease is the retry's.
    const where = claimWhere(claim);
    if (reply.statusCode >= 500) {
      // Nothing was written (the transaction rolled back): let the client retry with the key.
      await sql`delete from idempotency_keys where ${where}`.execute(db);
      return payload;
    }
    let body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    const redact = request.routeOptions.config.idempotentReplay;
    if (redact && reply.statusCode < 300) body = JSON.stringify(redact(JSON.parse(body) as Record<string, unknown>));
    const stored = await sql`
      update idempotency_keys
      set state = 'done', status_code = ${reply.statusCode}, content_type = ${String(reply.getHeader('content-type') ?? '')},
          response_body = ${body}
      where ${where}`.execute(db);
    if (stored.numAffectedRows === 0n) {
      // A repeat took the claim over after its lease while this attempt still ran: both ran.
      // The lease is meant to be longer than any request; this says it was not.
      request.log.error({ key: claim.key, statusCode: reply.statusCode }, 'an idempotent request finished after a repeat took its claim over: it ran twice');
    }
    return payload;
  });
}
