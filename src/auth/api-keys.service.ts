// API keys for integrators: shown once at creation, stored as a keyed hash, limited to scopes.
import type { Selectable } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import type { ApiKeysTable } from '../db/schema.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { apiKeyScopes, type Permission } from './permissions.js';
import type { Principal } from './principal.js';
import { formatToken, hashSecret, newSecret, parseToken, secretMatches } from './tokens.js';

export type ApiKeyRow = Selectable<ApiKeysTable>;

export const apiKeyPrefix = 'olk.';
const apiKeyPurpose = 'api_key';
/** Keys a company may hold at once, revoked ones not counted. */
export const apiKeysPerCompanyMax = 100;

export async function createApiKey(
  db: Db,
  sessionKey: Buffer,
  companyId: string,
  input: { name: string; scopes: string[] },
  actor: Actor,
): Promise<{ apiKey: ApiKeyRow; secret: string }> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) throw new DomainError('validation_failed', 'a key name has 1 to 100 characters', 'name');
  const scopes = [...new Set(input.scopes)];
  const unknown = scopes.find((scope) => !(apiKeyScopes as readonly string[]).includes(scope));
  if (unknown) throw new DomainError('validation_failed', `"${unknown}" is not a scope; use ${apiKeyScopes.join(', ')}`, 'scopes');
  if (scopes.length === 0) throw new DomainError('validation_failed', 'a key needs at least one scope', 'scopes');
  return db.transaction().execute(async (trx) => {
    const live = await trx
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .where('company_id', '=', companyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= apiKeysPerCompanyMax) {
      throw new DomainError('conflict', `a company may hold ${apiKeysPerCompanyMax} API keys; revoke one first`);
    }
    const secret = newSecret();
    const apiKey = await trx
      .insertInto('api_keys')
      .values({
        company_id: companyId,
        id: newId('apiKey'),
        name,
        scopes,
        secret_hash: hashSecret(sessionKey, apiKeyPurpose, secret),
        created_by: actor.actorId ?? 'system',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { companyId, ...actor, action: 'api_key.created', subjectType: 'api_key', subjectId: apiKey.id, details: { name, scopes } });
    return { apiKey, secret: formatToken(companyId, apiKey.id, secret, apiKeyPrefix) };
  });
}

export async function listApiKeys(db: Db, companyId: string, before: string | undefined, limit: number): Promise<ApiKeyRow[]> {
  let query = db.selectFrom('api_keys').selectAll().where('company_id', '=', companyId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

export async function revokeApiKey(db: Db, companyId: string, id: string, actor: Actor, now = new Date()): Promise<ApiKeyRow> {
  return db.transaction().execute(async (trx) => {
    const key = await trx.selectFrom('api_keys').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
    if (!key) throw notFound('API key');
    if (key.revoked_at) return key;
    const revoked = await trx
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { companyId, ...actor, action: 'api_key.revoked', subjectType: 'api_key', subjectId: id });
    return revoked;
  });
}

export async function resolveApiKey(db: Db, sessionKey: Buffer, token: string, now = new Date()): Promise<Principal | null> {
  const parsed = parseToken(token, apiKeyPrefix);
  if (!parsed) return null;
  const key = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('company_id', '=', parsed.companyId)
    .where('id', '=', parsed.id)
    .executeTakeFirst();
  if (!key || key.revoked_at || !secretMatches(sessionKey, apiKeyPurpose, parsed.secret, key.secret_hash)) return null;
  // Last use is informational: write it at most once a minute per key.
  if (!key.last_used_at || now.getTime() - key.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('company_id', '=', key.company_id).where('id', '=', key.id).execute();
  }
  return { kind: 'api_key', companyId: key.company_id, apiKeyId: key.id, permissions: new Set(key.scopes as Permission[]) };
}
