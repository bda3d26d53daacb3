// `outlay serve` as a process with OUTLAY_OTLP_ENDPOINT set, against a collector this test
// plays over HTTP: the request's log lines carry its trace id, and on SIGTERM the process
// sends the spans it still holds and exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../src/test-support/database.js';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

interface Export {
  resource: Record<string, unknown>;
  spans: ExportedSpan[];
}

/** OTLP/HTTP JSON as the JavaScript exporter writes it: ids in hex. */
function readExport(body: string): Export[] {
  const request = JSON.parse(body) as {
    resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: ExportedSpan[] }[] }[];
  };
  return request.resourceSpans.map((resourceSpans) => ({
    resource: Object.fromEntries(resourceSpans.resource.attributes.map((attribute) => [attribute.key, attribute.value.stringValue])),
    spans: resourceSpans.scopeSpans.flatMap((scope) => scope.spans),
  }));
}

const exports: Export[] = [];
const collector = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    if (request.method === 'POST' && request.url === '/v1/traces') exports.push(...readExport(body));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

let database: TestDatabase | null = null;

beforeAll(async () => {
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  if (process.env.DATABASE_URL) database = await openTestDatabase();
});
afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
  await database?.close();
});

interface Serving {
  child: ChildProcess;
  url: string;
  logLines: () => Record<string, unknown>[];
  exited: Promise<number | null>;
}

async function serve(env: Record<string, string>): Promise<Serving> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      OUTLAY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'outlay-otlp-')),
      OUTLAY_DEMO: '0',
      OUTLAY_SMTP: '0',
      OUTLAY_ISO8583: '0',
      OUTLAY_RECEIPT_READERS: '0',
      LOG_LEVEL: 'info',
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const running = /Outlay is running at (\S+)/.exec(stderr);
      if (running) resolve(running[1]!);
    });
    void exited.then((code) => reject(new Error(`outlay exited (${code}) before serving: ${stderr}`)));
  });
  const logLines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, url, logLines, exited };
}

describe('exporting traces over OTLP/HTTP', () => {
  it('writes the trace id in the request\'s log lines and sends its spans before exiting', async () => {
    const serving = await serve({ OUTLAY_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`, OTEL_SERVICE_NAME: 'outlay-under-test' });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const response = await fetch(`${serving.url}/ready`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    expect(response.status).toBe(200);
    serving.child.kill('SIGTERM');
    expect(await serving.exited).toBe(0);

    const completed = serving.logLines().find((line) => line.msg === 'request completed' && line.traceId === traceId);
    expect(completed).toBeDefined();
    const spans = exports.filter((exported) => exported.resource['service.name'] === 'outlay-under-test').flatMap((exported) => exported.spans);
    const request = spans.find((span) => span.traceId === traceId && span.name === 'GET /ready');
    expect(request).toBeDefined();
    expect(request!.parentSpanId).toBe('b7ad6b7169203331');
    expect(completed!.spanId).toBe(request!.spanId);
    expect(spans.some((span) => span.traceId === traceId && span.parentSpanId === request!.spanId && span.name === 'SELECT')).toBe(true);
  });

  it('has no trace ids in the log and exits as usual when no endpoint is configured', async () => {
    const serving = await serve({});
    const response = await fetch(`${serving.url}/ready`, { headers: { traceparent: '00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    expect(response.status).toBe(200);
    serving.child.kill('SIGTERM');
    expect(await serving.exited).toBe(0);
    const completed = serving.logLines().find((line) => line.msg === 'request completed');
    expect(completed).toBeDefined();
    expect(completed).not.toHaveProperty('traceId');
  });
});
