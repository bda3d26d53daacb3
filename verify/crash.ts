// verify:crash — three Outlay processes on one PostgreSQL database (a fresh one this part
// creates and drops), card authorizations and clearings sent through the processor API to
// all three, and N times (20, or 3 with --short) one process killed with SIGKILL under the
// load and a new one started in its place. Afterwards every acknowledged answer is in the
// database exactly once and as it was answered, every message sent again (the network id is
// the idempotency key) gets its first answer or runs once, and `outlay ledger verify` passes.
import { startServerProcess, type ServerProcess } from '../src/test-support/server-process.js';
import { CardLoad, checkRecorded, seedCardholders, sendAgain } from './card-load.js';
import { closeFleet, ledgerVerify, networkOf, openFleetDatabase, startServers } from './server-fleet.js';
import { progress, runPart, Violations } from './verify-run.js';

const cycles = { short: 3, long: 20 };
/** Requests in flight at once, across the three processes. */
const lanes = 6;
/** Acknowledged answers between two kills, so every kill lands under load. */
const answersPerCycle = 150;
const cardCount = 24;
/** Of the answered messages, every this many is sent again after the crashes. */
const retriedAnsweredEvery = 10;

await runPart('crash', async ({ short }) => {
  const violations = new Violations();
  const fleet = await openFleetDatabase('crash');
  const servers: ServerProcess[] = [];
  try {
    const db = fleet.database.db;
    const { companyId, cardIds } = await seedCardholders(db, fleet.encryptionKey, 'Crash Co', cardCount);
    servers.push(...(await startServers(fleet, 3)));
    const network = (server: ServerProcess) => networkOf(fleet, server);
    const load = new CardLoad(cardIds, servers, network, (request) => {
      if (request.answer && request.answer.status >= 500) violations.add(`${request.kind} ${String(request.payload.id)} was answered ${request.answer.status}`);
    });
    load.start(lanes);
    const starting: Promise<void>[] = [];
    const cycleCount = short ? cycles.short : cycles.long;
    for (let cycle = 0; cycle < cycleCount; cycle++) {
      await load.acknowledgedMore(answersPerCycle);
      // One always lives: the others may still be starting in place of those killed before.
      while (servers.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
      const victim = servers.splice(cycle % servers.length, 1)[0]!;
      victim.child.kill('SIGKILL');
      await victim.stop();
      // A process takes some seconds to start (it runs from the sources); the load goes on meanwhile.
      starting.push(startServerProcess(fleet.env).then((started) => void servers.push(started)));
      progress(`  crash: cycle ${cycle + 1} of ${cycleCount}, ${load.sent.length} sent, ${load.acknowledged} acknowledged`);
    }
    await load.stop();
    await Promise.all(starting);
    const acknowledged = load.acknowledged;

    // Every message sent again to a live process: the network id is the idempotency key.
    const again = await sendAgain(load.sent, network(servers[0]!), retriedAnsweredEvery, violations);
    const { lost, duplicated } = await checkRecorded(db, companyId, load.sent, violations);
    const ledger = await ledgerVerify(fleet);
    if (ledger.code !== 0) violations.add(`outlay ledger verify exited ${ledger.code}: ${ledger.output.slice(0, 400)}`);
    return {
      processes: 3,
      cycles: cycleCount,
      kill: 'SIGKILL of one server process under load, a new one started in its place',
      requests: load.sent.length,
      authorizations: load.sent.filter((request) => request.kind === 'authorization').length,
      clearings: load.sent.filter((request) => request.kind === 'clearing').length,
      acknowledged,
      unacknowledged_then_retried: again.retriedAnswered,
      retried: again.retried,
      retry_answer_mismatches: again.mismatches,
      lost,
      duplicated,
      ledger_verify: ledger.output.split('\n')[0],
      violations: violations.all,
    };
  } finally {
    await closeFleet(fleet, servers);
  }
});
