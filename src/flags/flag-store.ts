// The flags as stored, for the provider that serves them and the operators who change them.
// The rules column is JSON: a rule this version cannot read is left out of the evaluation
// rather than failing it.
import type { Db } from '../db/database.js';
import { declaredFlags } from './flag-catalog.js';
import type { FlagDefinition, TargetingRule } from './flag-targeting.js';
import * as repo from './flags.repository.js';

export interface StoredFlag extends FlagDefinition {
  description: string;
  revision: bigint;
  updatedAt: Date;
  updatedBy: string | null;
}

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

function ruleOf(value: unknown): TargetingRule | null {
  if (typeof value !== 'object' || value === null) return null;
  const rule = value as Record<string, unknown>;
  if (typeof rule.variant !== 'string') return null;
  const variant = rule.variant;
  if ((rule.match === 'companies' || rule.match === 'people') && isStrings(rule.ids)) return { match: rule.match, ids: rule.ids, variant };
  if (rule.match === 'roles' && isStrings(rule.roles)) return { match: 'roles', roles: rule.roles, variant };
  if (rule.match === 'percentage' && (rule.by === 'company' || rule.by === 'person') && typeof rule.percentage === 'number') {
    return { match: 'percentage', by: rule.by, percentage: rule.percentage, variant };
  }
  return null;
}

function flagOf(row: repo.FlagRow): StoredFlag {
  return {
    key: row.key,
    kind: row.kind,
    description: row.description,
    variants: row.variants,
    defaultVariant: row.default_variant,
    enabled: row.enabled,
    rules: row.rules.flatMap((rule) => ruleOf(rule) ?? []),
    revision: row.revision,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export async function listFlags(db: Db): Promise<StoredFlag[]> {
  return (await repo.listFlagRows(db)).map(flagOf);
}

/** The flag, locked until the transaction ends when `lock` is set (a change reads it first). */
export async function findFlag(db: Db, key: string, options: { lock: boolean } = { lock: false }): Promise<StoredFlag | null> {
  const row = await repo.findFlagRow(db, key, options);
  return row ? flagOf(row) : null;
}

/** Changes what operators may change of a flag; its key and kind stay. */
export async function saveFlag(db: Db, flag: Omit<StoredFlag, 'kind' | 'revision' | 'updatedAt' | 'updatedBy'>, updatedBy: string, now: Date): Promise<StoredFlag> {
  const row = await repo.updateFlagRow(db, flag.key, {
    description: flag.description,
    variants: flag.variants,
    default_variant: flag.defaultVariant,
    enabled: flag.enabled,
    rules: flag.rules,
  }, updatedBy, now);
  return flagOf(row);
}

/** Changes whenever any flag changes; cheap enough to ask every few seconds. */
export const flagsFingerprint = (db: Db): Promise<string> => repo.readFingerprint(db);

/** Gives each flag the code asks a row, as the code declares it, where it has none yet, and a
 * variant flag's row the variants the code has learned since the row was made. */
export async function declareFlags(db: Db): Promise<void> {
  await repo.insertMissingFlags(db, Object.entries(declaredFlags).map(([key, flag]) => ({
    key,
    kind: flag.kind,
    description: flag.description,
    variants: [...flag.variants],
    default_variant: flag.codeDefault,
  })));
  for (const [key, flag] of Object.entries(declaredFlags)) {
    if (flag.kind === 'variant') await repo.addKnownVariants(db, key, flag.variants);
  }
}
