// The trace and span ids in log lines: a pino mixin reads the active span, so a line written
// anywhere under a request's or a job's span names it. Fastify writes "request completed"
// after the request's span context is gone; the request's logger remembers the ids for it.
import { context, trace } from '@opentelemetry/api';
import { isTracing } from './tracing.js';

export interface TraceFields {
  traceId: string;
  spanId: string;
}

const loggerTraces = new WeakMap<object, TraceFields>();

/** Ties a request's child logger to its span, for the lines written outside its context. */
export function rememberLoggerTrace(logger: object, fields: TraceFields): void {
  loggerTraces.set(logger, fields);
}

const none = {};

/** pino's `mixin`: the fields merged into every line. */
export function logTraceFields(_merge: object, _level: number, logger: object): object {
  if (!isTracing()) return none;
  const span = trace.getSpan(context.active());
  if (span) {
    const { traceId, spanId } = span.spanContext();
    return { traceId, spanId };
  }
  return loggerTraces.get(logger) ?? none;
}
