// Several server processes on one database run each sweep's tick once between them, not once
// each. Three servers start on one database (on a PostgreSQL server: three pools, as three
// processes would have; on PGlite: its one connection, shared) with sweeps every few hundred
// milliseconds, and every run any of them made is counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { sweepNames } from '../../src/server/sweeps.js';
import { openTestDatabase, type TestDatabase } from '../../src/test-support/database.js';
import type { ScheduledRun } from '../../src/jobs/scheduled-work.js';
import { eventually } from '../../src/test-support/eventually.js';
import { testConfig } from '../../src/test-support/server.js';

const intervalMs = 300;
const ticksWanted = 3;
let database: TestDatabase;
const servers: RunningServer[] = [];
const runs: ScheduledRun[] = [];

/** What a second or third process would open: its own pool on a server, the shared PGlite otherwise. */
async function anotherProcessDatabase(): Promise<Database> {
  if (database.url) return openDatabase({ kind: 'postgres', url: database.url, poolSize: 5 });
  return { ...database, close: async () => undefined };
}

beforeAll(async () => {
  database = await openTestDatabase();
  const intervalsMs = Object.fromEntries(sweepNames.map((name) => [name, intervalMs]));
  for (let i = 0; i < 3; i += 1) {
    const own = i === 0 ? { ...database, close: async () => undefined } : await anotherProcessDatabase();
    // On a server, the config names it too, so each process also starts its live-events relay.
    const onServer = database.url ? { database: { kind: 'postgres' as const, url: database.url, poolSize: 5 } } : {};
    servers.push(
      await startServer(testConfig({ receipts: { ...testConfig().receipts, readers: 0 }, ...onServer }), {
        database: own,
        sweeps: { intervalsMs, processName: `server-${i}`, onSweepRun: (run) => runs.push(run) },
      }),
    );
  }
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await database?.close();
});

describe('sweeps across several processes', () => {
  it('runs each tick of each sweep exactly once in total, recording who ran it and how it ended', async () => {
    // Ticks from now on, when all three are up.
    const allUp = Date.now();
    const ticksSinceAllUp = (sweep: string) => runs.filter((run) => run.job === sweep && run.tick.getTime() >= allUp).length;
    await eventually(`${ticksWanted} ticks of every sweep`, async () => (sweepNames.every((sweep) => ticksSinceAllUp(sweep) >= ticksWanted) ? true : undefined));
    // Stopping waits for the runs under way, so every run made is counted below.
    for (const server of servers.splice(0)) await server.close();

    for (const sweep of sweepNames) {
      const ticks = runs.filter((run) => run.job === sweep).map((run) => run.tick.getTime());
      expect(ticksSinceAllUp(sweep), sweep).toBeGreaterThanOrEqual(ticksWanted);
      expect(new Set(ticks).size, `${sweep} ran a tick twice`).toBe(ticks.length);
    }
    expect(runs.every((run) => run.outcome === 'succeeded' && ['server-0', 'server-1', 'server-2'].includes(run.process))).toBe(true);

    const recorded = await database.db.selectFrom('scheduled_runs').select(['job', 'tick', 'process', 'outcome']).execute();
    const key = (sweep: string, tick: Date, process: string) => `${sweep} ${tick.toISOString()} ${process}`;
    expect(recorded.map((row) => key(row.job, row.tick, row.process)).sort()).toEqual(runs.map((run) => key(run.job, run.tick, run.process)).sort());
    expect(recorded.every((row) => row.outcome === 'succeeded')).toBe(true);
  });
});
