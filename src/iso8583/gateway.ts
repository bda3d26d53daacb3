/**
 * The ISO 8583 gateway: a TCP listener for card processors that speak ISO 8583:1987 behind
 * 2-byte length headers. It frames, decodes and answers; what an answer says is the handler's
 * business, so the gateway knows nothing of cards or the database.
 *
 * No authentication of its own, like most host-to-host links: it belongs on a private line, a
 * VPN or behind a TLS-terminating proxy that only the processor reaches, never on the internet.
 */
import net, { type AddressInfo } from 'node:net';
import { iso8583Metrics } from '../observability/metrics.js';
import { GatewayConnection, type GatewayLimits, type Iso8583Handler, type Iso8583Logger } from './gateway-connection.js';

export type { ConnectionInfo, GatewayLimits, Iso8583Handler, Iso8583Logger } from './gateway-connection.js';

/** A processor keeps a handful of links open; a hundred is far beyond any real need. */
export const connectionsMax = 100;
/** What one peer address may hold of them: a processor's handful, with room for reconnects. */
export const connectionsPerPeerMax = 16;
/** Authorization messages are a few hundred bytes; 8 KiB leaves room for chip data and private fields. */
export const frameBytesMax = 8 * 1024;
/** Networks send an echo test (0800, 301) every minute or so on an idle link. */
export const idleTimeoutMs = 5 * 60_000;
/** A processor speaks (or sends its sign-on) as soon as it connects; silence this long is no processor. */
export const firstByteTimeoutMs = 30_000;
/** A message of a few hundred bytes arrives in milliseconds; one begun and not finished this long is a peer holding the link. */
export const frameTimeoutMs = 5_000;
/** Networks give the issuer 5 to 10 seconds before they answer in its stead. */
export const handlerTimeoutMs = 8_000;
export const pipelinedMax = 64;
export const formatErrorsMax = 10;
export const closeTimeoutMs = 5_000;

export const defaultGatewayLimits: GatewayLimits = {
  connectionsMax, connectionsPerPeerMax, frameBytesMax, idleTimeoutMs, firstByteTimeoutMs, frameTimeoutMs, handlerTimeoutMs, pipelinedMax, formatErrorsMax, closeTimeoutMs,
};

export interface GatewayOptions {
  host: string;
  /** 0 takes a free port, which `port` of the result then says. */
  port: number;
  handler: Iso8583Handler;
  logger: Iso8583Logger;
  limits?: Partial<GatewayLimits>;
  /** The peer addresses that may connect (IPv4 or IPv6, as written); null or left out: any. */
  allowedPeers?: readonly string[] | null;
}

/** An IPv4 peer reached over an IPv6 socket reads "::ffff:10.0.0.1": the same peer as "10.0.0.1". */
export function peerAddressOf(address: string | undefined): string {
  const plain = (address ?? 'unknown').toLowerCase();
  return plain.startsWith('::ffff:') && plain.includes('.') ? plain.slice('::ffff:'.length) : plain;
}

export interface Iso8583Gateway {
  port: number;
  /** Stops accepting, lets open connections write the answers they owe, then closes them. */
  close(): Promise<void>;
}

export async function startIso8583Gateway(options: GatewayOptions): Promise<Iso8583Gateway> {
  const limits: GatewayLimits = { ...defaultGatewayLimits, ...options.limits };
  const { logger, handler } = options;
  const connections = new Set<GatewayConnection>();
  const perPeer = new Map<string, number>();
  const allowed = options.allowedPeers ? new Set(options.allowedPeers.map((peer) => peerAddressOf(peer.trim()))) : null;
  let sequence = 0;
  let closing: Promise<void> | null = null;

  // Half-open allowed: a peer that sends its last request and ends its side still gets the answers.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const remoteAddress = `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}`;
    const peer = peerAddressOf(socket.remoteAddress);
    const refusal = closing !== null ? 'gateway closing'
      : allowed && !allowed.has(peer) ? 'peer not allowed'
      : connections.size >= limits.connectionsMax ? 'too many connections'
      : (perPeer.get(peer) ?? 0) >= limits.connectionsPerPeerMax ? 'too many connections from this peer'
      : null;
    if (refusal) {
      socket.on('error', () => {});
      logger.warn({ remoteAddress, reason: refusal, connections: connections.size, peerConnections: perPeer.get(peer) ?? 0 }, 'ISO 8583 connection refused');
      socket.destroy();
      return;
    }
    const connection = new GatewayConnection(socket, { id: `iso8583-${++sequence}`, remoteAddress }, { handler, logger, limits });
    connections.add(connection);
    perPeer.set(peer, (perPeer.get(peer) ?? 0) + 1);
    iso8583Metrics.connectionOpened();
    socket.once('close', () => {
      connections.delete(connection);
      const left = (perPeer.get(peer) ?? 1) - 1;
      if (left > 0) perPeer.set(peer, left);
      else perPeer.delete(peer);
      iso8583Metrics.connectionClosed();
      logger.info({ ...connection.info }, 'ISO 8583 connection closed');
    });
    logger.info({ ...connection.info }, 'ISO 8583 connection opened');
    connection.start();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'ISO 8583 listener failed'));

  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const cut = setTimeout(() => {
          for (const connection of connections) connection.destroy();
        }, limits.closeTimeoutMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        for (const connection of connections) connection.end('gateway closing');
      });
      return closing;
    },
  };
}
