// Applies the numbered SQL files in migrations/ in order, once each. Safe to run from
// several processes at once: an advisory lock lets one of them do the work.
//
// Migrations follow expand and contract, so a rolling deploy never stops the old processes
// before the new ones are up. A migration whose header says `-- outlay: expand` only adds
// (tables, nullable or defaulted columns, indexes, wider constraints): the previous version
// of Outlay runs on it unchanged. Any other migration is a contract step (it drops, renames or
// narrows) and is shipped only once no process older than it runs. A process finding the
// database ahead of itself stays ready when every migration it does not know is an expand
// step, and refuses to start, saying why, when one is not.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { projectRoot } from '../shared/project-root.js';
import { advisoryLocks } from './advisory-lock.js';
import type { Db } from './database.js';

export const migrationsDir = path.join(projectRoot, 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
  /** An expand step: the previous version of Outlay runs on the schema it leaves. */
  expand: boolean;
}

/** `-- outlay: expand` on a line of the comments heading the file. */
function isExpandStep(text: string): boolean {
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('--')) return false;
    if (/^--\s*outlay:\s*expand\s*$/.test(trimmed)) return true;
  }
  return false;
}

const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function readMigrations(dir: string = migrationsDir): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = fileNamePattern.exec(file);
      if (!match) throw new Error(`migration file ${file} must be named NNNN_name.sql`);
      const text = readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(match[1]),
        name: match[2]!,
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
        expand: isExpandStep(text),
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migrations must be numbered 1, 2, 3, ... without gaps; found ${migration.version} at place ${index + 1}`);
    }
  });
  return migrations;
}

export interface MigrationResult {
  applied: number[];
  current: number;
  /** Migrations the database has that this version does not know (expand steps only). */
  ahead: number[];
}

/** The database's schema is past this version of Outlay in a way it cannot run on. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly known: number,
    readonly incompatible: { version: number; name: string },
  ) {
    super(
      `the database's schema is ahead of this version of Outlay (which knows migrations up to ${known}): ` +
        `migration ${incompatible.version} (${incompatible.name}) is not an expand step, so this version cannot run on it; ` +
        'start the newer version of Outlay instead',
    );
    this.name = 'SchemaTooNewError';
  }
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
  expand: boolean;
}

/** Checks the applied migrations against the known ones; returns the versions past them. */
function checkApplied(done: readonly AppliedRow[], migrations: readonly Migration[]): number[] {
  const ahead: number[] = [];
  for (const row of done) {
    const known = migrations.find((m) => m.version === row.version);
    if (!known) {
      if (!row.expand) throw new SchemaTooNewError(migrations.length, row);
      ahead.push(row.version);
      continue;
    }
    if (known.checksum !== row.checksum) {
      throw new Error(`migration ${row.version} (${row.name}) was changed after it was applied; add a new migration instead`);
    }
  }
  return ahead;
}

/** The table of applied migrations, made or widened only when it lacks something: an ALTER
 * on every start would lock it against the readiness checks of running processes for as long
 * as the migrations take. */
async function ensureMigrationsTable(trx: Db): Promise<void> {
  const found = await sql<{ name: string }>`
    select column_name as name from information_schema.columns
    where table_schema = current_schema() and table_name = 'schema_migrations'`.execute(trx);
  const columns = new Set(found.rows.map((row) => row.name));
  if (columns.size === 0) {
    await sql`
      create table schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now(),
        expand boolean not null default false
      )`.execute(trx);
  } else if (!columns.has('expand')) {
    // Added with expand and contract; rows applied before it count as contract steps.
    await sql`alter table schema_migrations add column expand boolean not null default false`.execute(trx);
  }
}

export async function migrate(db: Db, migrations: Migration[] = readMigrations()): Promise<MigrationResult> {
  return db.transaction().execute(async (trx) => {
    // Waiting for another process's migrations, and running a migration that rewrites a large
    // table, are not what the sessions' lock and statement timeouts are for.
    await sql`set local lock_timeout = 0`.execute(trx);
    await sql`set local statement_timeout = 0`.execute(trx);
    await sql`select pg_advisory_xact_lock(${advisoryLocks.migrations})`.execute(trx);
    await ensureMigrationsTable(trx);
    const done = await trx.selectFrom('schema_migrations').select(['version', 'name', 'checksum', 'expand']).orderBy('version').execute();
    const ahead = checkApplied(done, migrations);
    const applied: number[] = [];
    if (ahead.length === 0) {
      for (const migration of migrations.slice(done.length)) {
        await sql.raw(migration.sql).execute(trx);
        await trx
          .insertInto('schema_migrations')
          .values({ version: migration.version, name: migration.name, checksum: migration.checksum, expand: migration.expand })
          .execute();
        applied.push(migration.version);
      }
    }
    return { applied, current: migrations.length, ahead };
  });
}

/** SQLSTATE 42P01: the relation does not exist. */
const undefinedTable = '42P01';

export type SchemaState =
  | { state: 'current' }
  | { state: 'behind'; pending: number }
  | { state: 'ahead'; versions: number[] }
  | { state: 'incompatible'; reason: string }
  | { state: 'unknown'; reason: string };

/** Where the database's schema stands against this version (the /ready check): ready when
 * current, or ahead by expand steps only. */
export async function schemaState(db: Db, migrations: Migration[] = readMigrations()): Promise<SchemaState> {
  let rows: AppliedRow[];
  try {
    rows = (await sql<AppliedRow>`select version, name, checksum, expand from schema_migrations order by version`.execute(db)).rows;
  } catch (error) {
    // No table yet is a schema behind; any other failure says nothing about the schema.
    if ((error as { code?: string }).code === undefinedTable) return { state: 'behind', pending: migrations.length };
    return { state: 'unknown', reason: (error as Error).message };
  }
  try {
    const ahead = checkApplied(rows, migrations);
    if (ahead.length > 0) return { state: 'ahead', versions: ahead };
  } catch (error) {
    return { state: 'incompatible', reason: (error as Error).message };
  }
  const pending = migrations.length - rows.length;
  return pending > 0 ? { state: 'behind', pending } : { state: 'current' };
}
