// A server span per HTTP request, named by its route template ("GET /api/v1/cards/:id"), the
// child of a caller's W3C traceparent when one is sent. Fastify's hooks cannot wrap the rest
// of a request, so the span's context is entered in onRequest, where the rest of the request
// continues, and again in preValidation and preHandler, so that nothing run in between (the
// body is read from the socket's events) can leave the handler, its SQL, the jobs it sends and
// its log lines outside the request's span.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { rememberLoggerTrace } from './log-trace.js';
import { isTracing, tracer } from './tracing.js';

interface RequestTrace {
  span: Span;
  context: Context;
}

const requestTraces = new WeakMap<FastifyRequest, RequestTrace>();

/** How a request's path is written in url.path: with its secrets replaced (the HTTP layer
 * knows which parts of a URL are tokens, and hands its rule in). */
export type RedactPath = (path: string) => string;

function startRequestSpan(request: FastifyRequest, redactPath: RedactPath): RequestTrace {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const route = request.routeOptions.url;
  const span = tracer().startSpan(`${request.method} ${route ?? 'unmatched'}`, {
    kind: SpanKind.SERVER,
    attributes: { [ATTR_HTTP_REQUEST_METHOD]: request.method, [ATTR_URL_PATH]: redactPath(request.url.split('?')[0] ?? ''), ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}) },
  }, parent);
  const { traceId, spanId } = span.spanContext();
  rememberLoggerTrace(request.log, { traceId, spanId });
  return { span, context: trace.setSpan(parent, span) };
}

export function registerRequestTracing(app: FastifyInstance, redactPath: RedactPath): void {
  const enter = (request: FastifyRequest, _reply: unknown, done: () => void) => {
    const found = requestTraces.get(request);
    if (found) context.with(found.context, done);
    else done();
  };
  app.addHook('onRequest', (request, _reply, done) => {
    if (!isTracing()) return done();
    const started = startRequestSpan(request, redactPath);
    requestTraces.set(request, started);
    context.with(started.context, done);
  });
  app.addHook('preValidation', enter);
  app.addHook('preHandler', enter);
  app.addHook('onError', (request, _reply, error, done) => {
    requestTraces.get(request)?.span.recordException(error);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const found = requestTraces.get(request);
    if (found) {
      found.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      // A 4xx is the caller's mistake, not the server's (OpenTelemetry's HTTP server conventions).
      if (reply.statusCode >= 500) found.span.setStatus({ code: SpanStatusCode.ERROR });
      found.span.end();
      requestTraces.delete(request);
    }
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    const found = requestTraces.get(request);
    if (found) {
      found.span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection' });
      found.span.end();
      requestTraces.delete(request);
    }
    done();
  });
}
