// Another Outlay server on the database a test server already uses, to see what crosses
// from one process to another (feature flags, locks). On PostgreSQL that is a real child
// process (src/main.ts under tsx) or a second server in this process with a pool of its own;
// PGlite serves one process, so there the second server runs in this process on a handle of
// its own over the same embedded database.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { startServer, type RunningServer } from '../server/server.js';
import { projectRoot } from '../shared/project-root.js';
import type { TestDatabase } from './database.js';
import { testConfig } from './server.js';

/** A child server that is not ready by then failed to start. */
const childReadyMs = 60_000;

/** A second server in this process over the first one's database, with its own handle on it
 * (and so its own feature flags, job workers and sweeps). */
export async function startServerBeside(first: RunningServer, config: Partial<Config> = {}): Promise<RunningServer> {
  const url = (first.database as Partial<TestDatabase>).url ?? null;
  const shared: Database = url
    ? await openDatabase({ kind: 'postgres', url, poolSize: 5 })
    : // A new Kysely over the same PGlite connection; the first server closes the database.
      { db: first.database.db.withoutPlugins(), kind: 'pglite', close: async () => {} };
  return startServer(testConfig({ ...config, ...(url ? { database: { kind: 'postgres', url, poolSize: 5 } } : {}) }), { database: shared });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export interface ServerProcess {
  url: string;
  close(): Promise<void>;
}

/** `outlay serve` as a child process on the PostgreSQL database at `databaseUrl`, with the
 * first server's keys (API keys and sessions are checked with them). */
export async function spawnServerProcess(databaseUrl: string, keys: Pick<Config, 'sessionKey' | 'encryptionKey' | 'processorSecret'>): Promise<ServerProcess> {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    OUTLAY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'outlay-child-')),
    OUTLAY_DEMO: '0',
    OUTLAY_SMTP: '0',
    OUTLAY_RECEIPT_READERS: '0',
    LOG_LEVEL: 'warn',
    OUTLAY_SESSION_KEY: keys.sessionKey.toString('base64'),
    OUTLAY_ENCRYPTION_KEY: keys.encryptionKey.toString('base64'),
    OUTLAY_PROCESSOR_SECRET: keys.processorSecret.toString('base64'),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'main.ts')], { env, cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + childReadyMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the child server exited with ${child.exitCode}: ${errors}`);
    const ready = await fetch(`${url}/ready`).then((response) => response.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the child server was not ready within ${childReadyMs} ms: ${errors}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
