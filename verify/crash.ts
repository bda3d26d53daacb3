// verify:crash — three Outlay processes on one PostgreSQL database, card authorizations and
// clearings sent through the processor API to all three, and beside them one lane of office
// work (receipt uploads, top-up statement imports, bookkeeping exports; office-load.ts). N times
// (20, or 3 with --short) one process is killed with SIGKILL under the load and a new one
// started in its place. The short form uses a fresh database on DATABASE_URL's server; the
// long form starts a PostgreSQL cluster of its own (postgres-pair.ts), never the machine's
// shared one, and in some cycles stops it with `pg_ctl stop -m immediate` and starts it again:
// the processes must reconnect by themselves. Afterwards every acknowledged answer is in the
// database exactly once and as it was answered, with its stored file; every reading and export
// job finished; nothing unacknowledged is half-written; every request sent again with its key
// gets its first answer or runs once; and `outlay ledger verify` passes.
import { DatabaseBlobStore } from '../src/storage/database-blob-store.js';
import { startServerProcess, type ServerProcess } from '../src/test-support/server-process.js';
import { CardLoad, checkRecorded, isStandIn, seedCardholders, sendAgain, type Sent } from './card-load.js';
import { checkOffice, OfficeLoad, seedOffice, sendOfficeAgain } from './office-load.js';
import { startPostgresSingle } from './postgres-pair.js';
import { closeFleet, ledgerVerify, networkOf, openFleetDatabase, openFleetOn, startServers } from './server-fleet.js';
import { progress, runPart, Violations } from './verify-run.js';

const cycles = { short: 3, long: 20 };
/** In the long form, PostgreSQL itself is stopped and restarted in every this many cycles. */
const postgresRestartEvery = 5;
/** Requests in flight at once, across the three processes. */
const lanes = 6;
/** Acknowledged answers between two kills, so every kill lands under load. */
const answersPerCycle = 150;
const cardCount = 24;
/** Of the answered messages, every this many is sent again after the crashes. */
const retriedAnsweredEvery = 10;
/** The office lane's pause between requests: a side load beside the cards on two cores. */
const officePauseMs = 150;
/** Approved expenses seeded, one day each: at most this many exports. */
const exportDays = { short: 12, long: 60 };
/**
 * How long a replacement process may take to start: it compiles the sources while the card
 * load and OCR keep both cores busy, which took over two minutes on a shared 2-core machine.
 */
const replacementStartWaitMs = 300_000;
/** Starts of one replacement before its failure counts. */
const replacementStartAttempts = 3;
/** Past this without a decision after PostgreSQL came back, the processes count as not reconnecting. */
const serviceReturnWaitMs = 60_000;

const decided = (request: Sent) => request.answer !== null && request.answer.status === 200 && !isStandIn(request.answer);

interface Restart {
  stoppedAt: number;
  startedAt: number | null;
  firstServedAt: number | null;
}

await runPart('crash', async ({ short }) => {
  const violations = new Violations();
  const own = short ? null : await startPostgresSingle();
  // The fleet's database: on DATABASE_URL's server, or on a PostgreSQL cluster of the part's own.
  const fleet = own ? await openFleetOn(own) : await openFleetDatabase('crash');
  // Reading on, so the jobs a killed process leaves behind have to be finished by the others.
  // Files go to the blob store every process shares, the database's (the default).
  fleet.env.OUTLAY_RECEIPT_READERS = '1';
  const servers: ServerProcess[] = [];
  try {
    const db = fleet.database.db;
    const { companyId, cardIds } = await seedCardholders(db, fleet.encryptionKey, 'Crash Co', cardCount);
    const seat = await seedOffice(db, Buffer.from(fleet.env.OUTLAY_SESSION_KEY!, 'base64'), companyId, short ? exportDays.short : exportDays.long);
    servers.push(...(await startServers(fleet, 3)));
    const network = (server: ServerProcess) => networkOf(fleet, server);
    const restarts: Restart[] = [];
    const load = new CardLoad(cardIds, servers, network, (request) => {
      const restart = restarts.at(-1);
      if (restart && restart.startedAt !== null && restart.firstServedAt === null && decided(request) && request.sentAt > restart.stoppedAt) restart.firstServedAt = request.answeredAt;
      // While PostgreSQL is down a 503 is the honest answer; outside that, a 5xx is a fault.
      const down = restart !== undefined && (restart.firstServedAt === null || request.sentAt < restart.firstServedAt);
      if (request.answer && request.answer.status >= 500 && !down) violations.add(`${request.kind} ${String(request.payload.id)} was answered ${request.answer.status}`);
    });
    const office = new OfficeLoad(seat, servers, officePauseMs);
    load.start(lanes);
    office.start();
    const starting: Promise<void>[] = [];
    const startFailed = () => violations.all.some((text) => text.startsWith('a server process started'));
    let startRetries = 0;
    // As a supervisor does: a process that exits while starting (PostgreSQL was stopped under it) is started again.
    const startReplacement = async (cycle: number, attempt = 1): Promise<void> => {
      try {
        servers.push(await startServerProcess(fleet.env, { startWaitMs: replacementStartWaitMs }));
      } catch (error) {
        if (attempt < replacementStartAttempts) {
          startRetries++;
          return startReplacement(cycle, attempt + 1);
        }
        violations.add(`a server process started in cycle ${cycle + 1} failed ${attempt} times: ${String(error).slice(0, 300)}`);
      }
    };
    const cycleCount = short ? cycles.short : cycles.long;
    for (let cycle = 0; cycle < cycleCount; cycle++) {
      await load.acknowledgedMore(answersPerCycle);
      // One always lives: the others may still be starting in place of those killed before.
      while (servers.length < 2 && !startFailed()) await new Promise((resolve) => setTimeout(resolve, 100));
      if (startFailed()) break;
      const victim = servers.splice(cycle % servers.length, 1)[0]!;
      victim.child.kill('SIGKILL');
      await victim.stop();
      if (own && cycle % postgresRestartEvery === postgresRestartEvery - 1) {
        const restart: Restart = { stoppedAt: performance.now(), startedAt: null, firstServedAt: null };
        restarts.push(restart);
        await own.stopImmediate();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await own.start();
        restart.startedAt = performance.now();
      }
      // A process takes some seconds to start (it runs from the sources); the load goes on meanwhile.
      starting.push(startReplacement(cycle));
      const restart = restarts.at(-1);
      if (restart && restart.firstServedAt === null) {
        const deadline = performance.now() + serviceReturnWaitMs;
        while (restart.firstServedAt === null && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        if (restart.firstServedAt === null) violations.add(`no decision within ${serviceReturnWaitMs} ms of PostgreSQL's restart in cycle ${cycle + 1}`);
      }
      const restartedNow = restart !== undefined && cycle % postgresRestartEvery === postgresRestartEvery - 1;
      const restartNote = restartedNow ? ` (PostgreSQL restarted, ${restart.firstServedAt === null ? 'no service yet' : `${Math.round((restart.firstServedAt - restart.stoppedAt) / 100) / 10} s without service`})` : '';
      progress(`  crash: ${Math.round(performance.now() / 1000)} s, cycle ${cycle + 1} of ${cycleCount}${restartNote}, ${load.sent.length} card requests, ${office.sent.length} office requests`);
    }
    await Promise.all([load.stop(), office.stop()]);
    await Promise.all(starting);
    const acknowledged = load.acknowledged + office.acknowledged();

    // Every message sent again to a live process: the network id (or Idempotency-Key) is the key.
    const live = servers.filter((server) => server.child.exitCode === null && server.child.signalCode === null);
    if (live.length === 0) throw new Error('no server process is left to send the messages again to');
    const again = await sendAgain(load.sent, network(live[0]!), retriedAnsweredEvery, violations);
    const officeAgain = await sendOfficeAgain(office, live.at(-1)!, retriedAnsweredEvery, violations);
    const cards = await checkRecorded(db, companyId, load.sent, violations);
    const checked = await checkOffice(db, new DatabaseBlobStore(db), seat, office, violations);
    const ledger = await ledgerVerify(fleet);
    if (ledger.code !== 0) violations.add(`outlay ledger verify exited ${ledger.code}: ${ledger.output.slice(0, 400)}`);
    const byKind = (kind: string) => office.sent.filter((request) => request.kind === kind).length;
    const withoutService = restarts.map((restart) => (restart.firstServedAt === null ? null : Math.round((restart.firstServedAt - restart.stoppedAt) / 10) / 100));
    return {
      processes: 3,
      database: own ? `a PostgreSQL 15 cluster of the part's own on port ${own.port}` : "a fresh database on DATABASE_URL's server",
      cycles: cycleCount,
      postgres_restarts: restarts.length,
      process_starts_repeated: startRetries,
      kill: `SIGKILL of one server process under load, a new one started in its place${own ? `; in every ${postgresRestartEvery}th cycle also pg_ctl stop -m immediate of PostgreSQL and a start` : ''}`,
      requests: load.sent.length + office.sent.length,
      requests_by_kind: {
        authorizations: load.sent.filter((request) => request.kind === 'authorization').length,
        clearings: load.sent.filter((request) => request.kind === 'clearing').length,
        uploads: byKind('upload'),
        imports: byKind('import'),
        exports: byKind('export'),
      },
      acknowledged,
      acknowledged_by_kind: { cards: load.acknowledged, uploads: office.acknowledged('upload'), imports: office.acknowledged('import'), exports: office.acknowledged('export') },
      unacknowledged_then_retried: again.retriedAnswered,
      retried: again.retried + officeAgain.retried,
      retry_answer_mismatches: again.mismatches + officeAgain.mismatches,
      lost: cards.lost + checked.lost,
      duplicated: cards.duplicated + checked.duplicated,
      half_written: checked.halfWritten,
      office: checked.figures,
      seconds_without_service: withoutService,
      ledger_verify: ledger.output.split('\n')[0],
      violations: violations.all,
    };
  } finally {
    await closeFleet(fleet, servers);
    own?.close();
  }
});
