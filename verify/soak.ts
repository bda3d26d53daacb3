// verify:soak — the long form's hour of steady work. Three Outlay processes on a PostgreSQL
// cluster of the part's own (initdb's settings, autovacuum on as in any production; the
// machine's shared server runs without autovacuum for CI, and an hour of writes without it
// measures the bloat, not Outlay); first the closed loop finds how many card messages a second they answer
// at most, then an open loop sends authorizations and the clearings of those approved at half
// that rate, on a fixed schedule, for the soak's length (an hour by default; --minutes N).
// Every sample interval it records each process's resident memory, the database's connections,
// the work queued behind the answers (jobs waiting, purchases whose expense is not yet brought
// in step, webhook deliveries waiting) and the interval's latencies, measured from when each
// message was due, so a stall counts against every message it delays.
//
// After a warm-up, the steady part's last third must look like its first third: memory, the
// connections and the queues not growing past a bound, and p99 not more than doubling. No
// answer may be a 5xx or missing; afterwards every answered message is in the database exactly
// once and `outlay ledger verify` passes.
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';
import { networkId } from '../src/simulator/network-client.js';
import { kioskPurchase } from '../src/test-support/kiosk-purchase.js';
import type { ServerProcess } from '../src/test-support/server-process.js';
import { quantile } from '../bench/quantile.js';
import { CardLoad, checkRecorded, seedCardholders, sendAgain, type Sent } from './card-load.js';
import { flatness, type Sample } from './soak-flatness.js';
import { startPostgresSingle } from './postgres-pair.js';
import { closeFleet, ledgerVerify, networkOf, openFleetOn, startServers } from './server-fleet.js';
import { progress, runPart, Violations } from './verify-run.js';

const processCount = 3;
const cardCount = 40;
/** Senders of the closed loop that finds the maximum rate. */
const calibrationLanes = 16;
/** Messages the open loop lets wait for an answer at once; past it the run counts as overloaded. */
const inFlightMax = 2_000;
/** Of the answered messages, every this many is sent again at the end. */
const retriedAnsweredEvery = 50;

const { values: args } = parseArgs({ options: { minutes: { type: 'string' } }, strict: false });

async function residentBytes(server: ServerProcess): Promise<number> {
  const status = await readFile(`/proc/${server.child.pid}/status`, 'utf8').catch(() => '');
  const kilobytes = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kilobytes ? Number(kilobytes) * 1024 : 0;
}

async function countOf(db: Db, query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  return Number((await query.execute(db)).rows[0]?.n ?? 0);
}

/** Batches that failed as a whole so far in a process (authorizations and lifecycle messages),
 * from its /metrics: not judged, shown beside each sample to tell why latency moved. */
async function batchFailures(server: ServerProcess): Promise<number> {
  const text = await fetch(`${server.url}/metrics`).then((response) => (response.ok ? response.text() : ''), () => '');
  let total = 0;
  for (const match of text.matchAll(/^outlay_(?:authorization|network_event)_batch_failures_total (\d+)/gm)) total += Number(match[1]);
  return total;
}

/** The database's connections and the work waiting behind the answers. */
async function backlog(db: Db, companyId: string) {
  return {
    connections: await countOf(db, sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database()`),
    lockWaiting: await countOf(db, sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`),
    jobsWaiting: await countOf(db, sql<{ n: number }>`select count(*)::int as n from pgboss.job where state in ('created', 'retry')`),
    expensesBehind: await countOf(db, sql<{ n: number }>`select count(*)::int as n from card_transactions where company_id = ${companyId} and not expense_synced and state <> 'declined'`),
    webhooksWaiting: await countOf(db, sql<{ n: number }>`select count(*)::int as n from webhook_deliveries where company_id = ${companyId} and status = 'queued'`),
  };
}

/** Messages on a fixed schedule at `perSecond`: authorizations, and every third a clearing of an approval. */
class OpenLoop {
  readonly sent: (Sent & { dueAt: number })[] = [];
  inFlight = 0;
  overloaded = false;
  private readonly approved: { cardId: string; transactionId: string; amount: string }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private pending: Promise<void>[] = [];

  constructor(
    private readonly cardIds: string[],
    private readonly servers: ServerProcess[],
    private readonly send: (server: ServerProcess, sent: Sent) => Promise<Sent['answer']>,
  ) {}

  start(perSecond: number): void {
    const started = performance.now();
    let next = 0;
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
      for (; next < due; next++) {
        if (this.inFlight >= inFlightMax) {
          this.overloaded = true;
          continue;
        }
        this.pending.push(this.one(next, started + (next / perSecond) * 1000));
      }
      if (this.pending.length > 10_000) this.pending = [Promise.all(this.pending).then(() => undefined)];
    }, 5);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.pending);
  }

  private async one(turn: number, dueAt: number): Promise<void> {
    const clearing = turn % 3 === 2 ? this.approved.shift() : undefined;
    const request: Sent & { dueAt: number } = clearing
      ? { kind: 'clearing', payload: { id: networkId('clr'), type: 'clearing', cardId: clearing.cardId, transactionId: clearing.transactionId, amount: clearing.amount, currency: 'EUR' }, answer: null, sentAt: performance.now(), answeredAt: 0, dueAt }
      : { kind: 'authorization', payload: kioskPurchase(this.cardIds[turn % this.cardIds.length]!, 100 + (turn % 900)), answer: null, sentAt: performance.now(), answeredAt: 0, dueAt };
    this.sent.push(request);
    this.inFlight++;
    request.answer = await this.send(this.servers[turn % this.servers.length]!, request).catch(() => null);
    request.answeredAt = performance.now();
    this.inFlight--;
    if (request.kind === 'authorization' && request.answer?.status === 200 && request.answer.body.approved === true) {
      this.approved.push({ cardId: String(request.payload.cardId), transactionId: String(request.payload.id), amount: String(request.payload.amount) });
    }
  }
}

await runPart('soak', async ({ short }) => {
  const minutes = args.minutes !== undefined ? Number(args.minutes) : short ? 1 : 60;
  if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
  const seconds = minutes * 60;
  const sampleSeconds = seconds >= 600 ? 60 : Math.max(5, Math.round(seconds / 12));
  const violations = new Violations();
  const own = await startPostgresSingle();
  const servers: ServerProcess[] = [];
  try {
    const fleet = await openFleetOn(own);
    try {
      const db = fleet.database.db;
      const autovacuum = (await sql<{ autovacuum: string }>`show autovacuum`.execute(db)).rows[0]?.autovacuum ?? 'unknown';
      const { companyId, cardIds } = await seedCardholders(db, fleet.encryptionKey, 'Soak Co', cardCount);
      progress(`  soak: ${cardCount} cards issued; starting ${processCount} processes`);
      servers.push(...(await startServers(fleet, processCount)));
      const network = (server: ServerProcess) => networkOf(fleet, server);
      const send = (server: ServerProcess, request: Sent) => (request.kind === 'clearing' ? network(server).event(request.payload) : network(server).authorize(request.payload));

      // The maximum: a closed loop, after a few seconds of warming up.
      const calibration = new CardLoad(cardIds, servers, network);
      calibration.start(calibrationLanes);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const from = calibration.acknowledged;
      const calibrationSeconds = short ? 10 : 30;
      await new Promise((resolve) => setTimeout(resolve, calibrationSeconds * 1000));
      const maximum = (calibration.acknowledged - from) / calibrationSeconds;
      await calibration.stop();
      const rate = Math.max(1, maximum / 2);
      progress(`  soak: at most ${maximum.toFixed(0)} messages/s; ${minutes} min at ${rate.toFixed(0)}/s`);

      const load = new OpenLoop(cardIds, servers, send);
      const started = performance.now();
      load.start(rate);
      const samples: (Sample & { lockWaiting: number; batchFailures: number })[] = [];
      let sampled = 0;
      while (performance.now() - started < seconds * 1000) {
        await new Promise((resolve) => setTimeout(resolve, sampleSeconds * 1000));
        const window = load.sent.slice(sampled).filter((request) => request.answeredAt > 0);
        sampled += window.length;
        const latencies = window.map((request) => request.answeredAt - request.dueAt).sort((a, b) => a - b);
        const sample = {
          atSeconds: Math.round((performance.now() - started) / 1000),
          rssBytes: await Promise.all(servers.map(residentBytes)),
          batchFailures: (await Promise.all(servers.map(batchFailures))).reduce((sum, count) => sum + count, 0),
          ...(await backlog(db, companyId)),
          messages: window.length,
          p50Ms: Math.round(quantile(latencies, 0.5) * 10) / 10,
          p99Ms: Math.round(quantile(latencies, 0.99) * 10) / 10,
        };
        samples.push(sample);
        progress(`  soak: ${sample.atSeconds} s, ${sample.messages} answered, p99 ${sample.p99Ms} ms, rss ${sample.rssBytes.map((bytes) => Math.round(bytes / 1048576)).join('/')} MiB, ${sample.connections} connections (${sample.lockWaiting} waiting on a lock), queued ${sample.jobsWaiting + sample.expensesBehind + sample.webhooksWaiting}, ${sample.batchFailures} batches failed so far`);
      }
      await load.stop();
      if (load.overloaded) violations.add(`more than ${inFlightMax} messages waited for an answer at once: half the maximum rate was more than the processes kept up with`);
      for (const request of load.sent) {
        if (request.answer === null) violations.add(`${request.kind} ${String(request.payload.id)} got no answer`);
        else if (request.answer.status >= 500) violations.add(`${request.kind} ${String(request.payload.id)} was answered ${request.answer.status}`);
      }
      const figures = flatness(samples, violations);
      const again = await sendAgain(load.sent, network(servers[0]!), retriedAnsweredEvery, violations);
      const { lost, duplicated } = await checkRecorded(db, companyId, load.sent, violations);
      const ledger = await ledgerVerify(fleet);
      if (ledger.code !== 0) violations.add(`outlay ledger verify exited ${ledger.code}: ${ledger.output.slice(0, 400)}`);
      return {
        database: `a PostgreSQL cluster of the part's own on port ${own.port}, autovacuum ${autovacuum}`,
        processes: processCount,
        minutes,
        maximum_messages_per_second: Math.round(maximum * 10) / 10,
        rate_messages_per_second: Math.round(rate * 10) / 10,
        requests: load.sent.length,
        authorizations: load.sent.filter((request) => request.kind === 'authorization').length,
        clearings: load.sent.filter((request) => request.kind === 'clearing').length,
        ...figures,
        samples: samples.map((sample) => ({ ...sample, rssBytes: undefined, rss_mib: sample.rssBytes.map((bytes) => Math.round(bytes / 1048576)) })),
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
  } finally {
    own.close();
  }
});
