import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';

/** What route modules need: the database and the parsed configuration. */
export interface AppContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
}
