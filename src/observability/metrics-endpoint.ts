// Who may read /metrics. The page tells how many authorizations, declines and failures the
// business has, so in production it is either behind a bearer token on the public port or on
// a listener of its own (an internal address the scraper reaches), where it is the only route.
// With neither (development) it stays open on the public port.
import { timingSafeEqual, createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../shared/errors.js';
import type { ServerMetrics } from './metrics.js';

export const metricsPath = '/metrics';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares digests, so neither the token's length nor its first differing byte shows in the time taken. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** GET /metrics on the public port; with a token, only for `Authorization: Bearer <token>`. */
export function registerMetricsRoute(app: FastifyInstance, metrics: ServerMetrics, token: string | null): void {
  app.get(metricsPath, { schema: { hide: true } }, async (request, reply) => {
    if (token !== null && !bearerMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new DomainError('unauthenticated', 'the metrics need Authorization: Bearer with the metrics token');
    }
    return reply.header('content-type', metrics.contentType).send(await metrics.scrape());
  });
}

export interface MetricsListener {
  port: number;
  close(): Promise<void>;
}

/** A listener serving GET /metrics and nothing else. */
export async function startMetricsListener(address: { host: string; port: number }, metrics: ServerMetrics): Promise<MetricsListener> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== metricsPath || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('only GET /metrics is served here\n');
      return;
    }
    metrics.scrape().then(
      (text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(request.method === 'HEAD' ? undefined : text),
      () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('the metrics could not be read\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
