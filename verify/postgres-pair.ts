// A PostgreSQL 15 primary and a synchronous streaming standby on this machine, for the failover
// part (and one cluster alone, which the crash part stops and restarts): two clusters in a
// temporary folder on free ports, made with initdb and pg_basebackup and run with pg_ctl. A
// commit is acknowledged only once the standby has flushed it (synchronous_standby_names names
// the standby, synchronous_commit is on). The suite can kill
// the primary (SIGKILL of the postmaster and every backend, as when its machine dies), promote
// the standby, and make the old primary a new standby of the new one. Everything is stopped
// and the folder removed on close, and on the exit of the process if close was never reached.
// PostgreSQL refuses to run as root: as root the clusters run as the postgres user.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../src/test-support/free-port.js';

const binDir = process.env.OUTLAY_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** The name the standby connects with, which synchronous_standby_names asks for. */
const standbyName = 'outlay_standby';
/** Past this a standby that has not become synchronous counts as failed to start. */
const standbySyncWaitMs = 60_000;
const runAs = process.getuid?.() === 0 ? 'postgres' : null;

interface Node {
  name: string;
  port: number;
  dataDir: string;
}

/** A command's exit code and what it wrote; resolves on exit (a started postmaster keeps no pipe of ours). */
function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const [file, argv] = runAs ? ['runuser', ['-u', runAs, '--', path.join(binDir, command), ...args]] : [path.join(binDir, command), args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

async function mustRun(command: string, args: string[]): Promise<string> {
  const { code, output } = await run(command, args);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${output.slice(-1500)}`);
  return output;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one statement on a node, on a connection of its own. */
async function query<Row extends pg.QueryResultRow>(port: number, text: string): Promise<Row[]> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The postmaster's process id, from the first line of postmaster.pid, or null when it is not running. */
function postmasterPid(node: Node): number | null {
  const file = path.join(node.dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** The postmaster and its children (backends, WAL sender and writer), read from `ps`. */
function processTree(pid: number): number[] {
  const listed = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout ?? '';
  const children = listed.split('\n').map((line) => line.trim().split(/\s+/).map(Number)).filter(([, parent]) => parent === pid).map(([child]) => child!);
  return [pid, ...children];
}

function killTree(node: Node): number | null {
  const pid = postmasterPid(node);
  if (pid === null) return null;
  for (const each of processTree(pid)) {
    try {
      process.kill(each, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  return pid;
}

export interface PostgresPair {
  /** postgres://postgres@127.0.0.1:P1,127.0.0.1:P2/<database>?target_session_attrs=read-write */
  url(database: string): string;
  /** The URL of the node that is primary now (for creating the database). */
  primaryUrl(database: string): string;
  primaryPort(): number;
  standbyPort(): number;
  /** Kills the primary's postmaster and every process of it with SIGKILL. */
  killPrimary(): Promise<void>;
  /** pg_ctl promote on the standby, waiting until it takes writes. */
  promoteStandby(): Promise<void>;
  /** The killed primary's cluster made anew from the new primary, started as its synchronous standby. */
  rebuildStandby(): Promise<void>;
  close(): void;
}

/** A temporary folder the clusters' user owns, with free ports for `names`, stopped and removed on close or exit. */
async function clusterFolder(prefix: string, names: string[]): Promise<{ root: string; nodes: Node[]; close(): void }> {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const owner = runAs ? Number(spawnSync('id', ['-u', runAs], { encoding: 'utf8' }).stdout.trim()) : null;
  const ownerGroup = runAs ? Number(spawnSync('id', ['-g', runAs], { encoding: 'utf8' }).stdout.trim()) : null;
  if (owner !== null && ownerGroup !== null) chownSync(root, owner, ownerGroup);
  const nodes: Node[] = [];
  for (const name of names) nodes.push({ name, port: await freePort(), dataDir: path.join(root, name) });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const node of nodes) {
      if (postmasterPid(node) !== null) spawnSync(runAs ? 'runuser' : path.join(binDir, 'pg_ctl'), [...(runAs ? ['-u', runAs, '--', path.join(binDir, 'pg_ctl')] : []), '-D', node.dataDir, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore', cwd: tmpdir() });
      killTree(node);
    }
    rmSync(root, { recursive: true, force: true });
  };
  // A part that fails or is interrupted still leaves no server and no folder behind.
  process.once('exit', close);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  return { root, nodes, close };
}

const initCluster = (node: Node) => mustRun('initdb', ['-D', node.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
const startCluster = (node: Node, root: string) => mustRun('pg_ctl', ['-D', node.dataDir, '-l', path.join(root, `${node.name}.log`), '-w', '-t', '60', 'start']);

export interface PostgresSingle {
  port: number;
  url(database: string): string;
  /** `pg_ctl stop -m immediate`: every backend ends at once, nothing is flushed or checkpointed (as in a crash). */
  stopImmediate(): Promise<void>;
  /** Starts the stopped cluster again (it recovers from its WAL) and waits until it takes connections. */
  start(): Promise<void>;
  close(): void;
}

/** One PostgreSQL 15 cluster of the suite's own on a free port, for a part that stops and restarts it. */
export async function startPostgresSingle(): Promise<PostgresSingle> {
  const { root, nodes, close } = await clusterFolder('outlay-single-pg-', ['single']);
  const node = nodes[0]!;
  try {
    await initCluster(node);
    appendFileSync(path.join(node.dataDir, 'postgresql.conf'), [`port = ${node.port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${root}'`, 'max_connections = 200', ''].join('\n'));
    await startCluster(node, root);
  } catch (error) {
    close();
    throw error;
  }
  return {
    port: node.port,
    url: (database) => `postgres://postgres@127.0.0.1:${node.port}/${database}`,
    async stopImmediate() {
      await mustRun('pg_ctl', ['-D', node.dataDir, '-m', 'immediate', '-w', '-t', '60', 'stop']);
    },
    async start() {
      await startCluster(node, root);
    },
    close,
  };
}

export async function startPostgresPair(): Promise<PostgresPair> {
  const { root, nodes, close } = await clusterFolder('outlay-failover-', ['a', 'b']);
  let primary = nodes[0]!;
  let standby = nodes[1]!;

  const settings = (node: Node) => [
    `port = ${node.port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${root}'`,
    'max_connections = 200',
    'wal_level = replica',
    'max_wal_senders = 4',
    'hot_standby = on',
    'synchronous_commit = on',
    '',
  ].join('\n');

  const start = (node: Node) => startCluster(node, root);

  /** A new standby of `primary` in `node`'s folder, started; it does not require a standby of its own. */
  const makeStandby = async (node: Node) => {
    rmSync(node.dataDir, { recursive: true, force: true });
    await mustRun('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', node.dataDir, '-X', 'stream', '-R', '--checkpoint=fast']);
    // The copy carries the primary's settings: its own port, its own name to the primary, and,
    // once promoted, no wait for a standby until one is attached (else every commit would hang).
    appendFileSync(path.join(node.dataDir, 'postgresql.auto.conf'), [
      `port = ${node.port}`,
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=${standbyName}'`,
      `synchronous_standby_names = ''`,
      '',
    ].join('\n'));
    await start(node);
    // From now on a commit on the primary waits for this standby.
    await query(primary.port, `alter system set synchronous_standby_names = '${standbyName}'`);
    await query(primary.port, 'select pg_reload_conf()');
    const deadline = Date.now() + standbySyncWaitMs;
    for (;;) {
      const rows = await query<{ sync_state: string }>(primary.port, `select sync_state from pg_stat_replication where application_name = '${standbyName}'`);
      if (rows[0]?.sync_state === 'sync') return;
      if (Date.now() > deadline) throw new Error(`the standby on port ${node.port} did not become synchronous within ${standbySyncWaitMs} ms`);
      await wait(100);
    }
  };

  try {
    await initCluster(primary);
    appendFileSync(path.join(primary.dataDir, 'postgresql.conf'), settings(primary));
    await start(primary);
    await makeStandby(standby);
  } catch (error) {
    close();
    throw error;
  }

  const hosts = () => nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  return {
    url: (database) => `postgres://postgres@${hosts()}/${database}?target_session_attrs=read-write`,
    primaryUrl: (database) => `postgres://postgres@127.0.0.1:${primary.port}/${database}`,
    primaryPort: () => primary.port,
    standbyPort: () => standby.port,
    async killPrimary() {
      if (killTree(primary) === null) throw new Error(`the primary on port ${primary.port} is not running`);
      // Gone once its port refuses connections.
      for (;;) {
        const refused = await query(primary.port, 'select 1').then(() => false, () => true);
        if (refused) break;
        await wait(20);
      }
      // A killed postmaster leaves its pid file; the folder is rebuilt later anyway.
    },
    async promoteStandby() {
      await mustRun('pg_ctl', ['-D', standby.dataDir, '-w', '-t', '60', 'promote']);
      [primary, standby] = [standby, primary];
    },
    async rebuildStandby() {
      await makeStandby(standby);
    },
    close,
  };
}
