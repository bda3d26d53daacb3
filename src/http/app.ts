// Assembles the HTTP application: plugins, hooks, OpenAPI, the web app, and the routes and
// authentication the composition root (src/server) hands in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { DestinationStream } from 'pino';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { registerRequestTracing } from '../observability/http-tracing.js';
import { logTraceFields } from '../observability/log-trace.js';
import { registerMetricsRoute } from '../observability/metrics-endpoint.js';
import { createServerMetrics, type AppMetrics } from '../observability/metrics.js';
import type { Clock } from '../shared/clock.js';
import { projectRoot } from '../shared/project-root.js';
import type { BlobStore } from '../storage/blob-store.js';
import { registerAuthentication, type Authenticator } from './authenticate.js';
import type { AppContext, RouteModule } from './context.js';
import { registerIdempotency } from './idempotency.js';
import { registerRequestOrigin } from './request-origin-hook.js';
import { opsRoutes } from './ops.routes.js';
import { redactLogFields, redactUrl, serializeRequest } from './log-redaction.js';
import { problemOf, routeParamLengthMax, sendProblem, sendRawProblem, toProblem } from './problem.js';
import { registerTextCheck } from './request-text.js';
import { registerSecurityHeaders, setSecurityHeaders } from './security-headers.js';
import { MoneySchema, ProblemSchema } from './schemas.js';
import { ajvPlugins } from './formats.js';

export const webRoot = path.join(projectRoot, 'dist', 'web');
const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** The instant this request happens at: the clock is read once, when it arrives. */
    now: Date;
  }
}

/** The outside world the routes reach besides the database. */
export interface AppServices {
  blobs: BlobStore;
  jobs: JobQueue;
  clock: Clock;
}

/** What the composition root hands in: who is calling, and every feature's routes. */
export interface AppWiring {
  authenticator: Authenticator;
  /** Where the log goes instead of standard output (tests read it back). */
  logStream?: DestinationStream;
  routes: readonly RouteModule[];
  /** The server's metrics with the collectors the root hands in; left out: the pool's only. */
  metrics?: AppMetrics;
}

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export async function buildApp(config: Config, database: Database, services: AppServices, wiring: AppWiring): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      mixin: logTraceFields,
      // Bearer tokens stay out of the log: in request URLs, and in any line's own fields.
      serializers: { req: serializeRequest },
      formatters: { log: redactLogFields },
      ...(wiring.logStream ? { stream: wiring.logStream } : {}),
    },
    bodyLimit: config.bodyBytesMax,
    // Fastify's default of 10 s for a plugin to load fails a start on a busy machine (two
    // servers seeding the demo in one process on 2 cores took longer in CI); a start that
    // truly hangs is still caught by /ready and the deploy's start-up probe.
    pluginTimeout: 60_000,
    routerOptions: { maxParamLength: routeParamLengthMax },
    // Errors Fastify raises before a route is found (a bad %-escape, a segment over
    // maxParamLength) answer problem+json as all others do. These answers skip the onSend
    // hooks, so they get their headers here.
    frameworkErrors: (error, request, reply) => {
      setSecurityHeaders(reply, request.url, config);
      return sendProblem(reply.header('x-request-id', request.id), toProblem(error, request));
    },
    // And so does a request Node's HTTP parser cannot read.
    clientErrorHandler: (error, socket) => sendRawProblem(socket, error),
    // Not `requestIdHeader`: with it Fastify takes any header value as is and calls genReqId
    // only when the header is missing, so a caller's id would skip the check below.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false }, plugins: ajvPlugins },
    // A number of hops: the nearest n addresses in X-Forwarded-For are proxies (Fastify's
    // types take the count only as a function, which proxy-addr calls with each hop's index).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
  });

  app.decorateRequest('now', null as unknown as Date);
  // First of all hooks: the request's span is entered before any other hook runs.
  registerRequestTracing(app, redactUrl);
  registerRequestOrigin(app);
  app.addHook('onRequest', async (request) => {
    request.now = services.clock.now();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  registerSecurityHeaders(app, config);
  registerTextCheck(app);
  app.addHook('onRoute', requireChangeInPatch);
  app.setErrorHandler((error, request, reply) => sendProblem(reply, toProblem(error, request)));

  await app.register(cookie);
  await registerOpenApi(app);
  app.addSchema(MoneySchema);
  app.addSchema(ProblemSchema);

  registerAuthentication(app, config, wiring.authenticator);
  registerIdempotency(app, database.db);
  const metrics = wiring.metrics ?? createServerMetrics({ poolUse: database.poolUse });
  metrics.observeRequests(app);
  // On a listener of its own (server.ts), /metrics is not on the public port at all.
  if (!config.observability.metricsListener) registerMetricsRoute(app, metrics, config.observability.metricsToken);

  const context: AppContext = { app, database, config, ...services };
  for (const routes of wiring.routes) routes(context);
  opsRoutes(app, database.db);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await registerWebApp(app);
  return app;
}

/**
 * A PATCH names what it changes: an empty body changes nothing, and some updates would
 * build an UPDATE with no SET at all. Every PATCH route's object body gets minProperties: 1,
 * so routes need not each remember it.
 */
function requireChangeInPatch(route: RouteOptions): void {
  const methods = [route.method].flat();
  const body = route.schema?.body as { type?: unknown; $ref?: unknown; minProperties?: number } | undefined;
  // A body named by reference (a shared component) is an object too; ajv applies the
  // keyword beside the $ref.
  const isObject = body?.type === 'object' || typeof body?.$ref === 'string';
  if (!methods.includes('PATCH') || !body || !isObject || body.minProperties !== undefined) return;
  route.schema!.body = { ...body, type: 'object', minProperties: 1 };
}

/** The OpenAPI document (/openapi.json) and its browsable form (/docs). */
async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Outlay API',
        version: '1',
        description:
          'Company spend: people, wallet, ledger. Amounts are decimal strings with an ISO 4217 currency. ' +
          'Errors are application/problem+json with a stable `code`. Send `Idempotency-Key` on POST to make retries safe.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer olk.…' },
          session: { type: 'apiKey', in: 'cookie', name: 'outlay_session', description: 'Browser session; writes also need the X-CSRF-Token header' },
          processorSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'Outlay-Signature',
            description: 'Card processor requests: t=<unix seconds>,v2=<hex HMAC-SHA256 of "<t>.<METHOD> <path?query>\\n<raw body>" with the shared secret> (v1=<hex HMAC-SHA256 of "<t>.<raw body>"> is still taken for POSTs); 5 minutes tolerance; during a rotation the previous secret is accepted too',
          },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    // Shared schemas are components named by their $id ("Person", not "def-3"): the web app's
    // generated types (npm run api:generate) refer to them by these names.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

/**
 * Files under assets/ carry a hash of their content in their name (Vite), so a browser may
 * keep them for a year; index.html names the current ones and is checked on every load.
 */
export function cachePolicyOf(filePath: string): string {
  const [top] = path.relative(webRoot, path.resolve(webRoot, filePath)).split(path.sep);
  return top === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** The built web app at /, any other page address answered with it, and problem+json for
 * anything else nobody serves. */
async function registerWebApp(app: FastifyInstance): Promise<void> {
  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      index: ['index.html'],
      // The build writes .br and .gz copies beside each asset; the smallest accepted is sent.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (response, filePath) => response.setHeader('cache-control', cachePolicyOf(filePath)),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage && hasWeb) return reply.header('cache-control', cachePolicyOf('index.html')).type('text/html').sendFile('index.html');
    if (wantsPage) return reply.type('text/html').send('<p>The web app is not built: run <code>npm run build</code>.</p>');
    return sendProblem(reply, problemOf('not_found', `${request.method} ${request.url.split('?')[0]} is not an Outlay endpoint`));
  });
}
