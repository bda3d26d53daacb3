// A fresh, migrated database for one test file: in-memory PGlite by default, or a new
// database on the PostgreSQL server named by DATABASE_URL, dropped again afterwards, so
// runs never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';

export interface TestDatabase extends Database {
  /** The URL of the throw-away server database, or null on PGlite. */
  url: string | null;
}

/** Runs one statement on the server itself (create or drop a database), on a connection of its own. */
export async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrate(database.db);
    return { ...database, url: null };
  }
  const name = `outlay_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 10 });
  await migrate(database.db);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`).catch(async () => {
        // A connection still closing can make the first attempt fail; one more after a pause.
        await new Promise((resolve) => setTimeout(resolve, 500));
        await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
      });
    },
  };
}
