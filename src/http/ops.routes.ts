// Operator endpoints: liveness and readiness (database reachable, schema current). /metrics,
// guarded, is src/observability/metrics-endpoint.ts.
import type { Db } from '../db/database.js';
import { isDatabaseReachable } from '../db/database.js';
import { isSchemaCurrent } from '../db/migrate.js';
import type { FastifyInstance } from 'fastify';

export function opsRoutes(app: FastifyInstance, db: Db): void {
  const hide = { hide: true };
  app.get('/health', { schema: hide }, async () => ({ status: 'ok' }));

  app.get('/ready', { schema: hide }, async (_request, reply) => {
    const database = await isDatabaseReachable(db);
    const schema = database && (await isSchemaCurrent(db));
    const ready = database && schema;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: { database, schema } });
  });
}
