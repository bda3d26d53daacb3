// readObservability: tracing is off unless a collector is named, and /metrics is open only
// when neither a token nor a port of its own is configured.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readObservability } from '../config/config.js';

describe('readObservability', () => {
  it('is all off by default, with the service named outlay', () => {
    expect(readObservability({})).toEqual({ otlpTracesUrl: null, serviceName: 'outlay', metricsToken: null, metricsListener: null });
  });

  it('sends traces to /v1/traces under the OTLP endpoint, Outlay\'s own variable first', () => {
    expect(readObservability({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).otlpTracesUrl).toBe('http://collector:4318/v1/traces');
    expect(readObservability({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OUTLAY_OTLP_ENDPOINT: 'https://b.example' }).otlpTracesUrl).toBe('https://b.example/v1/traces');
    expect(readObservability({ OTEL_SERVICE_NAME: 'outlay-eu' }).serviceName).toBe('outlay-eu');
  });

  it('reads the metrics token and the metrics listener, which listens on this machine unless told otherwise', () => {
    expect(readObservability({ OUTLAY_METRICS_TOKEN: 'a-long-enough-token' }).metricsToken).toBe('a-long-enough-token');
    expect(readObservability({ OUTLAY_METRICS_PORT: '9464' }).metricsListener).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(readObservability({ OUTLAY_METRICS_PORT: '9464', OUTLAY_METRICS_HOST: '10.0.0.5' }).metricsListener).toEqual({ host: '10.0.0.5', port: 9464 });
  });

  it.each([
    [{ OUTLAY_OTLP_ENDPOINT: 'collector:4318' }, 'OUTLAY_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OUTLAY_METRICS_TOKEN: 'short' }, 'OUTLAY_METRICS_TOKEN'],
    [{ OUTLAY_METRICS_PORT: 'ninety' }, 'OUTLAY_METRICS_PORT'],
  ])('refuses %o naming %s', (env, variable) => {
    expect(() => readObservability(env)).toThrow(ConfigError);
    expect(() => readObservability(env)).toThrow(variable);
  });

  it('is part of the loaded configuration', () => {
    expect(loadConfig({ OUTLAY_METRICS_PORT: '9464' }, mkdtempSync(path.join(tmpdir(), 'outlay-config-'))).observability.metricsListener).toEqual({ host: '127.0.0.1', port: 9464 });
  });
});
