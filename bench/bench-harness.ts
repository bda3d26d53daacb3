// The parent side of the card benchmarks (bench/auth.ts, bench/iso8583.ts): a throw-away
// database, the client child process and what the server and PostgreSQL do while it runs a
// phase, and the CPU of a phase beside what other processes on the machine used.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Config, DatabaseConfig } from '../src/config/config.js';
import { migrate } from '../src/db/migrate.js';
import { declareFlags, findFlag, saveFlag } from '../src/flags/flag-store.js';
import { testConfig } from '../src/test-support/server.js';
import { buildFleet, type Fleet, type FleetShape } from './auth-fleet.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { adminQuery } from '../src/test-support/database.js';
import { BackendSampler, cpuSince, longestHoldsSince, queriesSince, snapshotCpu, snapshotQueries, type CpuSnapshot, type QueryCounters } from './auth-profile.js';
import type { ChildMessage, ParentMessage } from './client-harness.js';

/** How often PostgreSQL's backends are sampled during a phase. */
const backendSampleIntervalMs = 50;

export const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

/** A command-line option that must be a whole number in a range. */
export function wholeOption(values: Record<string, unknown>, name: string, min: number, max: number): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/** The options the card benchmarks share, read and checked. */
export function commonOptions(values: Record<string, unknown>) {
  return {
    durationSeconds: wholeOption(values, 'duration-seconds', 1, 600),
    warmupSeconds: wholeOption(values, 'warmup-seconds', 0, 600),
    concurrency: wholeOption(values, 'concurrency', 1, 1024),
    poolSize: wholeOption(values, 'pool-size', 1, 90),
    seed: wholeOption(values, 'seed', 0, 2 ** 31),
  };
}

/** In-memory PGlite (no server URL), or a fresh database on the server that close() drops again. */
export async function openBenchDatabase(serverUrl: string | null, options: { poolSize: number; prefix: string }): Promise<{ database: Database; config: DatabaseConfig; url: string | null }> {
  if (!serverUrl) {
    const config: DatabaseConfig = { kind: 'pglite', dataDir: null };
    return { database: await openDatabase(config), config, url: null };
  }
  const name = `${options.prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { kind: 'postgres', url: url.toString(), poolSize: options.poolSize };
  const database = await openDatabase(config);
  const drop = () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  return {
    database: {
      ...database,
      async close() {
        await database.close();
        // A connection still closing can make the first attempt fail; one more after a pause.
        await drop().catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 500));
          await drop();
        });
      },
    },
    config,
    url: url.toString(),
  };
}

/**
 * A throw-away database with its schema, the fleet of this shape built in it and every company
 * on `engine`, and the server's configuration (fresh keys and processor secret; `overrides`
 * adds to it). The database is closed again if the fleet cannot be built.
 */
export async function prepareFleet(serverUrl: string | null, options: { poolSize: number; prefix: string; shape: FleetShape; engine: string; overrides?: Partial<Config> }) {
  const { database, config: databaseConfig, url } = await openBenchDatabase(serverUrl, options);
  const config = testConfig({ database: databaseConfig, encryptionKey: randomBytes(32), processorSecret: randomBytes(32), logLevel: 'silent', ...options.overrides });
  try {
    await migrate(database.db);
    const fleet: Fleet = await buildFleet(database.db, config.encryptionKey, options.shape, databaseConfig.kind === 'postgres' ? options.poolSize : 1);
    await declareFlags(database.db);
    const engineFlag = (await findFlag(database.db, 'authorization-engine'))!;
    await saveFlag(database.db, { ...engineFlag, defaultVariant: options.engine }, 'bench', new Date());
    return { database, config, url, fleet };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export interface Observed {
  phases: Record<string, { cpu: ReturnType<typeof cpuSince>; queries: QueryCounters; backends?: Record<string, number> }>;
  /** Per message kind: the server's queries, summed over its probes. */
  probes: Record<string, QueryCounters & { messages: number }>;
}

/** What the server and PostgreSQL do while the client runs a phase or sends a probe. */
class Observer {
  readonly observed: Observed = { phases: {}, probes: {} };
  private phaseStart: { cpu: CpuSnapshot; queries: QueryCounters } | null = null;
  private probeStart: QueryCounters | null = null;

  constructor(
    private readonly sampler: BackendSampler | null,
    private readonly progress: (text: string) => void,
  ) {}

  probe(kind: string, state: 'start' | 'end'): void {
    if (state === 'start') {
      this.probeStart = snapshotQueries();
      return;
    }
    const delta = queriesSince(this.probeStart!);
    const sum = (this.observed.probes[kind] ??= { queries: 0, queryMs: 0, checkouts: 0, checkoutWaitMs: 0, messages: 0 });
    sum.queries += delta.queries;
    sum.queryMs += delta.queryMs;
    sum.checkouts += delta.checkouts;
    sum.checkoutWaitMs += delta.checkoutWaitMs;
    sum.messages++;
  }

  phase(name: string, state: 'start' | 'end'): void {
    if (state === 'start') {
      this.phaseStart = { cpu: snapshotCpu(), queries: snapshotQueries() };
      this.sampler?.start(backendSampleIntervalMs);
    } else {
      const backends = this.sampler?.stop();
      this.observed.phases[name] = { cpu: cpuSince(this.phaseStart!.cpu), queries: queriesSince(this.phaseStart!.queries), ...(backends ? { backends } : {}) };
    }
    this.progress(`  ${name} ${state === 'start' ? 'started' : 'done'}`);
  }
}

/** Forks the client script, sends it the plan and observes each phase it announces until its result comes. */
export function runClient<Plan, Result>(script: URL, plan: Plan, sampler: BackendSampler | null, progress: (text: string) => void): Promise<{ result: Result; observed: Observed }> {
  const observer = new Observer(sampler, progress);
  const child = fork(fileURLToPath(script), [], { serialization: 'advanced' });
  return new Promise((resolve, reject) => {
    let result: Result | null = null;
    child.on('message', (message: ChildMessage<Result>) => {
      if (message.type === 'result') {
        result = message.result;
        return;
      }
      if (message.type === 'probe') observer.probe(message.kind, message.state);
      else observer.phase(message.phase, message.state);
      child.send({ type: 'ack' } satisfies ParentMessage<Plan>);
    });
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve({ result, observed: observer.observed }) : reject(new Error(`the client process exited with ${code}`))));
    child.send({ type: 'run', plan } satisfies ParentMessage<Plan>);
  });
}

/** Runs the client with PostgreSQL's backends sampled (on a server database) and the run's longest connection holds noted. */
export async function runObservedClient<Plan, Result>(script: URL, plan: Plan, databaseUrl: string | null, progress: (text: string) => void) {
  const sampler = databaseUrl ? new BackendSampler(databaseUrl) : null;
  try {
    await sampler?.open();
    const started = performance.now();
    const run = await runClient<Plan, Result>(script, plan, sampler, progress);
    return { ...run, holds: longestHoldsSince(started, 8) };
  } finally {
    await sampler?.close();
  }
}

/** CPU of a phase, with what other processes on the machine used (noise, when large). */
export function cpuOf(phase: Observed['phases'][string], clientPercent: number, onPostgres: boolean) {
  const { server_process_percent: server, postgres_percent: postgres, machine_busy_percent: machine } = phase.cpu;
  const ours = server + clientPercent + (onPostgres ? postgres : 0);
  return {
    server_process_percent: server,
    client_process_percent: clientPercent,
    ...(onPostgres ? { postgres_percent: postgres } : {}),
    machine_busy_percent: machine,
    other_processes_percent: round(Math.max(0, machine * availableParallelism() - ours)),
  };
}
