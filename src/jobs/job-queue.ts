// Background jobs on pg-boss, over the same database connection pool as everything else, so
// they work the same on PGlite and on a PostgreSQL server. A job is enqueued in the database
// transaction of the change that needs it: if that change rolls back, the job never existed;
// if it commits, the job is there even when the process dies right after. A job taken is
// leased to its process (job_leases), which renews the lease while the job runs; when a
// process dies mid-job, another one hands the job back to the queue once the lease is stale,
// so it runs again within a minute rather than after the queue's expiry.
import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { Db } from '../db/database.js';
import { tracedJobs, withTraceContext } from '../observability/job-tracing.js';
import { recordJobFailure } from '../observability/metrics.js';

export interface JobLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface QueueDefinition {
  name: string;
  /** How often a failed job is tried again before it stays failed. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** A job still running after this long counts as failed (and is retried). */
  expireInSeconds: number;
}

export type JobHandler<Data> = (data: Data, job: { id: string; retryCount: number; retryLimit: number }) => Promise<void>;

/** Told of a job that will not run again because the process running its last try stopped
 * (killed, or stuck past its lease): what the handler would have recorded on its last failure
 * is left to this. It must not throw; the owner's sweeps are the net behind it. */
export type JobGaveUp<Data> = (data: Data) => Promise<void>;

export interface JobQueue {
  /** Enqueues a job inside the caller's transaction. */
  send<Data extends object>(trx: Db, queue: QueueDefinition, data: Data): Promise<void>;
  /** Tells this process's idle workers of the queue to look now (after the sending transaction committed). */
  wake(queue: QueueDefinition): void;
  /** Starts `concurrency` workers for the queue in this process; `gaveUp` is told of a job
   * whose last try ended with its process (see JobGaveUp). */
  work<Data extends object>(queue: QueueDefinition, concurrency: number, handler: JobHandler<Data>, gaveUp?: JobGaveUp<Data>): Promise<void>;
  stop(): Promise<void>;
}

/** pg-boss's own tables live in this schema, apart from Outlay's. */
export const jobSchema = 'pgboss';
/** How often an idle worker looks for new jobs; jobs sent from this process wake it at once. */
export const jobPollIntervalSeconds = 2;
/** How long stopping waits for running jobs to finish before leaving them to be retried. */
export const jobStopTimeoutMs = 10_000;

function executorOf(db: Db): PgBoss.Db {
  return {
    executeSql: async (text, values) => ({ rows: (await db.executeQuery(CompiledQuery.raw(text, values ?? []))).rows as unknown[] }),
  };
}

/**
 * The queue's own executor, which stops reaching the database once the queue has stopped. A
 * job still running when stopping gave up on it finishes later, after its process has closed
 * the pool; pg-boss would then record its outcome without waiting for the answer, and the
 * refused query would surface as an unhandled rejection. Such a late write is never made
 * (its promise never settles). pg-boss's stop has already put the job back in its queue
 * (failed, to be retried), so a running process tries it again.
 */
function closableExecutorOf(db: Db): { executor: PgBoss.Db; close(): void } {
  let closed = false;
  const open = executorOf(db);
  return {
    executor: { executeSql: (text, values) => (closed ? new Promise<never>(() => undefined) : open.executeSql(text, values)) },
    close: () => void (closed = true),
  };
}

/** How often a process renews the leases of the jobs it runs, and looks for stale ones. */
export const jobLeaseRenewMs = 10_000;
/** A lease not renewed for this long belongs to a process that is gone (or stalled for
 * several renewals); its job goes back to the queue. */
export const jobLeaseStaleSeconds = 45;

export interface JobQueueOptions {
  /** How long stopping waits for running jobs; at least one second (pg-boss's floor). */
  stopTimeoutMs?: number;
  /** Overrides jobLeaseRenewMs and jobLeaseStaleSeconds (tests). */
  leaseRenewMs?: number;
  leaseStaleSeconds?: number;
}

/**
 * The leases of this process's running jobs: taken before a handler runs, given up after it,
 * renewed together on a timer, which also hands the jobs of stale leases (their process
 * died) back to the queue. pg-boss's fail puts such a job up for retry after the queue's
 * delay, counting the attempt, or fails it when it has no retry left.
 *
 * A process looks for stale leases only once it has itself renewed without a break for as
 * long as a lease takes to go stale: after an outage of the database, every process renews
 * its own leases before any may judge another's, so the jobs of live processes are not taken
 * from them. A stale lease is deleted and its job failed in one transaction, and only a job
 * still active is failed (one the queue retried meanwhile is left to its retry).
 */
class JobLeases {
  readonly process = randomUUID();
  private running = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** When this process's unbroken run of successful renewals began (performance.now()). */
  private connectedSince: number | null = null;
  /** Per queue, who is told of a job whose last try a stale lease ended. */
  readonly gaveUp = new Map<string, JobGaveUp<object>>();

  constructor(
    private readonly db: Db,
    private readonly boss: PgBoss,
    private readonly logger: JobLogger,
    private readonly renewMs: number,
    private readonly staleSeconds: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.renewMs);
    this.timer.unref();
  }

  /**
   * Stops renewing and gives up this process's leases: pg-boss's stop has by then put the
   * jobs that outlived it back in their queue, and a job that ends later writes nothing.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.db.deleteFrom('job_leases').where('process', '=', this.process).execute().catch((error: unknown) => this.logger.warn({ err: error }, 'could not give up job leases'));
  }

  /** Takes the job's lease; a job whose lease could not be written runs all the same, under
   * the queue's expiry alone. Returns whether it was taken. */
  async take(jobId: string, queue: string): Promise<boolean> {
    try {
      await this.db
        .insertInto('job_leases')
        .values({ job_id: jobId, queue, process: this.process })
        .onConflict((conflict) => conflict.column('job_id').doUpdateSet({ queue, process: this.process, taken_at: sql<Date>`now()`, renewed_at: sql<Date>`now()` }))
        .execute();
      this.running += 1;
      return true;
    } catch (error) {
      this.logger.warn({ err: error, queue, job: jobId }, 'could not take a job lease');
      return false;
    }
  }

  async release(jobId: string): Promise<void> {
    this.running -= 1;
    if (this.stopped) return;
    await this.db.deleteFrom('job_leases').where('job_id', '=', jobId).where('process', '=', this.process).execute();
  }

  /** Renews this process's leases, then returns the jobs of stale ones to their queues;
   * answers how many it returned. */
  async tick(): Promise<number> {
    if (this.stopped) return 0;
    try {
      await this.db.updateTable('job_leases').set({ renewed_at: sql<Date>`now()` }).where('process', '=', this.process).execute();
      this.connectedSince ??= performance.now();
    } catch (error) {
      // The database may be restarting; the next tick tries again.
      this.connectedSince = null;
      this.logger.warn({ err: error }, 'could not renew job leases');
      return 0;
    }
    if (performance.now() - this.connectedSince < this.staleSeconds * 1000) return 0;
    try {
      return await this.reclaimStale();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not hand back the jobs of stale leases');
      return 0;
    }
  }

  private async reclaimStale(): Promise<number> {
    const reclaimed = await this.db.transaction().execute(async (trx) => {
      const stale = await trx
        .deleteFrom('job_leases')
        .where('renewed_at', '<', sql<Date>`now() - make_interval(secs => ${this.staleSeconds})`)
        .returning(['job_id', 'queue'])
        .execute();
      if (stale.length === 0) return { failed: [], ended: [] };
      const active = await sql<{ id: string }>`
        select id::text as id from ${sql.table(`${jobSchema}.job`)}
        where id = any(${stale.map((lease) => lease.job_id)}::uuid[]) and state = 'active'`.execute(trx);
      const activeIds = new Set(active.rows.map((row) => row.id));
      const failed = stale.filter((lease) => activeIds.has(lease.job_id));
      for (const lease of failed) {
        await this.boss.fail(lease.queue, lease.job_id, { message: 'the process running the job stopped renewing its lease' }, { db: executorOf(trx) });
      }
      // Those that had no try left stay failed: their owners hear of them after the commit.
      const ended = failed.length === 0 ? { rows: [] } : await sql<{ id: string; name: string; data: object }>`
        select id::text as id, name, data from ${sql.table(`${jobSchema}.job`)}
        where id = any(${failed.map((lease) => lease.job_id)}::uuid[]) and state = 'failed'`.execute(trx);
      return { failed, ended: ended.rows };
    });
    if (reclaimed.failed.length > 0) this.logger.warn({ jobs: reclaimed.failed.map((lease) => `${lease.queue}/${lease.job_id}`) }, 'jobs of a process that stopped answering go back to their queue');
    for (const job of reclaimed.ended) {
      this.logger.warn({ queue: job.name, job: job.id }, 'a job whose last try ended with its process will not run again');
      await this.gaveUp.get(job.name)?.(job.data).catch((error: unknown) => this.logger.error({ err: error, queue: job.name, job: job.id }, 'could not record a job given up'));
    }
    return reclaimed.failed.length;
  }
}

/**
 * Starts pg-boss (creating or upgrading its schema) and the given queues. Queues are made
 * here, up front: making one later, inside a caller's transaction, would need a second
 * connection, which PGlite's single connection cannot give.
 */
export async function startJobQueue(db: Db, logger: JobLogger, queues: readonly QueueDefinition[], options: JobQueueOptions = {}): Promise<JobQueue> {
  const own = closableExecutorOf(db);
  const boss = new PgBoss({ db: own.executor, schema: jobSchema, migrate: true, supervise: true, schedule: false });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  await boss.start();
  const workerIds = new Map<string, string[]>();
  for (const queue of queues) {
    // createQueue leaves an existing queue as it is; its options apply to the jobs sent to it.
    await boss.createQueue(queue.name, {
      name: queue.name,
      retryLimit: queue.retryLimit,
      retryDelay: queue.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: queue.expireInSeconds,
    });
  }
  const leases = new JobLeases(db, boss, logger, options.leaseRenewMs ?? jobLeaseRenewMs, options.leaseStaleSeconds ?? jobLeaseStaleSeconds);
  leases.start();
  const known = new Set(queues.map((queue) => queue.name));
  const ensureQueue = (queue: QueueDefinition) => {
    if (!known.has(queue.name)) throw new Error(`job queue ${queue.name} was not declared at start`);
  };

  return {
    async send(trx, queue, data) {
      ensureQueue(queue);
      await boss.send(queue.name, withTraceContext(data), { db: executorOf(trx) });
    },
    wake(queue) {
      // Other processes find the job on their next poll.
      for (const id of workerIds.get(queue.name) ?? []) boss.notifyWorker(id);
    },
    async work(queue, concurrency, handler, gaveUp) {
      ensureQueue(queue);
      if (gaveUp) leases.gaveUp.set(queue.name, gaveUp as JobGaveUp<object>);
      const ids: string[] = [];
      for (let i = 0; i < concurrency; i += 1) {
        ids.push(
          await boss.work<object>(queue.name, { batchSize: 1, pollingIntervalSeconds: jobPollIntervalSeconds, includeMetadata: true }, tracedJobs(queue.name, async ([job]) => {
            if (!job) return;
            const leased = await leases.take(job.id, queue.name);
            try {
              await handler(job.data as never, { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit });
            } catch (error) {
              recordJobFailure(queue.name);
              logger.warn({ err: error, queue: queue.name, job: job.id, retry: job.retryCount }, 'job failed');
              throw error;
            } finally {
              if (leased) await leases.release(job.id).catch((error: unknown) => logger.warn({ err: error, queue: queue.name, job: job.id }, 'could not give up a job lease'));
            }
          })),
        );
      }
      workerIds.set(queue.name, [...(workerIds.get(queue.name) ?? []), ...ids]);
    },
    async stop() {
      try {
        await boss.stop({ graceful: true, wait: true, timeout: options.stopTimeoutMs ?? jobStopTimeoutMs, close: false });
      } finally {
        await leases.stop();
        own.close();
      }
    },
  };
}
