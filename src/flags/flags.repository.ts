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
