// Changing feature flags: platform operators (the API, flags:operate) and the command line.
// Each change is checked as a whole (flagProblem), saved and written to the platform
// company's audit trail with the flag before and after, in one transaction. The server that
// made the change reads its flags again at once; every other process sees the change at its
// next refresh (src/flags, within seconds).
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { findPlatformCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { refreshFlagsOf } from '../flags/feature-flags.js';
import { findFlag, listFlags, saveFlag, type StoredFlag } from '../flags/flag-store.js';
import { flagProblem, type TargetingRule } from '../flags/flag-targeting.js';
import { DomainError, notFound } from '../shared/errors.js';

export type { StoredFlag } from '../flags/flag-store.js';

export interface FlagChange {
  description?: string;
  enabled?: boolean;
  variants?: string[];
  defaultVariant?: string;
  rules?: TargetingRule[];
}

export const listFeatureFlags = (db: Db): Promise<StoredFlag[]> => listFlags(db);

export async function getFeatureFlag(db: Db, key: string): Promise<StoredFlag> {
  const flag = await findFlag(db, key);
  if (!flag) throw notFound(`feature flag ${key}`);
  return flag;
}

/** What the audit trail keeps of a flag: what decides its evaluations. */
const auditedOf = (flag: StoredFlag) => ({ enabled: flag.enabled, variants: flag.variants, defaultVariant: flag.defaultVariant, rules: flag.rules, description: flag.description });

/** Who the flag's updated_by names: a person or key by id, the command line, or Outlay. */
const updaterOf = (actor: Actor & { via?: 'cli' }) => actor.via ?? actor.actorId ?? 'system';

export async function changeFeatureFlag(db: Db, actor: Actor & { via?: 'cli' }, key: string, change: FlagChange, now: Date): Promise<StoredFlag> {
  const saved = await db.transaction().execute(async (trx) => {
    const before = await findFlag(trx, key, { lock: true });
    if (!before) throw notFound(`feature flag ${key}`);
    const after = {
      key,
      kind: before.kind,
      description: change.description ?? before.description,
      enabled: change.enabled ?? before.enabled,
      variants: change.variants ?? before.variants,
      defaultVariant: change.defaultVariant ?? before.defaultVariant,
      rules: change.rules ?? before.rules,
    };
    const problem = flagProblem(after);
    if (problem) throw new DomainError('validation_failed', problem.message, problem.field);
    const flag = await saveFlag(trx, after, updaterOf(actor), now);
    const platform = await findPlatformCompany(trx);
    if (!platform) throw new Error('the platform company is missing; start the server once to make it');
    await recordAudit(trx, {
      companyId: platform.id,
      actorType: actor.actorType,
      actorId: actor.actorId,
      action: 'feature_flag.updated',
      subjectType: 'feature_flag',
      subjectId: key,
      details: { before: auditedOf(before), after: auditedOf(flag), ...(actor.via ? { via: actor.via } : {}) },
    });
    return flag;
  });
  await refreshFlagsOf(db);
  return saved;
}
