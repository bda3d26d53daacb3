import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Clock } from '../shared/clock.js';
import type { BlobStore } from '../storage/blob-store.js';

/** What route modules need: the database, the parsed configuration, where files are kept,
 * the background job queue and the clock. */
export interface AppContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
  blobs: BlobStore;
  jobs: JobQueue;
  clock: Clock;
}

/** Registers one feature's routes; the composition root (src/server) lists them. */
export type RouteModule = (context: AppContext) => void;
