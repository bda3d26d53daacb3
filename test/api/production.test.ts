// Production mode at start-up and during a rolling deploy: no demo data ever, one seeding when
// processes start together, readiness on a schema ahead of the process, and the refusal to
// start on one it cannot run on.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { countCompanies } from '../../src/companies/companies.service.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate, readMigrations, SchemaTooNewError, type Migration } from '../../src/db/migrate.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { openTestDatabase, type TestDatabase } from '../../src/test-support/database.js';
import { testConfig } from '../../src/test-support/server.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});

async function testDatabase(): Promise<TestDatabase> {
  const database = await openTestDatabase();
  opened.push(database);
  return database;
}

async function serve(database: Database, overrides: Parameters<typeof testConfig>[0] = {}): Promise<RunningServer> {
  const server = await startServer(testConfig(overrides), { database: { ...database, close: async () => {} } });
  opened.push(server);
  return server;
}

const people = async (db: Database['db']) => (await sql<{ n: number }>`select count(*)::int as n from users`.execute(db)).rows[0]!.n;

function nextMigration(offset: number, text: string): Migration {
  const version = readMigrations().length + offset;
  return { version, name: `rollout_${offset}`, sql: text, checksum: createHash('sha256').update(text).digest('hex'), expand: text.includes('-- outlay: expand') };
}

describe('production mode at start-up', () => {
  it('never creates demo data in production, even when asked to', async () => {
    const database = await testDatabase();
    await serve(database, { production: true, demo: true });
    expect(await countCompanies(database.db)).toBe(0);
    // Only the platform company exists, with nobody in it: no operator with a published password.
    expect(await people(database.db)).toBe(0);
  });

  it.skipIf(!process.env.DATABASE_URL)('seeds an empty database once when two processes start on it together', async () => {
    const database = await testDatabase();
    const second: Database = await openDatabase({ kind: 'postgres', url: database.url!, poolSize: 10 });
    opened.push(second);
    await Promise.all([serve(database, { demo: true }), serve(second, { demo: true })]);
    expect(await countCompanies(database.db)).toBe(1);
  });
});

describe('readiness during a rolling deploy', () => {
  it('stays ready on a schema ahead by expand steps, and turns unready once a contract step passes it', async () => {
    const database = await testDatabase();
    const server = await serve(database);
    const ready = async () => {
      const response = await fetch(`${server.url}/ready`);
      return { status: response.status, body: (await response.json()) as { checks: { schemaState: string } } };
    };
    expect(await ready()).toMatchObject({ status: 200, body: { checks: { schemaState: 'current' } } });

    // The next version's expand step lands while this process runs.
    const expand = nextMigration(1, '-- outlay: expand\nalter table companies add column rollout_note text;\n');
    await migrate(database.db, [...readMigrations(), expand]);
    expect(await ready()).toMatchObject({ status: 200, body: { checks: { schemaState: 'ahead' } } });
    // A process of this version starting now runs too.
    await serve(database);

    // Its contract step makes this version unready, and a process of it refuses to start.
    const contract = nextMigration(2, 'alter table companies drop column rollout_note;\n');
    await migrate(database.db, [...readMigrations(), expand, contract]);
    expect(await ready()).toMatchObject({ status: 503, body: { checks: { schemaState: 'incompatible' } } });
    await expect(startServer(testConfig(), { database: { ...database, close: async () => {} } })).rejects.toBeInstanceOf(SchemaTooNewError);
  });
});
