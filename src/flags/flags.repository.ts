// All SQL of the feature_flags table.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { FeatureFlagsTable } from '../db/schema.js';

export type FlagRow = Selectable<FeatureFlagsTable>;

export async function listFlagRows(db: Db): Promise<FlagRow[]> {
  return db.selectFrom('feature_flags').selectAll().orderBy('key').execute();
}

export async function findFlagRow(db: Db, key: string, options: { lock: boolean }): Promise<FlagRow | undefined> {
  const query = db.selectFrom('feature_flags').selectAll().where('key', '=', key);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

/** One number that grows with every committed change, and the count of flags. */
export async function readFingerprint(db: Db): Promise<string> {
  const row = await db
    .selectFrom('feature_flags')
    .select([sql<string>`coalesce(sum(revision), 0)::text`.as('revisions'), sql<string>`count(*)::text`.as('flags')])
    .executeTakeFirstOrThrow();
  return `${row.revisions}/${row.flags}`;
}

export async function insertMissingFlags(db: Db, rows: { key: string; kind: FlagRow['kind']; description: string; variants: string[]; default_variant: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('feature_flags').values(rows.map((row) => ({ ...row, updated_by: 'system' }))).onConflict((conflict) => conflict.column('key').doNothing()).execute();
}

/**
 * Appends to a variant flag's row the variants the code knows that it lacks (a database from
 * before the code learned them), leaving the operator's order, default and rules; returns
 * whether the row changed. A variant an operator removed comes back: the list is what the
 * code can do, and the rules choose among it.
 */
export async function addKnownVariants(db: Db, key: string, variants: readonly string[]): Promise<boolean> {
  const known = [...variants];
  const missing = sql<string[]>`array(select v from unnest(${known}::text[]) with ordinality as known(v, n) where not (v = any(variants)) order by n)`;
  const result = await db
    .updateTable('feature_flags')
    .set({ variants: sql<string[]>`variants || ${missing}`, revision: sql<bigint>`revision + 1`, updated_at: sql<Date>`now()`, updated_by: 'system' })
    .where('key', '=', key)
    .where('kind', '=', 'variant')
    .where(sql<boolean>`not (variants @> ${known}::text[])`)
    // A flag holds at most 20 variants (migrations/0012): a row an operator filled up keeps its own.
    .where(sql<boolean>`cardinality(variants || ${missing}) <= 20`)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface FlagChange {
  description: string;
  variants: string[];
  default_variant: string;
  enabled: boolean;
  rules: unknown[];
}

export async function updateFlagRow(db: Db, key: string, change: FlagChange, updatedBy: string, now: Date): Promise<FlagRow> {
  return db
    .updateTable('feature_flags')
    .set({ ...change, rules: JSON.stringify(change.rules), revision: sql<bigint>`revision + 1`, updated_at: now, updated_by: updatedBy })
    .where('key', '=', key)
    .returningAll()
    .executeTakeFirstOrThrow();
}
