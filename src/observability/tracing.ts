// OpenTelemetry traces. Off unless a collector is configured: then no provider is registered,
// every span is the API's no-op span, and nothing waits on the network at exit. On, one
// provider per process sends spans in batches over OTLP/HTTP; the server's close shuts it down.
import { context, propagation, SpanStatusCode, trace, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface TracingConfig {
  /** OTLP/HTTP traces URL; null: no exporter. */
  otlpTracesUrl: string | null;
  serviceName: string;
}

export interface Tracing {
  /** Sends the spans still buffered (for at most shutdownTimeoutMs) and unregisters the provider. */
  shutdown(): Promise<void>;
}

const instrumentationName = 'outlay';
/** How long one batch may take to reach the collector before it is dropped. */
export const exportTimeoutMs = 5_000;
/** Closing waits this long at most for the last spans to go out; an unreachable collector must not hold the exit. */
export const shutdownTimeoutMs = 3_000;

let current: Tracer = trace.getTracer(instrumentationName);
let started = false;

/** The tracer Outlay's spans come from: the API's no-op one while tracing is off. */
export function tracer(): Tracer {
  return current;
}

/** Whether spans are being recorded: instrumentation checks this first so that off costs a branch. */
export function isTracing(): boolean {
  return started;
}

/**
 * Starts tracing when the configuration names a collector, or with `exporter` (tests read
 * spans back from an in-memory one, each as it ends). Returns null, registering nothing,
 * otherwise. One provider per process: starting twice is a mistake of the caller.
 */
export function startTracing(config: TracingConfig, exporter?: SpanExporter): Tracing | null {
  let processor: SpanProcessor;
  if (exporter) processor = new SimpleSpanProcessor(exporter);
  else if (config.otlpTracesUrl) processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlpTracesUrl, timeoutMillis: exportTimeoutMs }), { exportTimeoutMillis: exportTimeoutMs });
  else return null;
  if (started) throw new Error('tracing is already started in this process');
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }), spanProcessors: [processor] });
  // Registers the W3C trace-context propagator and the AsyncLocalStorage context manager too.
  provider.register();
  current = provider.getTracer(instrumentationName);
  started = true;
  return {
    async shutdown() {
      if (!started) return;
      started = false;
      trace.disable();
      context.disable();
      propagation.disable();
      current = trace.getTracer(instrumentationName);
      let timer: NodeJS.Timeout | undefined;
      const cut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, shutdownTimeoutMs);
        timer.unref();
      });
      await Promise.race([provider.shutdown().catch(() => {}), cut]);
      clearTimeout(timer);
    },
  };
}

/** Runs `work` in a span of its own under the active one (a root span when there is none);
 * `work` gets the span (null while tracing is off) to add what it learns, such as a result code. */
export async function inSpan<Result>(name: string, options: SpanOptions, work: (span: Span | null) => Promise<Result>): Promise<Result> {
  if (!started) return work(null);
  const span = current.startSpan(name, options);
  try {
    return await context.with(trace.setSpan(context.active(), span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
