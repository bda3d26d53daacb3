// Traces across the job queue: the sender's trace context rides in the job's data (as W3C
// traceparent/tracestate under one key), and the worker's span continues it, even in another
// process or after a restart.
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { inSpan, isTracing } from './tracing.js';

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
    // The span opens under the sender's context, not whatever this worker had active.
    const options = { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'pg-boss', 'messaging.destination.name': queue, 'messaging.message.id': job.id } };
    await context.with(parent, () => inSpan(`job ${queue}`, options, () => work(jobs)));
  };
}
