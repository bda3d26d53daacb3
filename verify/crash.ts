// verify:crash — three Outlay processes on one PostgreSQL database (a fresh one this part
// creates and drops), card authorizations and clearings sent through the processor API to
// all three, and N times (20, or 3 with --short) one process killed with SIGKILL under the
// load and a new one started in its place. Afterwards every acknowledged answer is in the
// database exactly once and as it was answered, every message sent again (the network id is
// the idempotency key) gets its first answer or runs once, and `outlay ledger verify` passes.
import { sql } from 'kysely';
import { systemActor } from '../src/auth/actor.js';
import { issueCard } from '../src/cards/card-issuing.service.js';
import { createCompany } from '../src/companies/companies.service.js';
import { addActivePerson } from '../src/people/people.service.js';
import { networkId, type SignedResponse } from '../src/simulator/network-client.js';
import { kioskPurchase } from '../src/test-support/kiosk-purchase.js';
import { startServerProcess, type ServerProcess } from '../src/test-support/server-process.js';
import { recordTopUp } from '../src/wallet/wallet.service.js';
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

interface Sent {
  kind: 'authorization' | 'clearing';
  payload: Record<string, unknown>;
  /** The first answer the network got, or null when the process died first. */
  answer: SignedResponse | null;
}

/** What must be the same when a message is sent again (the state moves on with later messages). */
const gist = (answer: SignedResponse) => JSON.stringify({ status: answer.status, approved: answer.body.approved, declineReason: answer.body.declineReason, transactionId: answer.body.transactionId });

await runPart('crash', async ({ short }) => {
  const violations = new Violations();
  const fleet = await openFleetDatabase('crash');
  const { env, encryptionKey } = fleet;
  const servers: ServerProcess[] = [];
  try {
    const db = fleet.database.db;
    const company = await createCompany(db, { name: 'Crash Co', currency: 'EUR', timeZone: 'Europe/Copenhagen' });
    await recordTopUp(db, company.id, { amount: '10000000.00', currency: 'EUR', bankReference: 'verify-crash', receivedOn: '2026-11-01' }, systemActor, new Date());
    const cardIds: string[] = [];
    for (let i = 0; i < cardCount; i++) {
      const holder = await addActivePerson(db, company.id, { email: `holder${i}@crash.test`, name: `Holder ${i}`, roles: ['employee'], password: 'correct horse battery' });
      cardIds.push((await issueCard(db, encryptionKey, company.id, { userId: holder.id, kind: 'virtual' }, systemActor, new Date())).card.id);
    }
    servers.push(...(await startServers(fleet, 3)));
    const network = (server: ServerProcess) => networkOf(fleet, server);
    const sent: Sent[] = [];
    const approvedUncleared: { cardId: string; transactionId: string; amount: string }[] = [];
    let acknowledged = 0;
    let stop = false;
    let turn = 0;
    const lane = async () => {
      while (!stop) {
        const server = servers[turn++ % servers.length]!;
        const clearing = approvedUncleared.length > 0 && turn % 3 === 0 ? approvedUncleared.shift()! : null;
        const request: Sent = clearing
          ? { kind: 'clearing', payload: { id: networkId('clr'), type: 'clearing', cardId: clearing.cardId, transactionId: clearing.transactionId, amount: clearing.amount, currency: 'EUR' }, answer: null }
          : { kind: 'authorization', payload: kioskPurchase(cardIds[turn % cardIds.length]!, 100 + (turn % 900)), answer: null };
        sent.push(request);
        const client = network(server);
        request.answer = await (request.kind === 'clearing' ? client.event(request.payload) : client.authorize(request.payload)).catch(() => null);
        if (!request.answer) continue;
        acknowledged++;
        if (request.answer.status >= 500) violations.add(`${request.kind} ${String(request.payload.id)} was answered ${request.answer.status}`);
        if (request.kind === 'authorization' && request.answer.body.approved === true) {
          approvedUncleared.push({ cardId: String(request.payload.cardId), transactionId: String(request.payload.id), amount: String(request.payload.amount) });
        }
      }
    };
    const running = Array.from({ length: lanes }, lane);
    const starting: Promise<void>[] = [];
    const cycleCount = short ? cycles.short : cycles.long;
    for (let cycle = 0; cycle < cycleCount; cycle++) {
      const target = acknowledged + answersPerCycle;
      while (acknowledged < target) await new Promise((resolve) => setTimeout(resolve, 20));
      // One always lives: the others may still be starting in place of those killed before.
      while (servers.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
      const victim = servers.splice(cycle % servers.length, 1)[0]!;
      victim.child.kill('SIGKILL');
      await victim.stop();
      // A process takes some seconds to start (it runs from the sources); the load goes on meanwhile.
      starting.push(startServerProcess(env).then((started) => void servers.push(started)));
      progress(`  crash: cycle ${cycle + 1} of ${cycleCount}, ${sent.length} sent, ${acknowledged} acknowledged`);
    }
    stop = true;
    await Promise.all(running);
    await Promise.all(starting);

    // Every message sent again to a live process: the network id is the idempotency key.
    const retrier = network(servers[0]!);
    let retried = 0;
    let retriedAnswered = 0;
    let retryMismatches = 0;
    for (const [index, request] of sent.entries()) {
      // Every unanswered message, and a share of the answered ones.
      if (request.answer !== null && index % retriedAnsweredEvery !== 0) continue;
      const again = await (request.kind === 'clearing' ? retrier.event(request.payload) : retrier.authorize(request.payload));
      retried++;
      if (request.answer === null) {
        if (again.status === 200) retriedAnswered++;
        else violations.add(`${request.kind} ${String(request.payload.id)}, unanswered before the crash, got ${again.status} when sent again`);
        request.answer = again;
      } else if (gist(again) !== gist(request.answer)) {
        retryMismatches++;
        violations.add(`${request.kind} ${String(request.payload.id)} was answered ${gist(request.answer)} first and ${gist(again)} when sent again`);
      }
    }

    const transactions = await db.selectFrom('card_transactions').select(['network_id', 'id']).where('company_id', '=', company.id).execute();
    const events = await db.selectFrom('card_network_events').select(['network_event_id', 'transaction_id']).where('company_id', '=', company.id).execute();
    const transactionCounts = new Map<string, number>();
    for (const row of transactions) transactionCounts.set(row.network_id, (transactionCounts.get(row.network_id) ?? 0) + 1);
    const eventCounts = new Map<string, number>();
    for (const row of events) eventCounts.set(row.network_event_id, (eventCounts.get(row.network_event_id) ?? 0) + 1);
    const transactionById = new Map(transactions.map((row) => [row.network_id, row.id]));
    let lost = 0;
    let duplicated = 0;
    let acknowledgedBeforeRetry = 0;
    for (const request of sent) {
      const id = String(request.payload.id);
      const counts = request.kind === 'clearing' ? eventCounts : transactionCounts;
      const count = counts.get(id) ?? 0;
      // A declined purchase is recorded too (state declined), so every authorization has its row.
      if (request.kind === 'authorization' || request.answer?.body.approved === true) {
        if (count === 0) {
          lost++;
          violations.add(`${request.kind} ${id} was answered but is not in the database`);
        }
      }
      if (count > 1) {
        duplicated++;
        violations.add(`${request.kind} ${id} is in the database ${count} times`);
      }
      if (request.kind === 'authorization' && request.answer?.body.transactionId && transactionById.get(id) !== request.answer.body.transactionId) {
        violations.add(`authorization ${id} was answered as ${String(request.answer.body.transactionId)} but recorded as ${transactionById.get(id)}`);
      }
    }
    acknowledgedBeforeRetry = acknowledged;
    const distinct = await sql<{ n: number; ids: number }>`select count(*)::int as n, count(distinct network_id)::int as ids from card_transactions where company_id = ${company.id}`.execute(db);
    if (distinct.rows[0]!.n !== distinct.rows[0]!.ids) violations.add(`card_transactions holds ${distinct.rows[0]!.n} rows for ${distinct.rows[0]!.ids} network ids`);
    const ledger = await ledgerVerify(fleet);
    if (ledger.code !== 0) violations.add(`outlay ledger verify exited ${ledger.code}: ${ledger.output.slice(0, 400)}`);
    return {
      processes: 3,
      cycles: cycleCount,
      kill: 'SIGKILL of one server process under load, a new one started in its place',
      requests: sent.length,
      authorizations: sent.filter((request) => request.kind === 'authorization').length,
      clearings: sent.filter((request) => request.kind === 'clearing').length,
      acknowledged: acknowledgedBeforeRetry,
      unacknowledged_then_retried: retriedAnswered,
      retried,
      retry_answer_mismatches: retryMismatches,
      lost,
      duplicated,
      ledger_verify: ledger.output.split('\n')[0],
      violations: violations.all,
    };
  } finally {
    await closeFleet(fleet, servers);
  }
});
