// Traces across the job queue: the sender's trace context rides in the job's data (as W3C
// traceparent/tracestate under one key), and the worker's span continues it, even in another
// process or after a restart.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isTracing, tracer } from './tracing.js';

/** The key of the job data that carries the sender's trace context. */
export const jobTraceKey = '_trace';

/** The job's data with the active trace context added; unchanged when nothing is traced. */
export function withTraceContext<Data extends object>(data: Data): Data {
  if (!isTracing() || !trace.getSpan(context.active())) return data;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return { ...data, [jobTraceKey]: carrier };
}

/** Wraps a pg-boss work callback (batches of one): each job runs in a span that continues
 * its sender's trace, and the callback sees the job's data without the carrier. */
export function tracedJobs<Job extends { id: string; data: object }>(queue: string, work: (jobs: Job[]) => Promise<void>): (jobs: Job[]) => Promise<void> {
  return async (jobs) => {
    const [job] = jobs;
    const carrier = job ? (job.data as Record<string, unknown>)[jobTraceKey] : undefined;
    if (carrier !== undefined) delete (job!.data as Record<string, unknown>)[jobTraceKey];
    if (!isTracing() || !job) return work(jobs);
    const parent = carrier && typeof carrier === 'object' ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
    const span = tracer().startSpan(`job ${queue}`, { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'pg-boss', 'messaging.destination.name': queue, 'messaging.message.id': job.id } }, parent);
    try {
      await context.with(trace.setSpan(parent, span), () => work(jobs));
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  };
}
