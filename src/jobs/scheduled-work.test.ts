import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../test-support/clock.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { eventually } from '../test-support/eventually.js';
import { purgeScheduledRuns, startSchedule, tickOf, type ScheduledJob, type ScheduledRun } from './scheduled-work.js';

const intervalMs = 50;
const silent = { warn: () => undefined, error: () => undefined };
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

async function recorded(job: string) {
  return database.db.selectFrom('scheduled_runs').selectAll().where('job', '=', job).orderBy('tick').execute();
}

describe('scheduled work', () => {
  it('runs each tick once however many schedules share the database, and not again while the clock stands still', async () => {
    const clock = new ManualClock(new Date('2030-01-01T00:00:00.000Z'));
    const runs: ScheduledRun[] = [];
    const worked: string[] = [];
    const job: ScheduledJob = { name: 'shared-tick', intervalMs, run: async (now) => void worked.push(now.toISOString()) };
    const stops = ['a', 'b', 'c'].map((name) => startSchedule(database.db, clock, [job], silent, { processName: name, onRun: (run) => runs.push(run) }));
    try {
      for (let tick = 1; tick <= 3; tick += 1) {
        clock.advance(intervalMs);
        await eventually(`tick ${tick}`, async () => (runs.length >= tick ? true : undefined));
      }
      // Several wakes of all three schedules at each clock position: still one run per tick.
      await new Promise((resolve) => setTimeout(resolve, intervalMs * 4));
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
    expect(runs).toHaveLength(3);
    expect(worked).toHaveLength(3);
    expect(new Set(runs.map((run) => run.tick.getTime())).size).toBe(3);
    const rows = await recorded('shared-tick');
    expect(rows.map((row) => row.tick.getTime())).toEqual(runs.map((run) => run.tick.getTime()).sort((a, b) => a - b));
    expect(rows.every((row) => row.outcome === 'succeeded' && row.finished_at !== null && ['a', 'b', 'c'].includes(row.process))).toBe(true);
  });

  it('records a failed run and runs the next tick again', async () => {
    const clock = new ManualClock(new Date('2030-02-01T00:00:00.000Z'));
    const runs: ScheduledRun[] = [];
    let attempts = 0;
    const job: ScheduledJob = {
      name: 'fails-once',
      intervalMs,
      run: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('the bank did not answer');
      },
    };
    const errors: string[] = [];
    const stop = startSchedule(database.db, clock, [job], { ...silent, error: (_details, message) => void errors.push(message) }, { onRun: (run) => runs.push(run) });
    try {
      clock.advance(intervalMs);
      await eventually('the failed run', async () => (runs.length >= 1 ? true : undefined));
      clock.advance(intervalMs);
      await eventually('the next run', async () => (runs.length >= 2 ? true : undefined));
    } finally {
      await stop();
    }
    expect(runs.map((run) => run.outcome)).toEqual(['failed', 'succeeded']);
    expect(errors).toContain('scheduled job failed');
    const rows = await recorded('fails-once');
    expect(rows.map((row) => [row.outcome, row.error])).toEqual([
      ['failed', 'the bank did not answer'],
      ['succeeded', null],
    ]);
  });

  it('purges the record of runs before a time, in bounded batches', async () => {
    const old = tickOf(new Date('2020-01-01T00:00:00.000Z'), intervalMs);
    for (let i = 0; i < 3; i += 1) {
      await database.db.insertInto('scheduled_runs').values({ job: 'old-job', tick: new Date(old.getTime() + i * intervalMs), process: 'x', started_at: old }).execute();
    }
    await database.db.insertInto('scheduled_runs').values({ job: 'old-job', tick: new Date('2029-01-01T00:00:00.000Z'), process: 'x', started_at: old }).execute();
    expect(await purgeScheduledRuns(database.db, new Date('2025-01-01T00:00:00.000Z'), 2)).toBe(2);
    expect(await purgeScheduledRuns(database.db, new Date('2025-01-01T00:00:00.000Z'), 2)).toBe(1);
    expect((await recorded('old-job')).map((row) => row.tick.toISOString())).toEqual(['2029-01-01T00:00:00.000Z']);
  });
});
