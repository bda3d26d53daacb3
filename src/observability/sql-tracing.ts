// A client span per SQL statement, from Kysely's query log: it reports each statement once it
// is done, with its duration, so the span is started that long ago and ended at once. The text
// is the statement with its $1 placeholders, never the values. Statements under no span
// (sweeps, pg-boss's polling) are left out: they would each be a trace of their own.
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_DB_OPERATION_NAME, ATTR_DB_QUERY_TEXT, ATTR_DB_SYSTEM_NAME } from '@opentelemetry/semantic-conventions';
import type { LogEvent } from 'kysely';
import { isTracing, tracer } from './tracing.js';

/** Statements longer than this (bulk inserts) are cut in the span. */
export const queryTextLengthMax = 4_000;

function operationOf(sql: string): string {
  const match = /^\s*(?:with\b[\s\S]*?\)\s*)?([a-z]+)/i.exec(sql);
  return (match?.[1] ?? 'query').toUpperCase();
}

/** Kysely's `log` option. */
export function traceQuery(event: LogEvent): void {
  if (!isTracing()) return;
  const parent = context.active();
  if (!trace.getSpan(parent)?.isRecording()) return;
  const text = event.query.sql;
  const operation = operationOf(text);
  const span = tracer().startSpan(operation, {
    kind: SpanKind.CLIENT,
    // A number below the epoch is read as milliseconds of performance.now().
    startTime: performance.now() - event.queryDurationMillis,
    attributes: { [ATTR_DB_SYSTEM_NAME]: 'postgresql', [ATTR_DB_OPERATION_NAME]: operation, [ATTR_DB_QUERY_TEXT]: text.slice(0, queryTextLengthMax) },
  }, parent);
  if (event.level === 'error') {
    const error = event.error instanceof Error ? event.error : new Error(String(event.error));
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }
  span.end();
}
