// Start-up time and memory of the built server: time from spawn to /ready and resident
// memory once ready, for a first start (empty database: schema and demo data) and a
// restart, on the database in DATABASE_URL or the embedded one. The reference is a bare
// node:http server started the same way in the same run.
// Run: npm run build && npx tsx bench/startup.ts --json
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const serverEntry = path.resolve('dist/server/main.js');
const readyTimeoutMs = 120_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kib / 1024) * 10) / 10;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} not ready after ${readyTimeoutMs} ms`);
}

async function measure(args: string[], env: Record<string, string>, readyPath: string) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  try {
    await waitReady(`http://127.0.0.1:${port}${readyPath}`, child);
    const ms = Math.round(performance.now() - started);
    return { startup_ms: ms, rss_mib: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function freshServerDatabase(serverUrl: string): Promise<string> {
  const name = `outlay_bench_${process.pid}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const serverUrl = process.env.DATABASE_URL;
const env: Record<string, string> = {
  OUTLAY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'outlay-bench-')),
  LOG_LEVEL: 'warn',
  ...(serverUrl ? { DATABASE_URL: await freshServerDatabase(serverUrl) } : {}),
};
const reference = await measure(['-e', "require('node:http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT)"], {}, '/');
const first = await measure([serverEntry], env, '/ready');
const restart = await measure([serverEntry], env, '/ready');
const result = {
  benchmark: 'startup',
  database: serverUrl ? 'postgres' : 'pglite',
  first_start: first,
  restart,
  reference_bare_node_http: reference,
  ratios: {
    restart_ms_vs_reference: Math.round((restart.startup_ms / reference.startup_ms) * 10) / 10,
    restart_rss_vs_reference: Math.round((restart.rss_mib / reference.rss_mib) * 10) / 10,
  },
};
process.stdout.write(JSON.stringify(result) + '\n');
