// A second Outlay server in this process on the database a test server already uses, to see
// what crosses from one server to another (feature flags): on PostgreSQL with a pool of its
// own, on PGlite (which serves one process) on a handle of its own over the same embedded
// database. server-process.ts starts a real child process instead, on PostgreSQL.
import type { Config } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { startServer, type RunningServer } from '../server/server.js';
import type { TestDatabase } from './database.js';
import { testConfig } from './server.js';

/** A second server in this process over the first one's database, with its own handle on it
 * (and so its own feature flags, job workers and sweeps). */
export async function startServerBeside(first: RunningServer, config: Partial<Config> = {}): Promise<RunningServer> {
  const url = (first.database as Partial<TestDatabase>).url ?? null;
  const shared: Database = url
    ? await openDatabase({ kind: 'postgres', url, poolSize: 5 })
    : // A new Kysely over the same PGlite connection; the first server closes the database.
      { ...first.database, db: first.database.db.withoutPlugins(), close: async () => {} };
  return startServer(testConfig({ ...config, ...(url ? { database: { kind: 'postgres', url, poolSize: 5 } } : {}) }), { database: shared });
}
