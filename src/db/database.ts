// Opens the one SQL code path Outlay has: Kysely over a node-postgres pool, connected either
// to a PostgreSQL server or to embedded PGlite through its node-postgres adapter.
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config.js';
import { traceQuery } from '../observability/sql-tracing.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { postgresClientOf } from './postgres-hosts.js';
import type { Tables } from './schema.js';

export type Db = Kysely<Tables>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The connection pool's connections now: for the metrics. */
  poolUse(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
  /** PGlite only: the whole database as one file, which `startFrom` opens again. */
  copy?: () => Promise<Blob>;
}

const oidInt8 = 20;
const oidDate = 1082;

// int8 columns hold money in minor units: they must arrive as bigint, never as a float.
// Dates stay 'YYYY-MM-DD' strings so no time zone can shift them.
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === oidInt8) return (value: string) => BigInt(value);
    if (oid === oidDate) return (value: string) => value;
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

/** A pool waiting this long for a connection is stuck: with PGlite's single connection,
 * that is a nested query inside a transaction, which must surface as an error, not a hang. */
const connectionWaitMs = 15_000;

/** Bounds each PostgreSQL session starts with (see LimitsConfig). */
export interface SessionLimits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/** The startup options that set the limits on every connection of the pool, with no extra
 * round trip. PGlite has no timer to cancel a statement with, so there they are not set. */
function sessionOptionsOf(limits: SessionLimits): string {
  return [
    `-c statement_timeout=${limits.statementTimeoutMs}`,
    `-c lock_timeout=${limits.lockTimeoutMs}`,
    `-c idle_in_transaction_session_timeout=${limits.idleInTransactionTimeoutMs}`,
  ].join(' ');
}

const poolUseOf = (pool: pg.Pool) => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });

export async function openDatabase(config: DatabaseConfig, limits?: SessionLimits): Promise<Database> {
  if (config.kind === 'postgres') {
    // DATABASE_URL may name a primary and its standbys: the client class finds the one that takes writes.
    const { Client, config: clientConfig } = postgresClientOf(config.url);
    const pool = new pg.Pool({
      ...clientConfig,
      Client: Client as unknown as new () => pg.ClientBase,
      ...(limits ? { options: sessionOptionsOf(limits) } : {}),
      max: config.poolSize,
      types: typeParsers,
      connectionTimeoutMillis: connectionWaitMs,
      application_name: 'outlay',
    });
    // An idle connection the server drops (restart, failover, admin kill) must not take the
    // process down: the pool replaces it on the next checkout.
    pool.on('error', (error) => process.stderr.write(`outlay: idle database connection lost: ${error.message}\n`));
    // A connection the server drops while a request holds it fails that request's query; the
    // client's 'error' event, which node-postgres raises as well, must not end the process.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }), log: traceQuery });
    return { db, kind: 'postgres', poolUse: () => poolUseOf(pool), close: () => db.destroy() };
  }

  let lock: DataDirLock | null = null;
  if (config.dataDir) lock = acquireDataDirLock(config.dataDir);
  const lite = new PGlite(config.dataDir ?? 'memory://', config.startFrom ? { loadDataDir: config.startFrom } : {});
  try {
    await lite.waitReady;
  } catch (error) {
    lock?.release();
    throw error;
  }
  const pool = new pg.Pool({
    ...createPgConfig(lite),
    max: 1,
    types: typeParsers,
    connectionTimeoutMillis: connectionWaitMs,
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }), log: traceQuery });
  return {
    db,
    kind: 'pglite',
    poolUse: () => poolUseOf(pool),
    copy: async () => lite.dumpDataDir('none'),
    async close() {
      await db.destroy();
      await lite.close();
      lock?.release();
    },
  };
}

export async function isDatabaseReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
