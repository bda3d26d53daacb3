// API keys for integrators: shown once at creation, stored as a keyed hash, limited to scopes.
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { apiKeyScopes, type Permission } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { formatToken, hashSecret, newSecret, parseToken, secretMatches } from '../auth/tokens.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import * as repo from './api-keys.repository.js';

export type { ApiKeyRow } from './api-keys.repository.js';

export const apiKeyPrefix = 'olk.';
const apiKeyPurpose = 'api_key';
/** Keys a company may hold at once, revoked ones not counted. */
export const apiKeysPerCompanyMax = 100;
/** Last use is informational: written at most this often per key. */
const lastUseWriteIntervalMs = 60_000;

export async function createApiKey(
  db: Db,
  sessionKey: Buffer,
  companyId: string,
  input: { name: string; scopes: string[] },
  actor: Actor,
): Promise<{ apiKey: repo.ApiKeyRow; secret: string }> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) throw new DomainError('validation_failed', 'a key name has 1 to 100 characters', 'name');
  const scopes = [...new Set(input.scopes)];
  const unknown = scopes.find((scope) => !(apiKeyScopes as readonly string[]).includes(scope));
  if (unknown) throw new DomainError('validation_failed', `"${unknown}" is not a scope; use ${apiKeyScopes.join(', ')}`, 'scopes');
  if (scopes.length === 0) throw new DomainError('validation_failed', 'a key needs at least one scope', 'scopes');
  return db.transaction().execute(async (trx) => {
    if ((await repo.countLiveKeys(trx, companyId)) >= apiKeysPerCompanyMax) {
      throw new DomainError('conflict', `a company may hold ${apiKeysPerCompanyMax} API keys; revoke one first`);
    }
    const secret = newSecret();
    const apiKey = await repo.insertKey(trx, {
      company_id: companyId,
      id: newId('apiKey'),
      name,
      scopes,
      secret_hash: hashSecret(sessionKey, apiKeyPurpose, secret),
      created_by: actor.actorId ?? 'system',
    });
    await recordAudit(trx, { companyId, ...actor, action: 'api_key.created', subjectType: 'api_key', subjectId: apiKey.id, details: { name, scopes } });
    return { apiKey, secret: formatToken(companyId, apiKey.id, secret, apiKeyPrefix) };
  });
}

export async function listApiKeys(db: Db, companyId: string, before: string | undefined, limit: number): Promise<repo.ApiKeyRow[]> {
  return repo.listKeys(db, companyId, before, limit);
}

export async function revokeApiKey(db: Db, companyId: string, id: string, actor: Actor, now: Date): Promise<repo.ApiKeyRow> {
  return db.transaction().execute(async (trx) => {
    const key = await repo.lockKey(trx, companyId, id);
    if (!key) throw notFound('API key');
    if (key.revoked_at) return key;
    const revoked = await repo.revokeKey(trx, companyId, id, now);
    await recordAudit(trx, { companyId, ...actor, action: 'api_key.revoked', subjectType: 'api_key', subjectId: id });
    return revoked;
  });
}

export async function resolveApiKey(db: Db, sessionKey: Buffer, token: string, now: Date): Promise<Principal | null> {
  const parsed = parseToken(token, apiKeyPrefix);
  if (!parsed) return null;
  const key = await repo.findKey(db, parsed.companyId, parsed.id);
  if (!key || key.revoked_at || key.suspended_at || !secretMatches(sessionKey, apiKeyPurpose, parsed.secret, key.secret_hash)) return null;
  if (!key.last_used_at || now.getTime() - key.last_used_at.getTime() > lastUseWriteIntervalMs) {
    await repo.touchKey(db, key.company_id, key.id, now);
  }
  return { kind: 'api_key', companyId: key.company_id, apiKeyId: key.id, permissions: new Set(key.scopes as Permission[]) };
}

/**
 * Suspends the keys a person made, in the caller's transaction (the person deactivated): a
 * key acts with its maker's authority, which ended. Each suspension is in the audit trail.
 */
export async function suspendApiKeysMadeBy(trx: Db, companyId: string, userId: string, now: Date): Promise<void> {
  for (const id of await repo.suspendKeysMadeBy(trx, companyId, userId, now)) {
    await recordAudit(trx, { companyId, actorType: 'system', actorId: null, action: 'api_key.suspended', subjectType: 'api_key', subjectId: id, details: { reason: 'maker_deactivated', userId } });
  }
}

/** The names of the company's API keys (revoked ones too), by id. */
export async function apiKeyNamesOf(db: Db, companyId: string, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await repo.listKeyNames(db, companyId, ids)).map((row) => [row.id, row.name]));
}
