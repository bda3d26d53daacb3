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
});
