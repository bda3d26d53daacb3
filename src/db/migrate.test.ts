import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { migrate, readMigrations, schemaState, SchemaTooNewError, type Migration } from './migrate.js';

/** A migration after the real ones, as the next version of Outlay would ship it. */
function nextMigration(offset: number, text: string, name = `next_${offset}`): Migration {
  const version = readMigrations().length + offset;
  return { version, name, sql: text, checksum: createHash('sha256').update(text).digest('hex'), expand: /^--\s*outlay:\s*expand\s*$/m.test(text) };
}

const expandStep = '-- A column older versions never read.\n-- outlay: expand\nalter table companies add column rollout_note text;\n';
const contractStep = '-- Drops a column older versions still write.\nalter table companies drop column rollout_note;\n';

describe('migrations across a rolling deploy', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  it('reads the expand marker only from the comments that head a file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outlay-migrations-'));
    writeFileSync(path.join(dir, '0001_first.sql'), '-- Adds a table.\n--   outlay: expand\ncreate table a (id int);\n');
    writeFileSync(path.join(dir, '0002_second.sql'), 'create table b (id int);\n-- outlay: expand\n');
    writeFileSync(path.join(dir, '0003_third.sql'), '-- outlay: expanded\ncreate table c (id int);\n');
    expect(readMigrations(dir).map((m) => [m.version, m.expand])).toEqual([[1, true], [2, false], [3, false]]);
  });

  it('is current after migrating, and behind when a migration is pending', async () => {
    expect(await schemaState(database.db)).toEqual({ state: 'current' });
    expect(await schemaState(database.db, [...readMigrations(), nextMigration(1, expandStep)])).toEqual({ state: 'behind', pending: 1 });
  });

  it('keeps an older process running, and ready, on a schema ahead of it by expand steps', async () => {
    const newer = [...readMigrations(), nextMigration(1, expandStep)];
    expect((await migrate(database.db, newer)).applied).toEqual([newer.length]);

    const older = readMigrations();
    const result = await migrate(database.db, older);
    expect(result).toEqual({ applied: [], current: older.length, ahead: [newer.length] });
    expect(await schemaState(database.db, older)).toEqual({ state: 'ahead', versions: [newer.length] });
  });

  it('refuses to start an older process on a schema a contract step has passed, saying which step', async () => {
    const newer = [...readMigrations(), nextMigration(1, expandStep), nextMigration(2, contractStep, 'drop_rollout_note')];
    await migrate(database.db, newer);

    const older = readMigrations();
    const refusal = await migrate(database.db, older).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SchemaTooNewError);
    expect((refusal as Error).message).toContain(`migration ${newer.length} (drop_rollout_note) is not an expand step`);
    expect(await schemaState(database.db, older)).toMatchObject({ state: 'incompatible' });
    // The version that knows the contract step runs on it.
    expect(await schemaState(database.db, newer)).toEqual({ state: 'current' });
    const columns = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_name = 'companies' and column_name = 'rollout_note'`.execute(database.db);
    expect(columns.rows[0]!.n).toBe(0);
  });

  it('refuses a migration changed after it was applied', async () => {
    const changed = readMigrations().map((m, index) => (index === 0 ? { ...m, checksum: 'x'.repeat(64) } : m));
    await expect(migrate(database.db, changed)).rejects.toThrow('was changed after it was applied');
  });
});
