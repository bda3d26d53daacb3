// A DATABASE_URL that names several hosts: connections go to the one that takes writes, pass
// over a host that is down or read-only, and follow the primary when the one they were on
// goes away. Runs where DATABASE_URL names a server; a TCP relay in front of it stands for a
// second host that can be taken down, a closed port for one that is down.
import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { freePort } from '../test-support/free-port.js';
import { openDatabase, type Database } from './database.js';
import { newPostgresClient, NoWritableHostError, postgresClientOf } from './postgres-hosts.js';

/** A host in front of the real server: forwards connections until closed, counting them. */
async function startRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    const upstream = net.connect(target.port, target.host);
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on('error', () => undefined);
      end.on('close', () => {
        sockets.delete(end);
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return connections;
    },
    /** Stops taking connections and cuts those it has, as a server killed with -9 does. */
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.runIf(process.env.DATABASE_URL)('a DATABASE_URL with several hosts', () => {
  let test: TestDatabase;
  let server: URL;
  const opened: Database[] = [];
  const urlWith = (hosts: string[], attrs = 'read-write') => `postgres://${server.username}${server.password ? `:${server.password}` : ''}@${hosts.join(',')}${server.pathname}?target_session_attrs=${attrs}`;
  const open = async (url: string) => {
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
    opened.push(database);
    return database;
  };

  beforeAll(async () => {
    test = await openTestDatabase();
    server = new URL(test.url!);
  });
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
    await sql.raw(`alter database ${server.pathname.slice(1)} reset default_transaction_read_only`).execute(test.db);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('passes over a host that is down and connects to the next', async () => {
    const database = await open(urlWith([`127.0.0.1:${await freePort()}`, server.host]));
    const result = await sql<{ name: string }>`select current_database() as name`.execute(database.db);
    expect(result.rows[0]!.name).toBe(server.pathname.slice(1));
  });

  it('refuses to connect while every host is read-only, and connects once one takes writes (a promoted standby)', async () => {
    const url = urlWith([server.host]);
    await sql.raw(`alter database ${server.pathname.slice(1)} set default_transaction_read_only = on`).execute(test.db);
    const readOnly = newPostgresClient(url);
    await expect(readOnly.connect()).rejects.toBeInstanceOf(NoWritableHostError);
    // With any, a read-only server will do.
    const any = newPostgresClient(urlWith([server.host], 'any'));
    await any.connect();
    await any.end();
    await sql.raw(`alter database ${server.pathname.slice(1)} reset default_transaction_read_only`).execute(test.db);
    const writable = newPostgresClient(url);
    await writable.connect();
    expect((await writable.query<{ transaction_read_only: string }>('show transaction_read_only')).rows[0]!.transaction_read_only).toBe('off');
    await writable.end();
  });

  it('asks every host again once its last connection to the remembered host has closed', async () => {
    const relay = await startRelay({ host: server.hostname, port: Number(server.port || 5432) });
    // Two clients of one class share what it remembers, as a pool's connections do.
    const { Client, config } = postgresClientOf(urlWith([`127.0.0.1:${relay.port}`, server.host]));
    const first = new Client(config);
    await first.connect();
    await first.end();
    // Gone while no connection of ours was on it: nothing told the client side it went.
    await relay.close();
    const second = new Client(config);
    await second.connect();
    expect((await second.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
    await second.end();
    expect(relay.connections).toBe(2);
  });

  it('follows the primary to the next host when the one it was on goes away', async () => {
    const relay = await startRelay({ host: server.hostname, port: Number(server.port || 5432) });
    const database = await open(urlWith([`127.0.0.1:${relay.port}`, server.host]));
    await sql`select 1`.execute(database.db);
    // One connection to check the host, one for the pool.
    expect(relay.connections).toBe(2);
    await relay.close();
    // The connection cut under the pool fails the query on it, or the next checkout; the one after reaches the other host.
    const attempts: boolean[] = [];
    for (let i = 0; i < 3; i++) attempts.push(await sql`select 1`.execute(database.db).then(() => true, () => false));
    expect(attempts.at(-1)).toBe(true);
    expect(relay.connections).toBe(2);
  });
});
