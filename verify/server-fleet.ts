// What the parts that run Outlay as several real processes share (crash, race, soak): a fresh
// PostgreSQL database on DATABASE_URL's server with the schema (dropped again on close) or on
// a cluster of the part's own (postgres-pair.ts), the
// keys and processor secret the processes start with, the processes themselves, a card
// network client for each, and `outlay ledger verify` run through the CLI.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { projectRoot } from '../src/shared/project-root.js';
import { NetworkClient } from '../src/simulator/network-client.js';
import { startServerProcess, type ServerProcess } from '../src/test-support/server-process.js';
import { adminQuery } from '../src/test-support/database.js';
import { openBenchDatabase } from '../bench/bench-harness.js';
import type { PostgresSingle } from './postgres-pair.js';

const defaultServerUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface FleetDatabase {
  database: Database;
  url: string;
  encryptionKey: Buffer;
  processorSecret: Buffer;
  /** What every server process of the part starts with. */
  env: Record<string, string>;
}

/** A fresh database named after the part, migrated, with fresh keys for its processes. */
export async function openFleetDatabase(part: string): Promise<FleetDatabase> {
  const serverUrl = process.env.DATABASE_URL ?? defaultServerUrl;
  const { database, url } = await openBenchDatabase(serverUrl, { poolSize: 4, prefix: `outlay_verify_${part}` });
  return fleetOn(database, url!);
}

/** A fresh database `outlay` on a cluster of the part's own, migrated, with fresh keys. */
export async function openFleetOn(own: PostgresSingle): Promise<FleetDatabase> {
  await adminQuery(own.url('postgres'), 'create database outlay');
  const url = own.url('outlay');
  return fleetOn(await openDatabase({ kind: 'postgres', url, poolSize: 4 }), url);
}

/** The fleet of an open database at `url` (which the processes get as DATABASE_URL): migrated, with fresh keys. */
export async function fleetOn(database: Database, url: string): Promise<FleetDatabase> {
  await migrate(database.db);
  const encryptionKey = randomBytes(32);
  const processorSecret = randomBytes(32);
  const env = {
    DATABASE_URL: url,
    OUTLAY_SESSION_KEY: randomBytes(32).toString('base64'),
    OUTLAY_ENCRYPTION_KEY: encryptionKey.toString('base64'),
    OUTLAY_PROCESSOR_SECRET: processorSecret.toString('base64'),
    // No receipt reading: OCR work would outlive the part.
    OUTLAY_RECEIPT_READERS: '0',
  };
  return { database, url, encryptionKey, processorSecret, env };
}

/** `count` server processes on the fleet's database, started side by side. When one fails to
 * start, the others are stopped before the error goes on: the caller never got them, so
 * nothing else would stop them (a soak once left one serving after the part had ended). */
export async function startServers(fleet: FleetDatabase, count: number): Promise<ServerProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startServerProcess(fleet.env)));
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (!failed) return started.map((outcome) => (outcome as PromiseFulfilledResult<ServerProcess>).value);
  await Promise.all(started.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.stop('SIGKILL') : undefined)));
  throw failed.reason;
}

/** The card network as it talks to one process, signing with the fleet's processor secret. */
export function networkOf(fleet: FleetDatabase, server: ServerProcess): NetworkClient {
  return new NetworkClient({ baseUrl: server.url, secret: fleet.processorSecret });
}

/** `outlay ledger verify` through the CLI, as an operator runs it, on the fleet's database. */
export function ledgerVerify(fleet: FleetDatabase): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'cli', 'main-entry.ts'), 'ledger', 'verify'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: fleet.url, OUTLAY_ENCRYPTION_KEY: fleet.env.OUTLAY_ENCRYPTION_KEY!, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output: output.trim() }));
  });
}

/** Stops the processes (SIGKILL: nothing of theirs is waited for) and drops the database. */
export async function closeFleet(fleet: FleetDatabase, servers: readonly ServerProcess[]): Promise<void> {
  await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  await fleet.database.close();
}
