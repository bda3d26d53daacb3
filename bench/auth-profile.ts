// What the authorization benchmark watches while it runs, to say what limits throughput:
// the queries the in-process server sends and how long they and pool checkouts take, CPU
// of the server, the client and PostgreSQL, and what PostgreSQL's backends are doing.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';

/** Totals since the process started; subtract two snapshots for a window. */
export interface QueryCounters {
  queries: number;
  queryMs: number;
  checkouts: number;
  checkoutWaitMs: number;
}

const counters: QueryCounters = { queries: 0, queryMs: 0, checkouts: 0, checkoutWaitMs: 0 };
const uncounted = new WeakSet<object>();
/** Failed queries by SQLSTATE and message, e.g. "40P01 deadlock detected". */
const queryErrors: Record<string, number> = {};

export const snapshotFailures = (): Record<string, number> => ({ ...queryErrors });

export function failuresSince(before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(queryErrors)
      .map(([key, n]) => [key, n - (before[key] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

export const snapshotQueries = (): QueryCounters => ({ ...counters });

export function queriesSince(before: QueryCounters): QueryCounters {
  return {
    queries: counters.queries - before.queries,
    queryMs: counters.queryMs - before.queryMs,
    checkouts: counters.checkouts - before.checkouts,
    checkoutWaitMs: counters.checkoutWaitMs - before.checkoutWaitMs,
  };
}

/** A connection kept from the pool for longer than longHoldMs: what it ran first, and how
 * many statements. On PGlite, whose one connection everything shares, such a hold is a stall
 * of every other request. */
export interface ConnectionHold {
  ms: number;
  queries: number;
  first: string;
  at: number;
}

const longHoldMs = 100;
const longHoldsKept = 2_000;
const longHolds: ConnectionHold[] = [];
const openHolds = new WeakMap<object, { since: number; queries: number; first: string | null }>();

/** The longest holds that began at or after `since` (performance.now()), longest first. */
export function longestHoldsSince(since: number, count: number): ConnectionHold[] {
  return longHolds
    .filter((hold) => hold.at >= since)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((hold) => ({ ...hold, ms: Math.round(hold.ms), at: Math.round(hold.at) }));
}

function watchHold(client: { release?: (...args: unknown[]) => unknown }): void {
  const hold = { since: performance.now(), queries: 0, first: null as string | null };
  openHolds.set(client, hold);
  const release = client.release;
  if (typeof release !== 'function') return;
  client.release = function releaseWatched(this: unknown, ...args: unknown[]) {
    const ms = performance.now() - hold.since;
    if (ms >= longHoldMs && longHolds.length < longHoldsKept) longHolds.push({ ms, queries: hold.queries, first: hold.first ?? '', at: hold.since });
    openHolds.delete(client);
    client.release = release;
    return release.apply(this, args);
  };
}

function timed(promise: unknown, started: number, add: (ms: number) => void, failed?: (error: unknown) => void): void {
  if (promise instanceof Promise) {
    const done = () => add(performance.now() - started);
    promise.then(done, (error: unknown) => {
      done();
      failed?.(error);
    });
  }
}

function noteFailure(error: unknown): void {
  const { code, message } = error as { code?: string; message?: string };
  const key = `${code ?? '?'} ${(message ?? String(error)).slice(0, 100)}`;
  queryErrors[key] = (queryErrors[key] ?? 0) + 1;
}

/** A tally that is written to `file`, most frequent first, one count and key a line, as the
 * process exits; none without a file. */
function tallyWrittenAtExit(file: string | undefined): Map<string, number> | null {
  if (!file) return null;
  const tally = new Map<string, number>();
  process.on('exit', () => {
    const rows = [...tally].sort((a, b) => b[1] - a[1]).map(([text, count]) => `${count}\t${text}`);
    writeFileSync(file, `${rows.join('\n')}\n`);
  });
  return tally;
}

/** With OUTLAY_BENCH_STATEMENTS=FILE, every statement's first 140 characters are counted and
 * the tally, most frequent first, is written to FILE as the process exits: which statements a
 * workload's messages cost. */
const statementTally = tallyWrittenAtExit(process.env.OUTLAY_BENCH_STATEMENTS);

/**
 * Counts every query node-postgres sends (Kysely runs all of Outlay's SQL through it, on
 * PostgreSQL and on PGlite alike) and times pool checkouts. The server runs in this process,
 * so wrapping the prototypes sees all its queries without touching src/.
 */
export function countQueries(): void {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
    if (uncounted.has(this)) return query.apply(this, args);
    counters.queries++;
    const hold = openHolds.get(this);
    const text = () => String(typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: unknown } | undefined)?.text ?? '')).replace(/\s+/g, ' ');
    if (statementTally) {
      const key = text().slice(0, 140);
      statementTally.set(key, (statementTally.get(key) ?? 0) + 1);
    }
    if (hold) {
      hold.queries += 1;
      hold.first ??= text().slice(0, 160);
    }
    const result = query.apply(this, args);
    timed(result, performance.now(), (ms) => (counters.queryMs += ms), noteFailure);
    return result;
  } as typeof pg.Client.prototype.query;
  const connect = pg.Pool.prototype.connect as (...args: unknown[]) => unknown;
  pg.Pool.prototype.connect = function countedConnect(this: pg.Pool, ...args: unknown[]) {
    counters.checkouts++;
    const result = connect.apply(this, args);
    timed(result, performance.now(), (ms) => (counters.checkoutWaitMs += ms));
    if (result instanceof Promise) void result.then((client: { release?: (...args: unknown[]) => unknown }) => watchHold(client), () => undefined);
    return result;
  } as typeof pg.Pool.prototype.connect;
}

// --- CPU ------------------------------------------------------------------------------------

export interface CpuSnapshot {
  at: number;
  process: NodeJS.CpuUsage;
  machineBusyTicks: number;
  machineTotalTicks: number;
  postgresTicks: number;
}

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

function readMachineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = fields[3]! + fields[4]!;
  return { busy: total - idle, total };
}

/**
 * CPU of PostgreSQL: utime + stime of every process named postgres, plus the time of the
 * children they reaped (cutime + cstime): a backend that exits (the pool closes idle
 * connections) moves its time into the postmaster's, so the total keeps it.
 */
function readPostgresTicks(): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // the process ended while we looked
    }
  }
  return ticks;
}

export function snapshotCpu(): CpuSnapshot {
  const machine = readMachineTicks();
  return { at: performance.now(), process: process.cpuUsage(), machineBusyTicks: machine.busy, machineTotalTicks: machine.total, postgresTicks: readPostgresTicks() };
}

/** Percent of one core, except machine_busy_percent: percent of all cores. */
export function cpuSince(before: CpuSnapshot) {
  const after = snapshotCpu();
  const seconds = (after.at - before.at) / 1000;
  const used = process.cpuUsage(before.process);
  const ofOneCore = (cpuSeconds: number) => Math.round((cpuSeconds / seconds) * 1000) / 10;
  return {
    server_process_percent: ofOneCore((used.user + used.system) / 1e6),
    postgres_percent: ofOneCore((after.postgresTicks - before.postgresTicks) / ticksPerSecond),
    machine_busy_percent: Math.round(((after.machineBusyTicks - before.machineBusyTicks) / Math.max(1, after.machineTotalTicks - before.machineTotalTicks)) * 1000) / 10,
  };
}

// --- PostgreSQL backends --------------------------------------------------------------------

/**
 * With OUTLAY_BENCH_ACTIVITY=FILE, each sample also counts the statement every active backend
 * runs, with what it waits on and, for a wait on a lock, the state and statement of the
 * backends that block it; the tally, most frequent first, is written to FILE as the process
 * exits: where PostgreSQL's time goes, and who holds up whom.
 */
const activityTally = tallyWrittenAtExit(process.env.OUTLAY_BENCH_ACTIVITY);

/** A statement's text with its parameters and lists of them folded, so alike ones count as one. */
function statementShape(text: string | null): string {
  return (text ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\$\d+(::\w+(\[\])?)?/g, '$')
    .replace(/\((\$(, )?)+\)(, \((\$(, )?)+\))*/g, '(...)')
    .trim()
    .slice(0, 140);
}

/**
 * Samples what Outlay's connections are doing: running, waiting on a lock (and which),
 * waiting for I/O such as the WAL flush at commit, idle inside a transaction (PostgreSQL
 * waits for Node to send the next statement), or idle in the pool.
 */
export class BackendSampler {
  private readonly client: pg.Client;
  private readonly tally: Record<string, number> = {};
  private samples = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(url: string) {
    this.client = new pg.Client({ connectionString: url, application_name: 'outlay-bench-sampler' });
    uncounted.add(this.client);
  }

  async open(): Promise<void> {
    await this.client.connect();
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ what: string; n: string }>(`
        select case
                 when state = 'active' and wait_event_type is null then 'running'
                 when state = 'active' then wait_event_type || ':' || wait_event
                 else state
               end as what, count(*) as n
        from pg_stat_activity
        where datname = current_database() and application_name = 'outlay'
        group by 1`);
      this.samples++;
      for (const row of rows) this.tally[row.what] = (this.tally[row.what] ?? 0) + Number(row.n);
      if (activityTally) await this.sampleStatements(activityTally);
    } finally {
      this.busy = false;
    }
  }

  private async sampleStatements(tally: Map<string, number>): Promise<void> {
    const { rows } = await this.client.query<{ wait: string | null; query: string | null; blockers: string[] | null }>(`
      select a.wait_event_type || ':' || a.wait_event as wait, a.query,
             (select array_agg(b.state || ': ' || b.query) from pg_stat_activity b where b.pid = any(pg_blocking_pids(a.pid))) as blockers
      from pg_stat_activity a
      where a.datname = current_database() and a.application_name = 'outlay' and a.state = 'active'`);
    for (const row of rows) {
      const blockers = (row.blockers ?? []).map((blocker) => ` <- ${statementShape(blocker)}`).join('');
      const key = `${row.wait ?? 'running'}\t${statementShape(row.query)}${blockers}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
  }

  /** Average number of backends in each state over the samples, then resets. */
  stop(): Record<string, number> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const averages = Object.fromEntries(
      Object.entries(this.tally)
        .sort(([, a], [, b]) => b - a)
        .map(([what, n]) => [what, Math.round((n / Math.max(1, this.samples)) * 100) / 100]),
    );
    for (const key of Object.keys(this.tally)) delete this.tally[key];
    this.samples = 0;
    return averages;
  }

  async close(): Promise<void> {
    this.stop();
    await this.client.end();
  }
}
