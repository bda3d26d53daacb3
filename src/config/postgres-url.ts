// DATABASE_URL as libpq reads it, including the form with several hosts that a primary and
// its standbys are named with: postgres://user@host1:5432,host2:5432/outlay?target_session_attrs=read-write.
// node-postgres (and the URL class) take one host only, so the list is split off here and
// the rest of the URL is kept for each host alike.

export interface PostgresHost {
  host: string;
  port: number;
}

/** libpq's target_session_attrs values that Outlay honours: any server, or only one that takes writes. */
export type TargetSessionAttrs = 'any' | 'read-write';

export interface PostgresUrl {
  hosts: PostgresHost[];
  targetSessionAttrs: TargetSessionAttrs;
  /** The URL's query parameters but target_session_attrs. */
  parameters: URLSearchParams;
  /** The URL for one of the hosts: the same user, password, database and parameters. */
  urlFor(host: PostgresHost): string;
}

const defaultPort = 5432;
/** More hosts than a primary and its standbys would ever be is a mistake in the setting. */
const hostsMax = 16;

/** Thrown with the reason the URL cannot be used; the caller names the setting. */
export class PostgresUrlError extends Error {}

function parseHost(text: string): PostgresHost {
  // [::1]:5432, [::1], db.internal:5432, db.internal
  const found = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d*))?$/.exec(text);
  if (!found) throw new PostgresUrlError(`has a host that is not host or host:port: ${JSON.stringify(text)}`);
  const port = found[2] ? Number(found[2]) : defaultPort;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new PostgresUrlError(`has a port out of range: ${JSON.stringify(text)}`);
  return { host: found[1]!.replace(/^\[(.+)\]$/, '$1'), port };
}

const hostText = (host: PostgresHost) => `${host.host.includes(':') ? `[${host.host}]` : host.host}:${host.port}`;

export function parsePostgresUrl(raw: string): PostgresUrl {
  const found = /^(postgres(?:ql)?:\/\/)([^/?#]*@)?([^/?#@]*)(.*)$/s.exec(raw);
  if (!found) throw new PostgresUrlError('is not a postgres:// URL (expected postgres://user@host:port/database)');
  const [, scheme, userInfo = '', hostList, rest] = found as unknown as [string, string, string | undefined, string, string];
  if (hostList === '') throw new PostgresUrlError('names no host');
  const hosts = hostList.split(',').map(parseHost);
  if (hosts.length > hostsMax) throw new PostgresUrlError(`names more than ${hostsMax} hosts`);
  let single: URL;
  try {
    single = new URL(`${scheme}${userInfo}${hostText(hosts[0]!)}${rest}`);
  } catch {
    throw new PostgresUrlError('is not a URL (expected postgres://user@host:port/database)');
  }
  const attrs = single.searchParams.get('target_session_attrs') ?? 'any';
  if (attrs !== 'any' && attrs !== 'read-write') throw new PostgresUrlError(`has target_session_attrs=${attrs}; Outlay writes, so only read-write or any is of use`);
  // node-postgres does not know the parameter; the choice of host is made before it connects.
  single.searchParams.delete('target_session_attrs');
  return {
    hosts,
    targetSessionAttrs: attrs,
    parameters: new URLSearchParams(single.searchParams),
    urlFor(host) {
      const url = new URL(single);
      url.host = hostText(host);
      return url.toString();
    },
  };
}
