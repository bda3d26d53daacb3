// What a process that died leaves behind, and what time leaves: an Idempotency-Key claimed by
// a process killed mid-request is taken over by a retry once its lease has passed (a fresh one
// still makes the retry wait and answer 409), and the hourly purge deletes expired keys,
// sessions and invitations while keeping those still within their time.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyLeaseMs, idempotencyRetentionMs } from '../../src/http/idempotency.js';
import { spentInvitationRetentionMs } from '../../src/people/people.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { purgeExpiredRows } from '../../src/server/sweeps.js';
import { endedSessionRetentionMs } from '../../src/sessions/sessions.service.js';
import { createTenant, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';

const hourMs = 60 * 60 * 1000;
let server: RunningServer;
let tenant: Tenant;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'Leftovers Ltd', adminEmail: 'admin@leftovers.test' });
});

afterAll(async () => {
  await server?.close();
});

/** The request hash idempotency.ts stores for a POST of `body` to /api/v1/teams. */
const teamRequestHash = (body: object) => createHash('sha256').update(JSON.stringify(['POST', '/api/v1/teams', {}, {}, body])).digest('hex');

/** A claim left 'running', as a process killed before it answered leaves it, claimed `agoMs` ago. */
async function leftRunning(key: string, body: object, agoMs: number): Promise<void> {
  const claimedAt = new Date(Date.now() - agoMs);
  await server.database.db
    .insertInto('idempotency_keys')
    .values({ company_id: tenant.company.id, principal: tenant.admin.id, key, request_hash: teamRequestHash(body), state: 'running', claim_id: 'dead-process', claimed_at: claimedAt, created_at: claimedAt })
    .execute();
}

async function keyRow(key: string) {
  return server.database.db.selectFrom('idempotency_keys').selectAll().where('company_id', '=', tenant.company.id).where('key', '=', key).executeTakeFirst();
}

describe('an idempotency claim left running', () => {
  it('is hashed here as the server hashes it', async () => {
    const body = { name: 'Probe Team' };
    expect((await tenant.client.post('/api/v1/teams', body, { idempotencyKey: 'probe' })).status).toBe(201);
    expect((await keyRow('probe'))?.request_hash).toBe(teamRequestHash(body));
  });

  it('is taken over by a retry with the same body once its lease has passed, which then runs and stores its answer', async () => {
    const body = { name: 'Recovered Team' };
    await leftRunning('stale', body, idempotencyLeaseMs + hourMs);
    const retried = await tenant.client.post('/api/v1/teams', body, { idempotencyKey: 'stale' });
    expect(retried.status, retried.text).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    const row = await keyRow('stale');
    expect(row?.state).toBe('done');
    expect(row?.claim_id).not.toBe('dead-process');
    const again = await tenant.client.post('/api/v1/teams', body, { idempotencyKey: 'stale' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(retried.body.id);
  });

  it('is taken over by a retry 45 s after its process was killed: a live one renews its claim, a dead one stops', async () => {
    const body = { name: 'Killed Process Team' };
    await leftRunning('killed', body, 45_000);
    const retried = await tenant.client.post('/api/v1/teams', body, { idempotencyKey: 'killed' });
    expect(retried.status, retried.text).toBe(201);
    expect((await keyRow('killed'))?.state).toBe('done');
  });

  it('is not taken over by a retry with another body', async () => {
    await leftRunning('stale-other', { name: 'First Body' }, idempotencyLeaseMs + hourMs);
    const retried = await tenant.client.post('/api/v1/teams', { name: 'Second Body' }, { idempotencyKey: 'stale-other' });
    expect(retried.status).toBe(422);
    expect(retried.body.code).toBe('idempotency_key_reused');
  });

  it('within its lease makes a retry wait, then answer 409 idempotency_request_in_progress', async () => {
    const body = { name: 'Still Running Team' };
    await leftRunning('fresh', body, 1_000);
    const retried = await tenant.client.post('/api/v1/teams', body, { idempotencyKey: 'fresh' });
    expect(retried.status).toBe(409);
    expect(retried.body.code).toBe('idempotency_request_in_progress');
    expect((await keyRow('fresh'))?.claim_id).toBe('dead-process');
  }, 30_000);
});

describe('the purge of expired rows', () => {
  it('deletes keys, sessions and invitations past their time and keeps the rest', async () => {
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const { db } = server.database;
    const companyId = tenant.company.id;
    const userId = tenant.admin.id;

    const keys = { old: ago(idempotencyRetentionMs + hourMs), recent: ago(idempotencyRetentionMs - hourMs) };
    for (const [key, at] of Object.entries(keys)) {
      await db.insertInto('idempotency_keys').values({ company_id: companyId, principal: userId, key: `purge-${key}`, request_hash: 'x', state: 'done', claimed_at: at, created_at: at }).execute();
    }
    const sessions = {
      'expired-long-ago': { expires_at: ago(endedSessionRetentionMs + hourMs), revoked_at: null },
      'revoked-long-ago': { expires_at: new Date(now.getTime() + hourMs), revoked_at: ago(endedSessionRetentionMs + hourMs) },
      'expired-lately': { expires_at: ago(endedSessionRetentionMs - hourMs), revoked_at: null },
      live: { expires_at: new Date(now.getTime() + hourMs), revoked_at: null },
    };
    for (const [id, times] of Object.entries(sessions)) {
      await db.insertInto('sessions').values({ company_id: companyId, id: `purge-${id}`, user_id: userId, secret_hash: 'x', ...times }).execute();
    }
    const invitations = {
      'accepted-long-ago': { expires_at: ago(spentInvitationRetentionMs), accepted_at: ago(spentInvitationRetentionMs + hourMs) },
      'expired-long-ago': { expires_at: ago(spentInvitationRetentionMs + hourMs), accepted_at: null },
      'expired-lately': { expires_at: ago(spentInvitationRetentionMs - hourMs), accepted_at: null },
      open: { expires_at: new Date(now.getTime() + hourMs), accepted_at: null },
    };
    for (const [id, times] of Object.entries(invitations)) {
      await db.insertInto('invitations').values({ company_id: companyId, id: `purge-${id}`, user_id: userId, secret_hash: 'x', invited_by: userId, ...times }).execute();
    }

    const purged = await purgeExpiredRows(db, now, { webhookDeliveryDays: 30 });
    expect(purged.sessions).toBeGreaterThanOrEqual(2);
    expect(purged.invitations).toBeGreaterThanOrEqual(2);

    const left = async (table: 'sessions' | 'invitations') =>
      (await db.selectFrom(table).select('id').where('company_id', '=', companyId).where('id', 'like', 'purge-%').orderBy('id').execute()).map((row) => row.id);
    expect(await left('sessions')).toEqual(['purge-expired-lately', 'purge-live']);
    expect(await left('invitations')).toEqual(['purge-expired-lately', 'purge-open']);
    const keysLeft = await sql<{ key: string }>`select key from idempotency_keys where company_id = ${companyId} and key like 'purge-%' order by key`.execute(db);
    expect(keysLeft.rows.map((row) => row.key)).toEqual(['purge-recent']);
    // The signed-in admin's own session and the keys used above are within their time.
    expect((await tenant.client.get('/api/v1/company')).status).toBe(200);
  });
});
