// Connections to whichever of DATABASE_URL's hosts takes writes, as libpq does with several
// hosts and target_session_attrs=read-write, which node-postgres does not. Each new connection
// goes first to the host that took writes last time and checks that it still does; when that
// host is gone or has become a standby, the hosts are asked in turn until one takes writes (a
// promoted standby after a failover). A pool built with this client class so follows the
// primary on its own: connections to the old one fail, the pool drops them, and the next one
// it opens finds the new primary.
import pg from 'pg';
import { parsePostgresUrl, type PostgresHost, type PostgresUrl } from '../config/postgres-url.js';

/** How long one host may take to accept a connection before the next one is tried. */
export const hostConnectWaitMs = 5_000;

export class NoWritableHostError extends Error {
  constructor(readonly tried: string[]) {
    super(`no database host takes writes: ${tried.join('; ')}`);
  }
}

/** Whether the server at the other end of a connected client takes writes. */
async function takesWrites(client: pg.Client): Promise<boolean> {
  // A standby answers on; so does a primary set read-only by its operator. libpq asks the same.
  const result = await client.query<{ transaction_read_only: string }>('show transaction_read_only');
  return result.rows[0]?.transaction_read_only === 'off';
}

const hostName = (host: PostgresHost) => `${host.host}:${host.port}`;

/**
 * Finds the host to connect to. The host that took writes is remembered while a connection to
 * it lives: when one fails or the last one closes, the next connection asks every host again
 * rather than trying one that may be gone (a client that failed to connect cannot try again).
 */
class HostChooser {
  private writable: PostgresHost | null = null;
  private live = 0;
  constructor(private readonly url: PostgresUrl) {}

  get remembered(): PostgresHost | null {
    return this.writable;
  }

  forget(host: PostgresHost): void {
    if (this.writable === host) this.writable = null;
  }

  /** Follows a connection to `host` from its start to its end or its first error. */
  follow(client: pg.Client, host: PostgresHost): void {
    this.live++;
    client.once('error', () => this.forget(host));
    client.once('end', () => {
      this.live--;
      if (this.live === 0) this.forget(host);
    });
  }

  /** Asks the hosts in their order, each on a short connection of its own. */
  async find(): Promise<PostgresHost> {
    const tried: string[] = [];
    for (const host of this.url.hosts) {
      const probe = new pg.Client({ connectionString: this.url.urlFor(host), connectionTimeoutMillis: hostConnectWaitMs, application_name: 'outlay-host-check' });
      // A server that dies while asked must not raise an unhandled 'error' event.
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        if (this.url.targetSessionAttrs === 'any' || (await takesWrites(probe))) {
          this.writable = host;
          return host;
        }
        tried.push(`${hostName(host)} is read-only`);
      } catch (error) {
        tried.push(`${hostName(host)}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await probe.end().catch(() => undefined);
      }
    }
    throw new NoWritableHostError(tried);
  }
}

type ConnectCallback = (error: Error | null, client?: pg.Client) => void;

/**
 * The pg.Client class and the configuration for DATABASE_URL: node-postgres' own client for a
 * single host, one that finds the writable host for a list of hosts (or read-write).
 */
export function postgresClientOf(rawUrl: string): { Client: typeof pg.Client; config: pg.ClientConfig } {
  const url = parsePostgresUrl(rawUrl);
  const first = url.hosts[0]!;
  if (url.hosts.length === 1 && url.targetSessionAttrs === 'any') return { Client: pg.Client, config: { connectionString: rawUrl } };
  const chooser = new HostChooser(url);

  class FailoverClient extends pg.Client {
    override connect(): Promise<pg.Client>;
    override connect(callback: ConnectCallback): void;
    override connect(callback?: ConnectCallback): Promise<pg.Client> | void {
      const connected = this.connectToWritable();
      if (!callback) return connected;
      connected.then((client) => callback(null, client), (error: Error) => callback(error));
    }

    private async connectToWritable(): Promise<pg.Client> {
      // A client connects once only: when the remembered host fails it, this checkout fails
      // and the next connection asks every host.
      const remembered = chooser.remembered;
      const host = remembered ?? (await chooser.find());
      this.host = host.host;
      this.port = host.port;
      const parameters = (this as unknown as { connectionParameters: { host: string; port: number } }).connectionParameters;
      parameters.host = host.host;
      parameters.port = host.port;
      // Until the caller has the client (and listens to it), a server that goes away while the
      // host is checked fails the check; its 'error' event must not go unheard and end the process.
      const unheard = () => undefined;
      this.on('error', unheard);
      try {
        await super.connect();
        if (url.targetSessionAttrs === 'read-write' && !(await takesWrites(this))) {
          await this.end().catch(() => undefined);
          throw new NoWritableHostError([`${hostName(host)} is read-only now`]);
        }
      } catch (error) {
        chooser.forget(host);
        throw error;
      } finally {
        this.removeListener('error', unheard);
      }
      chooser.follow(this, host);
      return this;
    }
  }
  return { Client: FailoverClient, config: { connectionString: url.urlFor(first) } };
}

/** A single client for DATABASE_URL (for LISTEN, which wants a connection of its own). */
export function newPostgresClient(rawUrl: string, extra: pg.ClientConfig = {}): pg.Client {
  const { Client, config } = postgresClientOf(rawUrl);
  return new Client({ ...config, ...extra });
}
