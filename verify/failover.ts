// verify:failover — PostgreSQL as a primary with a synchronous streaming standby, both started
// here (postgres-pair.ts), and three Outlay processes on them through one DATABASE_URL naming
// both hosts with target_session_attrs=read-write. Under card authorization load the primary is
// killed (SIGKILL of the postmaster and its backends) and the standby promoted at once, and the
// load goes on: the processes must find the new primary on their own. In the long form the
// killed node is then made the new standby and the pair fails over again, three times in all.
// Afterwards every acknowledged answer is on the new primary exactly once, every message without
// a decision gets one when sent again, every process still runs, `outlay ledger verify` passes,
// and the seconds without service are reported: from the first request that got no decision
// after a kill to the first decision for a request sent after that.
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/db/database.js';
import { adminQuery } from '../src/test-support/database.js';
import type { ServerProcess } from '../src/test-support/server-process.js';
import { CardLoad, checkRecorded, isStandIn, seedCardholders, sendAgain, type Sent } from './card-load.js';
import { startPostgresPair, type PostgresPair } from './postgres-pair.js';
import { closeFleet, fleetOn, ledgerVerify, networkOf, startServers, type FleetDatabase } from './server-fleet.js';
import { progress, runPart, Violations } from './verify-run.js';

const failoverCount = { short: 1, long: 3 };
const processCount = 3;
/** Requests in flight at once, across the processes. */
const lanes = 6;
/** Decisions before each kill, so it lands under load, and after service came back. */
const answersBefore = 200;
const answersAfter = 200;
const cardCount = 24;
/** Of the answered messages, every this many is sent again afterwards. */
const retriedAnsweredEvery = 10;
/** Past this without a decision after a failover, the processes count as not reconnecting. */
const serviceReturnWaitMs = 60_000;

interface Outage {
  killedPort: number;
  killedAt: number;
  promotedAt: number | null;
  firstFailureAt: number | null;
  lastFailureAt: number | null;
  firstServedAt: number | null;
  failed: number;
  /** What the requests without a decision got: an HTTP status, the stand-in, or no answer. */
  failedBy: Record<string, number>;
}

const seconds = (from: number | null, to: number | null) => (from === null || to === null ? null : Math.round((to - from) / 10) / 100);
const decided = (request: Sent) => request.answer !== null && request.answer.status === 200 && !isStandIn(request.answer);

/** Resolves true once `done()` holds, false when `waitMs` passed first. */
async function within(waitMs: number, done: () => boolean): Promise<boolean> {
  const deadline = performance.now() + waitMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

await runPart('failover', async ({ short }) => {
  const violations = new Violations();
  let pair: PostgresPair | null = null;
  let fleet: FleetDatabase | null = null;
  let database: Database | null = null;
  const servers: ServerProcess[] = [];
  // A part that fails or is interrupted leaves no server process behind (the pair stops itself).
  process.once('exit', () => {
    for (const server of servers) server.child.kill('SIGKILL');
  });
  try {
    pair = await startPostgresPair();
    progress(`  failover: primary on port ${pair.primaryPort()}, synchronous standby on ${pair.standbyPort()}`);
    await adminQuery(pair.primaryUrl('postgres'), 'create database outlay');
    const url = pair.url('outlay');
    database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
    fleet = await fleetOn(database, url);
    const db = fleet.database.db;
    const { companyId, cardIds } = await seedCardholders(db, fleet.encryptionKey, 'Failover Co', cardCount);
    servers.push(...(await startServers(fleet, processCount)));
    progress(`  failover: ${processCount} server processes up`);
    const network = (server: ServerProcess) => networkOf(fleet!, server);

    const outages: Outage[] = [];
    let failedBeforeAnyKill = 0;
    let servedSince = 0;
    const load = new CardLoad(cardIds, servers, network, (request) => {
      const outage = outages.at(-1);
      if (decided(request)) {
        servedSince++;
        if (outage?.firstFailureAt != null && outage.firstServedAt === null && request.sentAt > outage.firstFailureAt) outage.firstServedAt = request.answeredAt;
        return;
      }
      if (!outage) {
        failedBeforeAnyKill++;
        violations.add(`${request.kind} ${String(request.payload.id)} got no decision before any failover: ${request.answer ? JSON.stringify(request.answer.body).slice(0, 200) : 'no answer'}`);
        return;
      }
      outage.failed++;
      const answer = request.answer === null ? 'no answer' : isStandIn(request.answer) ? 'stand-in decline' : String(request.answer.status);
      outage.failedBy[answer] = (outage.failedBy[answer] ?? 0) + 1;
      outage.firstFailureAt ??= request.answeredAt;
      outage.lastFailureAt = request.answeredAt;
    });
    load.start(lanes);

    const cycles = short ? failoverCount.short : failoverCount.long;
    let serviceReturned = true;
    for (let cycle = 0; cycle < cycles; cycle++) {
      await load.acknowledgedMore(answersBefore);
      const outage: Outage = { killedPort: pair.primaryPort(), killedAt: performance.now(), promotedAt: null, firstFailureAt: null, lastFailureAt: null, firstServedAt: null, failed: 0, failedBy: {} };
      outages.push(outage);
      await pair.killPrimary();
      await pair.promoteStandby();
      outage.promotedAt = performance.now();
      servedSince = 0;
      if (!(await within(serviceReturnWaitMs, () => servedSince >= answersAfter))) {
        violations.add(`failover ${cycle + 1}: fewer than ${answersAfter} decisions within ${serviceReturnWaitMs} ms of the promotion (${servedSince})`);
        serviceReturned = false;
        break;
      }
      progress(`  failover: ${cycle + 1} of ${cycles}, port ${outage.killedPort} killed, ${seconds(outage.firstFailureAt, outage.firstServedAt)} s without service, ${load.sent.length} sent`);
      // The killed node becomes the new standby, under the load, for the next failover.
      if (cycle + 1 < cycles) await pair.rebuildStandby();
    }
    await load.stop();

    for (const [index, server] of servers.entries()) {
      if (server.child.exitCode !== null || server.child.signalCode !== null) violations.add(`server process ${index + 1} exited (${server.child.exitCode ?? server.child.signalCode}): ${server.output().slice(-600)}`);
    }
    const live = servers.find((server) => server.child.exitCode === null && server.child.signalCode === null);
    // Without service back, sending every failed message again would only fail each once more.
    const again = live && serviceReturned ? await sendAgain(load.sent, network(live), retriedAnsweredEvery, violations) : { retried: 0, retriedAnswered: 0, mismatches: 0 };
    const onPort = await sql<{ port: number }>`select inet_server_port() as port`.execute(db);
    if (onPort.rows[0]!.port !== pair.primaryPort()) violations.add(`the suite's own pool is on port ${onPort.rows[0]!.port}, not on the new primary's ${pair.primaryPort()}`);
    const { lost, duplicated } = await checkRecorded(db, companyId, load.sent, violations);
    const ledger = await ledgerVerify(fleet);
    if (ledger.code !== 0) violations.add(`outlay ledger verify exited ${ledger.code}: ${ledger.output.slice(0, 400)}`);
    const acknowledgedApprovals = load.sent.filter((request) => request.kind === 'authorization' && decided(request) && request.answer!.body.approved === true).length;
    const withoutService = outages.map((outage) => seconds(outage.firstFailureAt, outage.firstServedAt));
    return {
      database: 'PostgreSQL 15 primary with a synchronous streaming standby (synchronous_commit on), both on this machine',
      database_url: 'postgres://postgres@127.0.0.1:P1,127.0.0.1:P2/outlay?target_session_attrs=read-write',
      processes: processCount,
      failovers: outages.length,
      kill: 'SIGKILL of the primary postmaster and all its processes under load, then pg_ctl promote of the standby',
      requests: load.sent.length,
      acknowledged: load.acknowledged,
      acknowledged_approvals: acknowledgedApprovals,
      undecided_then_retried: again.retriedAnswered,
      retried: again.retried,
      retry_answer_mismatches: again.mismatches,
      failed_before_any_kill: failedBeforeAnyKill,
      lost,
      duplicated,
      seconds_without_service: withoutService,
      seconds_without_service_max: withoutService.reduce<number | null>((max, value) => (value === null ? max : Math.max(max ?? 0, value)), null),
      outages: outages.map((outage) => ({
        killed_port: outage.killedPort,
        promote_seconds: seconds(outage.killedAt, outage.promotedAt),
        failed_requests: outage.failed,
        failed_by_answer: outage.failedBy,
        seconds_without_service: seconds(outage.firstFailureAt, outage.firstServedAt),
        seconds_kill_to_first_decision: seconds(outage.killedAt, outage.firstServedAt),
        seconds_first_to_last_failure: seconds(outage.firstFailureAt, outage.lastFailureAt),
      })),
      ledger_verify: ledger.output.split('\n')[0],
      violations: violations.all,
    };
  } finally {
    if (fleet) await closeFleet(fleet, servers).catch(() => undefined);
    else await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    if (!fleet) await database?.close().catch(() => undefined);
    pair?.close();
  }
});
