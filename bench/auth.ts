// Real-time card authorization throughput and latency, over real HTTP, on the database in
// DATABASE_URL (a throw-away database created on that server and dropped afterwards) or on
// embedded PGlite in memory.
//
// Per scenario: build the fleet (companies, funded wallets, cardholders, cards), start the
// real server in this process (startServer, port 0, a known processor secret), and fork
// bench/auth-client.ts, which plays the card network from its own process (node:http
// keep-alive connections, so the client's CPU is not the server thread's): probes of each
// message kind, GET /health (the reference), a warm-up, a closed loop for the maximum rate
// and an open loop at half of it for latency. Then check the ledger against every answer.
//   hot-wallet:      one company, one wallet, 1,000 cards
//   many-companies:  1,000 companies with 10 cards each
//   three-processes: the hot wallet served by three server processes on one PostgreSQL
//                    (children started from the sources; PostgreSQL only)
// Prints one JSON line; exits 1 if any check failed (the line is printed all the same).
// On a PostgreSQL server each scenario also runs the lean reference authorization
// (../shared/reference/authref, or OUTLAY_AUTHREF) with the same clients and seconds, and
// prints the ratios to it.
// Run: npm run bench:auth -- --json [--engine standard|batched] [--duration-seconds 10] [--concurrency 32] [--scenario hot-wallet] [--tracing]
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Config } from '../src/config/config.js';
import { startServerProcess } from '../src/test-support/server-process.js';
import type { Database } from '../src/db/database.js';
import { authorizationEngines } from '../src/cards/authorization.service.js';
import { startServer } from '../src/server/server.js';
import type { FleetShape } from './auth-fleet.js';
import type { ClientPlan, ClientResult } from './auth-client.js';
import { countQueries, failuresSince, snapshotFailures, type QueryCounters } from './auth-profile.js';
import { commonOptions, cpuOf, prepareFleet, round, runObservedClient, wholeOption, type Observed } from './bench-harness.js';
import { verifyScenario } from './auth-verify.js';

// Wallets are funded far beyond what a run approves (at most 200.00 a purchase), so no
// approval fails for want of funds: 100,000,000.00 for the hot wallet, 1,000,000.00 each.
const scenarios: Record<string, FleetShape> = {
  'hot-wallet': { companies: 1, cardsPerCompany: 1_000, fundingMinor: 10_000_000_000n },
  'many-companies': { companies: 1_000, cardsPerCompany: 10, fundingMinor: 100_000_000n },
  'three-processes': { companies: 1, cardsPerCompany: 1_000, fundingMinor: 10_000_000_000n },
};
/** Scenarios served by several server processes (children started from the sources) on one
 * PostgreSQL database, the client sending to each in turn; the others by one in this process. */
const serverProcesses: Record<string, number> = { 'three-processes': 3 };

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'duration-seconds': { type: 'string', default: '10' },
    'warmup-seconds': { type: 'string', default: '2' },
    'health-seconds': { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
    'pool-size': { type: 'string', default: '10' },
    probes: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    scenario: { type: 'string', multiple: true },
    // Traces on: every span exported over OTLP/HTTP to a sink in this process that reads and
    // drops them, so the figure includes making, batching and sending them.
    tracing: { type: 'boolean', default: false },
    // The authorization engine every company of the fleet is on (the flag's default variant).
    engine: { type: 'string', default: 'batched' },
  },
});

const options = {
  ...commonOptions(flags),
  healthSeconds: wholeOption(flags, 'health-seconds', 1, 600),
  probes: wholeOption(flags, 'probes', 1, 1000),
};
if (!(authorizationEngines as readonly string[]).includes(flags.engine!)) throw new Error(`--engine must be one of ${authorizationEngines.join(', ')}`);
const chosen = flags.scenario ?? Object.keys(scenarios).filter((name) => process.env.DATABASE_URL || !serverProcesses[name]);
for (const name of chosen) if (!scenarios[name]) throw new Error(`--scenario must be one of ${Object.keys(scenarios).join(', ')}`);
for (const name of chosen) if (serverProcesses[name] && !process.env.DATABASE_URL) throw new Error(`--scenario ${name} needs a PostgreSQL server (DATABASE_URL)`);

const serverUrl = process.env.DATABASE_URL || null;
/** The lean reference authorization (one PL/pgSQL call and one commit each), run on the same
 * PostgreSQL server with as many clients, for a ratio that holds on a noisy machine. */
const referenceScript = process.env.OUTLAY_AUTHREF ?? fileURLToPath(new URL('../../shared/reference/authref/run.sh', import.meta.url));
const progress = (text: string) => {
  if (!flags.json) process.stderr.write(`${text}\n`);
};

// --- A scenario -----------------------------------------------------------------------------

function perMessage(counters: QueryCounters, messages: number) {
  const each = (value: number) => round(value / Math.max(1, messages), 2);
  return { queries: each(counters.queries), query_ms: each(counters.queryMs), pool_checkouts: each(counters.checkouts), pool_wait_ms: each(counters.checkoutWaitMs) };
}

interface Run {
  setupMs: number;
  client: ClientResult;
  observed: Observed;
  verification: Awaited<ReturnType<typeof verifyScenario>>;
  /** Queries that failed in the server, by SQLSTATE and message. */
  databaseErrors: Record<string, number>;
}

function describe(name: string, shape: FleetShape, { setupMs, client, observed, verification, databaseErrors }: Run) {
  const { closed, open } = client;
  const closedMessages = closed.authorizations + closed.events;
  const authorizationsPerSecond = closed.authorizations / closed.seconds;
  const closedPhase = observed.phases.closed!;
  return {
    name,
    authorizations_per_second: round(authorizationsPerSecond),
    p50_ms: open.authorization_latency.p50_ms,
    p99_ms: open.authorization_latency.p99_ms,
    invariants_ok: Object.values(verification.checks).every(Boolean),
    checks: verification.checks,
    companies: shape.companies,
    cards: shape.companies * shape.cardsPerCompany,
    setup_ms: Math.round(setupMs),
    health_requests_per_second: client.health.requests_per_second,
    ratio_vs_health: round(authorizationsPerSecond / client.health.requests_per_second, 4),
    saturated: {
      seconds: closed.seconds,
      messages_per_second: round(closedMessages / closed.seconds),
      events_per_second: round(closed.events / closed.seconds),
      authorization_latency: closed.authorization_latency,
      event_latency: closed.event_latency,
      per_message: perMessage(closedPhase.queries, closedMessages),
      cpu: cpuOf(closedPhase, closed.client_cpu_percent, serverUrl !== null),
      ...(closedPhase.backends ? { postgres_backends: closedPhase.backends } : {}),
    },
    fixed_rate: {
      target_messages_per_second: open.target_messages_per_second,
      achieved_messages_per_second: round((open.authorizations + open.events) / open.seconds),
      authorizations_per_second: round(open.authorizations / open.seconds),
      authorization_latency: open.authorization_latency,
      event_latency: open.event_latency,
      client_lag_max_ms: open.client_lag_max_ms,
      cpu: cpuOf(observed.phases.open!, open.client_cpu_percent, serverUrl !== null),
      ...(observed.phases.open!.backends ? { postgres_backends: observed.phases.open!.backends } : {}),
    },
    probes: Object.fromEntries(
      Object.entries(observed.probes).map(([kind, sum]) => [kind, { ...perMessage(sum, sum.messages), latency_ms: client.probes[kind]?.latency_ms ?? null }]),
    ),
    sent: client.tally.sent,
    repeats_checked: client.tally.repeatsChecked,
    repeat_mismatches: client.tally.repeatMismatches,
    unexpected: client.tally.unexpected,
    errors: client.tally.errors,
    database_errors: databaseErrors,
    totals: verification.totals,
    ledger: verification.ledger,
    mismatches: verification.mismatches,
  };
}

/** An OTLP/HTTP endpoint that accepts every export and keeps nothing; counts what it got. */
async function startTraceSink(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const { port } = sink.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/traces`, requests: () => requests, close: () => new Promise((resolve) => sink.close(() => resolve())) };
}

const traceSink = flags.tracing ? await startTraceSink() : null;

interface ReferenceRun {
  authorizations_per_second: number;
  latency_avg_ms: number;
  invariants_ok: boolean;
}

/** The reference's figure for a fleet of this shape, or why there is none. */
async function runReference(shape: FleetShape): Promise<ReferenceRun | { skipped: string }> {
  if (!serverUrl) return { skipped: 'the reference runs on a PostgreSQL server only' };
  if (!existsSync(referenceScript)) return { skipped: `no reference at ${referenceScript} (OUTLAY_AUTHREF names it)` };
  const args = [referenceScript, serverUrl, String(shape.companies), String(shape.cardsPerCompany), String(options.concurrency), String(options.durationSeconds)];
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile('bash', args, { maxBuffer: 1 << 20 }, (error, out, err) => (error ? reject(new Error(`the reference failed: ${err || error.message}`)) : resolve(out))),
  );
  const line = stdout.trim().split('\n').at(-1)!;
  const parsed = JSON.parse(line) as ReferenceRun;
  return { authorizations_per_second: parsed.authorizations_per_second, latency_avg_ms: parsed.latency_avg_ms, invariants_ok: parsed.invariants_ok };
}

/** The scenario's server: this process's own, or child processes on the same database. */
async function startServers(name: string, config: Config, database: Database, url: string | null): Promise<{ urls: string[]; close(): Promise<void> }> {
  const count = serverProcesses[name] ?? 1;
  if (count === 1) {
    const server = await startServer(config, { database });
    return { urls: [server.url], close: () => server.close() };
  }
  const env = {
    DATABASE_URL: url!,
    OUTLAY_DB_POOL_SIZE: String(options.poolSize),
    OUTLAY_SESSION_KEY: randomBytes(32).toString('base64'),
    OUTLAY_ENCRYPTION_KEY: config.encryptionKey.toString('base64'),
    OUTLAY_PROCESSOR_SECRET: config.processorSecret.toString('base64'),
    OUTLAY_DEMO: '0',
    OUTLAY_RECEIPT_READERS: '0',
    LOG_LEVEL: 'error',
  };
  const children = await Promise.all(Array.from({ length: count }, () => startServerProcess(env)));
  return {
    urls: children.map((child) => child.url),
    async close() {
      await Promise.all(children.map((child) => child.stop()));
      await database.close();
    },
  };
}

async function runScenario(name: string) {
  const shape = scenarios[name]!;
  progress(`${name}: ${shape.companies} companies x ${shape.cardsPerCompany} cards`);
  const setupStarted = performance.now();
  const tracing: Partial<Config> = traceSink ? { observability: { otlpTracesUrl: traceSink.url, serviceName: 'outlay-bench', metricsToken: null, metricsListener: null } } : {};
  const { database, config, url, fleet } = await prepareFleet(serverUrl, { poolSize: options.poolSize, prefix: 'outlay_bench_auth', shape, engine: flags.engine!, overrides: tracing });
  const servers = await startServers(name, config, database, url);
  const setupMs = performance.now() - setupStarted;
  progress(`  setup ${round(setupMs / 1000)} s`);
  const failuresBefore = snapshotFailures();
  try {
    const plan: ClientPlan = {
      urls: servers.urls,
      secret: config.processorSecret.toString('base64'),
      cards: fleet.cards,
      companies: fleet.companyIds.length,
      seed: options.seed,
      concurrency: options.concurrency,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      healthSeconds: options.healthSeconds,
      probesPerKind: options.probes,
    };
    const { result, observed, holds } = await runObservedClient<ClientPlan, ClientResult>(new URL('./auth-client.ts', import.meta.url), plan, url, progress);
    const databaseErrors = failuresSince(failuresBefore);
    const verification = await verifyScenario(database.db, fleet, result.expectations, result.tally);
    return { ...describe(name, shape, { setupMs, client: result, observed, verification, databaseErrors }), longest_connection_holds: holds };
  } finally {
    await servers.close();
    rmSync(config.dataDir, { recursive: true, force: true });
  }
}

countQueries();
const started = performance.now();
const results = [];
for (const name of chosen) {
  progress(`${name}: reference`);
  const reference = await runReference(scenarios[name]!);
  const measured = await runScenario(name);
  const scenario = {
    ...measured,
    server_processes: serverProcesses[name] ?? 1,
    reference: 'skipped' in reference ? reference : { ...reference, clients: options.concurrency, seconds: options.durationSeconds },
    reference_authorizations_per_second: 'skipped' in reference ? null : reference.authorizations_per_second,
    messages_vs_reference: 'skipped' in reference ? null : round(measured.saturated.messages_per_second / reference.authorizations_per_second, 2),
    authorizations_vs_reference: 'skipped' in reference ? null : round(measured.authorizations_per_second / reference.authorizations_per_second, 2),
  };
  progress(`  ${scenario.authorizations_per_second} authorizations/s, p50 ${scenario.p50_ms} ms, p99 ${scenario.p99_ms} ms, invariants ${scenario.invariants_ok ? 'ok' : 'FAILED'}`);
  results.push(scenario);
}
const output = {
  benchmark: 'auth',
  database: serverUrl ? 'postgres' : 'pglite',
  cpus: availableParallelism(),
  client: 'node:http keep-alive, in a child process',
  concurrency: options.concurrency,
  engine: flags.engine,
  duration_seconds: options.durationSeconds,
  pool_size: serverUrl ? options.poolSize : 1,
  tracing: traceSink ? { exported_to: 'an OTLP/HTTP sink in this process', export_requests: traceSink.requests() } : 'off',
  scenarios: results,
  reference: {
    name: 'GET /health, same server, client and concurrency',
    requests_per_second: Object.fromEntries(results.map((s) => [s.name, s.health_requests_per_second])),
  },
  ratios: Object.fromEntries(
    results.flatMap((s) => [
      [`${s.name}_authorizations_vs_health`, s.ratio_vs_health],
      [`${s.name}_messages_vs_reference`, s.messages_vs_reference],
    ]),
  ),
  total_ms: Math.round(performance.now() - started),
};
await traceSink?.close();
process.stdout.write(JSON.stringify(output) + '\n');
process.exitCode = results.every((s) => s.invariants_ok) ? 0 : 1;
