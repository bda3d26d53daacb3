// Live events between server processes that share a PostgreSQL server: one connection per
// process LISTENs on the channel and sends this process's messages with pg_notify (features
// publish after their change committed), so the relay never takes a connection of the pool
// from the requests, and reconnects when it is dropped (server restart, failover, an admin's
// kill). A message sent while the connection is down, or past relaySendsPendingMax waiting to
// go, is not relayed: live events only tell open pages to read again, and a page reconnecting
// reads everything anew.
//
// PGlite serves one process only: there the bus stays in memory and no relay is started.
import pg from 'pg';
import { liveEventTypes, type LiveEventBus, type RelayedMessage } from './live-events.js';

export const liveEventsChannel = 'outlay_live_events';
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; a message this long is not relayed. */
export const relayPayloadBytesMax = 7_900;
/** The first wait before connecting again, doubled on each failure up to relayReconnectDelayMaxMs. */
export const relayReconnectDelayMs = 500;
export const relayReconnectDelayMaxMs = 30_000;
/** Messages waiting to be sent on the connection; past this they stay in this process. */
export const relaySendsPendingMax = 1_000;

export interface RelayLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface LiveEventsRelay {
  /** Whether the listening connection is up. */
  readonly listening: boolean;
  close(): Promise<void>;
}

/** A message from the channel, or null for anything that is not one. */
export function parseRelayedMessage(payload: string): RelayedMessage | null {
  try {
    return relayedMessageOf(JSON.parse(payload));
  } catch {
    return null;
  }
}

/** The value as a relayed message, or null when it is not one. */
function relayedMessageOf(message: unknown): RelayedMessage | null {
  if (typeof message !== 'object' || message === null || typeof (message as { origin?: unknown }).origin !== 'string') return null;
  const { event, ended } = message as { event?: { type?: unknown; companyId?: unknown }; ended?: { companyId?: unknown } };
  if (event && typeof event.companyId === 'string' && liveEventTypes.includes(event.type as never)) return message as RelayedMessage;
  if (ended && typeof ended.companyId === 'string') return message as RelayedMessage;
  return null;
}

/** The messages of one notification: one message, or several sent together as a JSON array. */
export function parseRelayedPayload(payload: string): RelayedMessage[] {
  if (!payload.startsWith('[')) {
    const message = parseRelayedMessage(payload);
    return message ? [message] : [];
  }
  let items: unknown;
  try {
    items = JSON.parse(payload);
  } catch {
    return [];
  }
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => relayedMessageOf(item) ?? []);
}

/**
 * Sends the messages with pg_notify on the relay's connection while it is up, not waited for
 * (the publisher has answered already). One notification is in flight at a time, and the
 * messages published meanwhile go together in the next, as a JSON array under the payload
 * limit: a NOTIFY takes a lock that every other one in the database waits for at commit, so
 * one per message would make a busy server's events queue up behind each other. At most
 * relaySendsPendingMax messages wait.
 */
function senderOn(connection: () => pg.Client | null, logger: RelayLogger): (message: RelayedMessage) => void {
  const waiting: string[] = [];
  let sending = false;
  let dropping = false;
  const nextPayload = (): string => {
    const taken: string[] = [];
    let bytes = 2;
    while (waiting.length > 0 && bytes + Buffer.byteLength(waiting[0]!) + 1 <= relayPayloadBytesMax) {
      const next = waiting.shift()!;
      bytes += Buffer.byteLength(next) + 1;
      taken.push(next);
    }
    return taken.length === 1 ? taken[0]! : `[${taken.join(',')}]`;
  };
  const flush = async () => {
    sending = true;
    while (waiting.length > 0) {
      const open = connection();
      if (!open) {
        waiting.length = 0;
        break;
      }
      await open
        .query('select pg_notify($1, $2)', [liveEventsChannel, nextPayload()])
        .catch((error: unknown) => logger.error({ err: error }, 'live events: messages could not be sent to the other processes'));
    }
    sending = false;
  };
  return (message) => {
    const payload = JSON.stringify(message);
    if (Buffer.byteLength(payload) > relayPayloadBytesMax - 2) {
      logger.warn({ bytes: Buffer.byteLength(payload) }, 'live events: a message too long for NOTIFY stays in this process');
      return;
    }
    const open = connection();
    if (!open || waiting.length >= relaySendsPendingMax) {
      // Told once per run of messages left out, not once for each.
      if (!dropping) logger.warn({ pending: waiting.length, connected: open !== null }, 'live events: messages stay in this process until the connection catches up');
      dropping = true;
      return;
    }
    dropping = false;
    waiting.push(payload);
    if (!sending) void flush();
  };
}

/** Connects the bus to the other processes on the database server, on one connection of its
 * own (from `newClient`, which knows the server, or which of several takes writes). Resolves
 * once listening, or once the first try failed (it tries again). */
export async function startLiveEventsRelay(bus: LiveEventBus, newClient: (extra: pg.ClientConfig) => pg.Client, logger: RelayLogger): Promise<LiveEventsRelay> {
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let retryDelayMs = relayReconnectDelayMs;
  let retryTimer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const next = newClient({ application_name: 'outlay-live-events' });
    let dropped = false;
    const drop = (error?: Error) => {
      if (dropped) return;
      dropped = true;
      listening = false;
      if (client === next) client = null;
      void next.end().catch(() => undefined);
      if (closed) return;
      logger.warn({ err: error }, 'live events: the listening connection dropped; connecting again');
      retryTimer = setTimeout(() => {
        retryTimer = null;
        void connect().catch(() => undefined);
      }, retryDelayMs);
      retryTimer.unref();
      retryDelayMs = Math.min(retryDelayMs * 2, relayReconnectDelayMaxMs);
    };
    next.on('error', drop);
    next.on('end', () => drop());
    next.on('notification', (notification) => {
      if (notification.channel !== liveEventsChannel || !notification.payload) return;
      for (const message of parseRelayedPayload(notification.payload)) bus.receive(message);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${liveEventsChannel}`);
    } catch (error) {
      drop(error as Error);
      throw error;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    listening = true;
    retryDelayMs = relayReconnectDelayMs;
  };

  // Not listening yet is no reason not to serve: the connection is tried again until it is up.
  await connect().catch(() => undefined);
  const disconnect = bus.connectRelay(senderOn(() => client, logger));

  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      disconnect();
      if (retryTimer) clearTimeout(retryTimer);
      const open = client;
      client = null;
      listening = false;
      await open?.end().catch(() => undefined);
    },
  };
}
