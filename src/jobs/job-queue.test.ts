import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test-support/database.js';
import { eventually } from '../test-support/eventually.js';
import { startJobQueue, type QueueDefinition } from './job-queue.js';

const silent = { warn: () => undefined, error: () => undefined };
const slowQueue: QueueDefinition = { name: 'slow-test-work', retryLimit: 2, retryDelaySeconds: 1, expireInSeconds: 60 };

const unhandled: unknown[] = [];
const collect = (reason: unknown) => void unhandled.push(reason);

afterEach(() => {
  process.off('unhandledRejection', collect);
  unhandled.length = 0;
});

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
    process.on('unhandledRejection', collect);
    const database = await openTestDatabase();
    let hang!: (error: Error) => void;
    try {
      // The first process takes the job and then stops answering: its job never ends and its
      // lease is no longer renewed (stopping gives up on the job, as a kill would).
      const first = await startJobQueue(database.db, silent, [slowQueue], { stopTimeoutMs: 1_000 });
      const taken: { process: string; retryCount: number }[] = [];
      await first.work<{ n: number }>(slowQueue, 1, async (_data, job) => {
        taken.push({ process: 'first', retryCount: job.retryCount });
        await new Promise<never>((_, reject) => (hang = reject)).catch(() => undefined);
      });
      await database.db.transaction().execute((trx) => first.send(trx, slowQueue, { n: 7 }));
      first.wake(slowQueue);
      await eventually('the first process takes the job', async () => (taken.length === 1 ? true : undefined));
      const lease = await database.db.selectFrom('job_leases').selectAll().executeTakeFirstOrThrow();
      expect(lease.queue).toBe(slowQueue.name);
      await first.stop();

      const second = await startJobQueue(database.db, silent, [slowQueue], { leaseRenewMs: 200, leaseStaleSeconds: 1 });
      try {
        const ran: { n: number; retryCount: number }[] = [];
        await second.work<{ n: number }>(slowQueue, 1, async (data, job) => {
          ran.push({ n: data.n, retryCount: job.retryCount });
        });
        await eventually('the second process runs the job again', async () => (ran.length > 0 ? true : undefined));
        expect(ran).toEqual([{ n: 7, retryCount: 1 }]);
        await eventually('its lease is given up', async () => ((await database.db.selectFrom('job_leases').selectAll().execute()).length === 0 ? true : undefined));
      } finally {
        await second.stop();
      }
      hang(new Error('over'));
      expect(unhandled).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
