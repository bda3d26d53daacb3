// Every request's work runs with its origin (client address and user agent) in reach, for the
// audit trail (shared/request-origin.ts). The address is Fastify's request.ip: the socket's
// peer, or behind a trusted proxy (OUTLAY_TRUST_PROXY) the client that proxy names.
import type { FastifyInstance } from 'fastify';
import { runWithOrigin } from '../shared/request-origin.js';

export function registerRequestOrigin(app: FastifyInstance): void {
  // A callback hook, so that `done` (and with it the rest of the request) runs inside the store.
  app.addHook('onRequest', (request, _reply, done) => {
    const userAgent = request.headers['user-agent'];
    runWithOrigin({ ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : null }, done);
  });
}
