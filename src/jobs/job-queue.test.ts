import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { eventually } from '../test-support/eventually.js';
import { startJobQueue, type JobQueue, type QueueDefinition } from './job-queue.js';

const silent = { warn: () => undefined, error: () => undefined };
const slowQueue: QueueDefinition = { name: 'slow-test-work', retryLimit: 2, retryDelaySeconds: 1, expireInSeconds: 60 };

const unhandled: unknown[] = [];
const collect = (reason: unknown) => void unhandled.push(reason);

afterEach(() => {
  process.off('unhandledRejection', collect);
  unhandled.length = 0;
});

/** Two processes on one database, the first as one stuck or killed would be: its jobs hang
 * until the end and it never renews their leases (its renewal is an hour away); the second
 * judges a lease stale after a second. Runs `body`, then lets the hanging jobs end, stops
 * both and closes the database, and checks that no promise was left to reject unhandled. */
async function withStuckAndLiveProcesses(
  queues: readonly QueueDefinition[],
  body: (processes: { database: TestDatabase; first: JobQueue; second: JobQueue; hanging: Promise<void> }) => Promise<void>,
): Promise<void> {
  process.on('unhandledRejection', collect);
  const database = await openTestDatabase();
  let finish!: () => void;
  const hanging = new Promise<void>((resolve) => (finish = resolve));
  const first = await startJobQueue(database.db, silent, queues, { stopTimeoutMs: 1_000, leaseRenewMs: 3_600_000 });
  const second = await startJobQueue(database.db, silent, queues, { leaseRenewMs: 200, leaseStaleSeconds: 1 });
  try {
    await body({ database, first, second, hanging });
  } finally {
    finish();
    await second.stop();
    await first.stop();
    await database.close();
  }
  expect(unhandled).toEqual([]);
}

describe('job queue', () => {
  it('leaves a job that outlives stopping to be retried, without touching the closed database when it ends', async () => {
    process.on('unhandledRejection', collect);
    const database = await openTestDatabase();
    let closed = false;
    try {
      const queue = await startJobQueue(database.db, silent, [slowQueue], { stopTimeoutMs: 1_000 });
      let started = false;
      let finish!: (error: Error) => void;
      const running = new Promise<never>((_, reject) => {
        finish = reject;
      });
      running.catch(() => undefined);
      await queue.work<{ n: number }>(slowQueue, 1, async () => {
        started = true;
        await running;
      });
      await database.db.transaction().execute((trx) => queue.send(trx, slowQueue, { n: 1 }));
      queue.wake(slowQueue);
      await eventually('the job starts', async () => (started ? true : undefined));

      // Stopping gives up on the job after its timeout; the process then closes its pool.
      await queue.stop();
      await database.close();
      closed = true;

      // The job ends afterwards, failing as it would on the closed pool.
      finish(new Error('the pool is gone'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);
    } finally {
      if (!closed) await database.close();
    }
  });

  it('hands the job of a process that stopped renewing its lease to another process, which runs it again', async () => {
    await withStuckAndLiveProcesses([slowQueue], async ({ database, first, second, hanging }) => {
      const taken: number[] = [];
      await first.work<{ n: number }>(slowQueue, 1, async (_data, job) => {
        taken.push(job.retryCount);
        await hanging;
      });
      await database.db.transaction().execute((trx) => first.send(trx, slowQueue, { n: 7 }));
      first.wake(slowQueue);
      await eventually('the first process takes the job', async () => (taken.length === 1 ? true : undefined));
      const lease = await database.db.selectFrom('job_leases').selectAll().executeTakeFirstOrThrow();
      expect(lease.queue).toBe(slowQueue.name);

      // The second process only works the queue once the first holds the job.
      const ran: { n: number; retryCount: number }[] = [];
      await second.work<{ n: number }>(slowQueue, 1, async (data, job) => {
        ran.push({ n: data.n, retryCount: job.retryCount });
      });
      await eventually('the second process runs the job again', async () => (ran.length > 0 ? true : undefined));
      expect(ran).toEqual([{ n: 7, retryCount: 1 }]);
      // The first is still inside the job: the lease, not a stop, handed it over.
      expect(taken).toEqual([0]);
      await eventually('its lease is given up', async () => ((await database.db.selectFrom('job_leases').selectAll().execute()).length === 0 ? true : undefined));
    });
  });

  it('tells the queue\'s owner of a job whose last try ended with its process, and only of that one', async () => {
    const lastTry: QueueDefinition = { name: 'last-try-test-work', retryLimit: 0, retryDelaySeconds: 1, expireInSeconds: 60 };
    await withStuckAndLiveProcesses([lastTry, slowQueue], async ({ database, first, second, hanging }) => {
      const taken: number[] = [];
      await first.work<{ n: number }>(lastTry, 1, async (data) => {
        taken.push(data.n);
        await hanging;
      });
      await first.work<{ n: number }>(slowQueue, 1, async (data) => {
        taken.push(data.n);
        await hanging;
      });
      await database.db.transaction().execute(async (trx) => {
        await first.send(trx, lastTry, { n: 1 });
        await first.send(trx, slowQueue, { n: 2 });
      });
      first.wake(lastTry);
      first.wake(slowQueue);
      await eventually('the first process takes both jobs', async () => (taken.length === 2 ? true : undefined));
      const givenUp: { queue: string; n: number }[] = [];
      const ran: number[] = [];
      await second.work<{ n: number }>(lastTry, 1, async (data) => void ran.push(data.n), async (data) => void givenUp.push({ queue: lastTry.name, n: data.n }));
      await second.work<{ n: number }>(slowQueue, 1, async (data) => void ran.push(data.n), async (data) => void givenUp.push({ queue: slowQueue.name, n: data.n }));
      // The job with a try left runs again; the one without is given up, and its owner told.
      await eventually('the job with a try left runs again', async () => (ran.length > 0 ? true : undefined));
      await eventually('the job without one is given up', async () => (givenUp.length > 0 ? true : undefined));
      expect(ran).toEqual([2]);
      expect(givenUp).toEqual([{ queue: lastTry.name, n: 1 }]);
    });
  });

  it('judges no other process\'s lease before its own renewals have run unbroken for as long as a lease takes to go stale', async () => {
    const database = await openTestDatabase();
    try {
      // A lease last renewed long ago, as after an outage of the database that every process
      // lived through: a process just back must renew, not take jobs from the others.
      await database.db.insertInto('job_leases').values({ job_id: '00000000-0000-4000-8000-000000000001', queue: slowQueue.name, process: 'another', renewed_at: new Date(Date.now() - 3_600_000) }).execute();
      const queue = await startJobQueue(database.db, silent, [slowQueue], { leaseRenewMs: 100, leaseStaleSeconds: 2 });
      try {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(await database.db.selectFrom('job_leases').select('process').execute()).toEqual([{ process: 'another' }]);
        await eventually('the stale lease is judged', async () => ((await database.db.selectFrom('job_leases').selectAll().execute()).length === 0 ? true : undefined));
      } finally {
        await queue.stop();
      }
    } finally {
      await database.close();
    }
  });
});
