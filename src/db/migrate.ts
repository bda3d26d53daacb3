// Applies the numbered SQL files in migrations/ in order, once each. Safe to run from
// several processes at once: an advisory lock lets one of them do the work.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { projectRoot } from '../shared/project-root.js';
import type { Db } from './database.js';

export const migrationsDir = path.join(projectRoot, 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;
// Any number unlikely to collide with a lock another application takes on the same server.
const migrationLockId = 7_112_024_001;

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
}

export async function migrate(db: Db, migrations: Migration[] = readMigrations()): Promise<MigrationResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${migrationLockId})`.execute(trx);
    await sql`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`.execute(trx);
    const done = await trx.selectFrom('schema_migrations').selectAll().orderBy('version').execute();
    for (const row of done) {
      const known = migrations.find((m) => m.version === row.version);
      if (!known) throw new Error(`the database has migration ${row.version} (${row.name}), which this version of Outlay does not know`);
      if (known.checksum !== row.checksum) {
        throw new Error(`migration ${row.version} (${row.name}) was changed after it was applied; add a new migration instead`);
      }
    }
    const applied: number[] = [];
    for (const migration of migrations.slice(done.length)) {
      await sql.raw(migration.sql).execute(trx);
      await trx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, checksum: migration.checksum })
        .execute();
      applied.push(migration.version);
    }
    return { applied, current: migrations.length };
  });
}

/** Whether every known migration has been applied (the /ready check). */
export async function isSchemaCurrent(db: Db, expected: number = readMigrations().length): Promise<boolean> {
  const row = await sql<{ version: number | null }>`select max(version) as version from schema_migrations`
    .execute(db)
    .catch(() => null);
  return row?.rows[0]?.version === expected;
}
