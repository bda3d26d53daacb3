// Periodic work (sweeps, purges) that exactly one server process runs per tick, however many
// share the database. Time is cut into ticks of the job's interval, counted on the injected
// clock; every process wakes at each tick and tries to claim it by inserting (job, tick) into
// scheduled_runs; the one whose insert succeeds runs the job, and the row records who ran it,
// how it ended and how long it took. The claim is a single statement outside any transaction,
// so it works on PGlite's one connection as on a PostgreSQL server.
//
// A run that fails is logged, recorded and reported; the next tick tries again. A process that
// dies mid-run leaves its tick unfinished: the next tick runs in some other process. A run
// still going when the next tick comes makes this process skip that tick (another may take it).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import type { JobLogger } from './job-queue.js';

export interface ScheduledJob {
  /** Unique among the jobs: the claim's key. */
  name: string;
  intervalMs: number;
  /** Does the work as of `now` (the clock read once for the tick). */
  run(now: Date): Promise<unknown>;
}

export type ScheduledRunOutcome = 'succeeded' | 'failed';

/** One run of a job, as the process that ran it reports it (for metrics and tests). */
export interface ScheduledRun {
  job: string;
  tick: Date;
  process: string;
  outcome: ScheduledRunOutcome;
  durationMs: number;
}

export interface ScheduleOptions {
  /** Names this process in scheduled_runs; a random one by default. */
  processName?: string;
  /** Told of each run this process made, after it is recorded. */
  onRun?: (run: ScheduledRun) => void;
}

/** An error's message as recorded, cut to this many characters. */
const runErrorLengthMax = 2_000;
/** The shortest wait between two looks at the clock, so a clock standing still (tests) does not spin. */
const wakeDelayMinMs = 10;

/** The start of the tick `now` falls in. */
export function tickOf(now: Date, intervalMs: number): Date {
  return new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
}

/** A name for this process that no other process has, even several servers in one test. */
function newProcessName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Inserts (job, tick); true when this process got it. */
async function claimTick(db: Db, job: string, tick: Date, processName: string, now: Date): Promise<boolean> {
  const claimed = await db
    .insertInto('scheduled_runs')
    .values({ job, tick, process: processName, started_at: now })
    .onConflict((oc) => oc.columns(['job', 'tick']).doNothing())
    .returning('job')
    .executeTakeFirst();
  return claimed !== undefined;
}

async function recordOutcome(db: Db, job: string, tick: Date, outcome: ScheduledRunOutcome, durationMs: number, error: unknown, now: Date): Promise<void> {
  const message = error === undefined ? null : (error instanceof Error ? error.message : String(error)).slice(0, runErrorLengthMax);
  await db
    .updateTable('scheduled_runs')
    .set({ outcome, duration_ms: Math.round(durationMs), finished_at: now, error: message })
    .where('job', '=', job)
    .where('tick', '=', tick)
    .execute();
}

/**
 * Starts each job's ticks in this process. The function returned stops them and waits for
 * the runs under way.
 */
export function startSchedule(db: Db, clock: Clock, jobs: readonly ScheduledJob[], logger: JobLogger, options: ScheduleOptions = {}): () => Promise<void> {
  const processName = options.processName ?? newProcessName();
  const timers = new Set<NodeJS.Timeout>();
  const underWay = new Set<Promise<void>>();
  let stopped = false;

  const lastTicks = new Map<string, number>();

  /** Runs the tick `now` falls in if this process claims it and has not tried it already. */
  const runTick = async (job: ScheduledJob): Promise<void> => {
    const now = clock.now();
    const tick = tickOf(now, job.intervalMs);
    if (lastTicks.get(job.name) === tick.getTime()) return;
    lastTicks.set(job.name, tick.getTime());
    if (!(await claimTick(db, job.name, tick, processName, now))) return;
    const started = performance.now();
    let outcome: ScheduledRunOutcome = 'succeeded';
    let failure: unknown;
    try {
      await job.run(now);
    } catch (error) {
      outcome = 'failed';
      failure = error;
      logger.error({ err: error, job: job.name, tick }, 'scheduled job failed');
    }
    const durationMs = performance.now() - started;
    await recordOutcome(db, job.name, tick, outcome, durationMs, failure, clock.now());
    options.onRun?.({ job: job.name, tick, process: processName, outcome, durationMs });
  };

  /** Wakes at the next tick. A wake a little early (timers may fire before the wall clock's
   * boundary) finds the tick it already tried and wakes again at the boundary; a test's clock
   * standing still is looked at once an interval, never in a tight loop. */
  const schedule = (job: ScheduledJob) => {
    if (stopped) return;
    const untilNextTick = job.intervalMs - (clock.now().getTime() % job.intervalMs);
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = runTick(job).catch((error: unknown) => logger.error({ err: error, job: job.name }, 'a scheduled tick could not be claimed or recorded'));
      underWay.add(run);
      // The next tick is planned once this one is done: a job never runs twice at once here.
      void run.finally(() => {
        underWay.delete(run);
        schedule(job);
      });
    }, Math.max(untilNextTick, wakeDelayMinMs));
    timer.unref();
    timers.add(timer);
  };

  for (const job of jobs) schedule(job);
  return async () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await Promise.allSettled([...underWay]);
  };
}

/** Runs recorded before `before`, deleted at most `limit` at a time; how many went. */
export async function purgeScheduledRuns(db: Db, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from scheduled_runs
    where (job, tick) in (select job, tick from scheduled_runs where tick < ${before} limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
