// Authorizations over the ISO 8583 gateway against the same authorizations over the HTTP
// processor endpoint, in one run, on one fleet and one server, on the database in
// DATABASE_URL (a throw-away database created on that server and dropped afterwards) or on
// embedded PGlite in memory.
//
// The fleet is a hot wallet (one company, 1,000 cards, funded far beyond what a run spends;
// purchases well within the cards' limits, a few at a blocked category or over the
// per-purchase cap). The real server runs in this process with its ISO 8583 gateway on a
// free port of 127.0.0.1; bench/iso8583-client.ts, forked, plays the network: per transport
// a warm-up and a closed loop for the maximum rate, then an open loop at half of it for
// latency. Then every approval answered is looked up in the database (bench/iso8583-verify.ts).
// Prints one JSON line; exits 1 if a check failed (the line is printed all the same).
// Run: npm run bench:iso8583 -- --json [--duration-seconds 10] [--concurrency 32] [--connections 8] [--engine batched|standard]
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { authorizationEngines } from '../src/cards/authorization.service.js';
import { connectionsPerPeerMax } from '../src/iso8583/gateway.js';
import { startServer } from '../src/server/server.js';
import type { FleetShape } from './auth-fleet.js';
import { countQueries } from './auth-profile.js';
import { commonOptions, cpuOf, prepareFleet, round, runObservedClient, wholeOption, type Observed } from './bench-harness.js';
import { transports, type IsoBenchPlan, type IsoBenchResult, type Transport } from './iso8583-client.js';
import { verifyApprovals } from './iso8583-verify.js';

/** 100,000,000.00 for the wallet: no approval fails for want of funds (at most 200.00 a purchase). */
const hotWallet: FleetShape = { companies: 1, cardsPerCompany: 1_000, fundingMinor: 10_000_000_000n };
/** Of purchases: declined by the cards' controls (half over the per-purchase cap, half at a blocked category). */
const declineShare = 0.05;

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'duration-seconds': { type: 'string', default: '10' },
    'warmup-seconds': { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32' },
    connections: { type: 'string', default: '8' },
    'pool-size': { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    engine: { type: 'string', default: 'batched' },
  },
});

const options = {
  ...commonOptions(flags),
  // The gateway takes at most this many links from one peer address.
  connections: wholeOption(flags, 'connections', 1, connectionsPerPeerMax),
};
if (!(authorizationEngines as readonly string[]).includes(flags.engine!)) throw new Error(`--engine must be one of ${authorizationEngines.join(', ')}`);

const serverUrl = process.env.DATABASE_URL || null;
const progress = (text: string) => {
  if (!flags.json) process.stderr.write(`${text}\n`);
};

function describeTransport(transport: Transport, result: IsoBenchResult, observed: Observed) {
  const closed = result.closed[transport];
  const open = result.open[transport];
  const closedPhase = observed.phases[`${transport} closed`]!;
  const openPhase = observed.phases[`${transport} open`]!;
  return {
    authorizations_per_second: round(closed.authorizations / closed.seconds),
    p50_ms: closed.latency.p50_ms,
    p99_ms: closed.latency.p99_ms,
    half_rate: {
      target_per_second: open.target_per_second,
      achieved_per_second: round(open.authorizations / open.seconds),
      p50_ms: open.latency.p50_ms,
      p99_ms: open.latency.p99_ms,
      cpu: cpuOf(openPhase, open.client_cpu_percent, serverUrl !== null),
    },
    approvals: closed.approvals + open.approvals,
    declines: closed.declines + open.declines,
    saturated: {
      seconds: closed.seconds,
      latency: closed.latency,
      queries_per_authorization: round(closedPhase.queries.queries / Math.max(1, closed.authorizations), 2),
      cpu: cpuOf(closedPhase, closed.client_cpu_percent, serverUrl !== null),
    },
  };
}

async function run() {
  const setupStarted = performance.now();
  progress(`fleet: ${hotWallet.cardsPerCompany} cards of one company`);
  const { database, config, url, fleet } = await prepareFleet(serverUrl, {
    poolSize: options.poolSize, prefix: 'outlay_bench_iso8583', shape: hotWallet, engine: flags.engine!,
    overrides: { iso8583: { host: '127.0.0.1', port: 0, allowedPeers: null } },
  });
  // From here the server owns the database and closes it.
  const server = await startServer(config, { database });
  try {
    const setupMs = performance.now() - setupStarted;
    progress(`  setup ${round(setupMs / 1000)} s`);
    const plan: IsoBenchPlan = {
      httpUrl: server.url, isoHost: '127.0.0.1', isoPort: server.iso8583Port!, secret: config.processorSecret.toString('base64'),
      cards: fleet.cards, seed: options.seed, concurrency: options.concurrency, connections: options.connections,
      durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, declineShare,
    };
    const { result, observed, holds } = await runObservedClient<IsoBenchPlan, IsoBenchResult>(new URL('./iso8583-client.ts', import.meta.url), plan, url, progress);
    const verification = await verifyApprovals(database.db, result.approvals);
    return { setupMs, result, observed, verification, holds };
  } finally {
    await server.close();
    rmSync(config.dataDir, { recursive: true, force: true });
  }
}

countQueries();
const started = performance.now();
const { setupMs, result, observed, verification, holds } = await run();
const perTransport = Object.fromEntries(transports.map((transport) => [transport, describeTransport(transport, result, observed)])) as Record<Transport, ReturnType<typeof describeTransport>>;
const checks = {
  ...verification.checks,
  all_answered: Object.keys(result.errors).length === 0,
  decisions_as_expected: Object.keys(result.unexpected).length === 0,
  iso8583_answers_in_order: result.out_of_order === 0,
};
const output = {
  benchmark: 'iso8583',
  database: serverUrl ? 'postgres' : 'pglite',
  cpus: availableParallelism(),
  engine: flags.engine,
  cards: hotWallet.cardsPerCompany,
  concurrency: options.concurrency,
  iso8583_connections: options.connections,
  duration_seconds: options.durationSeconds,
  pool_size: serverUrl ? options.poolSize : 1,
  iso8583_vs_http: round(perTransport.iso8583.authorizations_per_second / Math.max(0.1, perTransport.http.authorizations_per_second), 2),
  http: perTransport.http,
  iso8583: perTransport.iso8583,
  invariants_ok: Object.values(checks).every(Boolean),
  checks,
  totals: verification.totals,
  problems: verification.problems,
  ledger: verification.ledger,
  unexpected: result.unexpected,
  errors: result.errors,
  longest_connection_holds: holds,
  setup_ms: Math.round(setupMs),
  total_ms: Math.round(performance.now() - started),
};
progress(`http ${output.http.authorizations_per_second}/s, iso8583 ${output.iso8583.authorizations_per_second}/s (${output.iso8583_vs_http}), invariants ${output.invariants_ok ? 'ok' : 'FAILED'}`);
process.stdout.write(JSON.stringify(output) + '\n');
process.exitCode = output.invariants_ok ? 0 : 1;
