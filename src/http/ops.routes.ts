// Operator endpoints: liveness and readiness (database reachable, schema current). /metrics,
// guarded, is src/observability/metrics-endpoint.ts.
import type { Db } from '../db/database.js';
import { isDatabaseReachable } from '../db/database.js';
import { readMigrations, schemaState } from '../db/migrate.js';
import type { FastifyInstance } from 'fastify';

export function opsRoutes(app: FastifyInstance, db: Db): void {
  const hide = { hide: true };
  // Read once: probes come every few seconds, and the files do not change under a process.
  const known = readMigrations();
  app.get('/health', { schema: hide }, async () => ({ status: 'ok' }));

  app.get('/ready', { schema: hide }, async (_request, reply) => {
    const database = await isDatabaseReachable(db);
    const schema = database ? await schemaState(db, known) : null;
    // A schema ahead by expand steps only is one this process runs on: during a rolling deploy
    // the old processes keep serving until the new ones are up.
    const schemaOk = schema?.state === 'current' || schema?.state === 'ahead';
    const ready = database && schemaOk;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: { database, schema: schemaOk, schemaState: schema?.state ?? 'unknown' } });
  });
}
