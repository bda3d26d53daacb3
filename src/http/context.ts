import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { BlobStore } from '../storage/blob-store.js';

/** What route modules need: the database, the parsed configuration, where files are kept
 * and the background job queue. */
export interface AppContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
  blobs: BlobStore;
  jobs: JobQueue;
}
