// Live events: what just happened in a company, told to the people it matters to while their
// pages are open (GET /api/v1/events, server-sent events). A feature publishes once its
// change is committed; an event carries only its type and the id of its item, and says who
// may hear it: named people, and everyone holding a permission that shows every such item.
//
// The bus is in memory and reaches this process's listeners. When several processes share a
// PostgreSQL server, each connects its bus to a relay (live-events-relay.ts): what is published
// here is also sent to the others through NOTIFY, and what they send is told to this process's
// streams, so a page connected to one process hears what happens on another. Listeners that
// act on an event (the receipt prompt) subscribe for this process's events only, so the work
// is done once, where the change was made.
import { randomUUID } from 'node:crypto';

export const liveEventTypes = [
  'card_transaction.authorized',
  'card_transaction.declined',
  'receipt.read',
  'expense.reviewed',
  'notification.created',
] as const;
export type LiveEventType = (typeof liveEventTypes)[number];

export interface LiveEvent {
  companyId: string;
  type: LiveEventType;
  subject: { type: string; id: string };
  /** Who may hear it: these people, and anyone with `permission` (a Permission's name). */
  audience: { userIds: readonly string[]; permission: string | null };
}

/** A session that ended (sign-out, deactivation): its streams close. */
export interface SessionEnded {
  companyId: string;
  sessionId?: string;
  userId?: string;
}

type Listener<T> = (value: T) => void | Promise<void>;

/** What goes between processes: an event or an ended session, and the bus that sent it. */
export type RelayedMessage = { origin: string } & ({ event: LiveEvent } | { ended: SessionEnded });

/** Sends a message to the other processes; it must not throw (it reports its own failures). */
export type RelaySend = (message: RelayedMessage) => void;

export class LiveEventBus {
  /** Tells this bus's own messages apart when they come back through the relay. */
  readonly origin = randomUUID();
  private readonly eventListeners = new Map<Listener<LiveEvent>, { thisProcessOnly: boolean }>();
  private readonly endListeners = new Set<Listener<SessionEnded>>();
  private relaySend: RelaySend | null = null;

  /** Tells every listener, and the other processes through the relay (not waited for);
   * resolves once the listeners that work asynchronously (a notification written because of
   * the event) are done. A listener's failure is its own to report. */
  async publish(event: LiveEvent): Promise<void> {
    this.relaySend?.({ origin: this.origin, event });
    await Promise.allSettled([...this.eventListeners.keys()].map(async (listener) => listener(event)));
  }

  endSessions(ended: SessionEnded): void {
    this.relaySend?.({ origin: this.origin, ended });
    for (const listener of this.endListeners) void listener(ended);
  }

  /** Listens until the function returned is called; with thisProcessOnly, to events published
   * in this process only (work an event leads to, done once where the change was made). */
  subscribe(onEvent: Listener<LiveEvent>, onSessionEnded: Listener<SessionEnded>, options: { thisProcessOnly?: boolean } = {}): () => void {
    this.eventListeners.set(onEvent, { thisProcessOnly: options.thisProcessOnly ?? false });
    this.endListeners.add(onSessionEnded);
    return () => {
      this.eventListeners.delete(onEvent);
      this.endListeners.delete(onSessionEnded);
    };
  }

  /** Sends what is published here to the other processes too, until the function returned is called. */
  connectRelay(send: RelaySend): () => void {
    this.relaySend = send;
    return () => {
      if (this.relaySend === send) this.relaySend = null;
    };
  }

  /** A message from another process: its event is told to the listeners that hear other processes. */
  receive(message: RelayedMessage): void {
    if (message.origin === this.origin) return;
    if ('event' in message) {
      for (const [listener, { thisProcessOnly }] of this.eventListeners) if (!thisProcessOnly) void listener(message.event);
    } else {
      for (const listener of this.endListeners) void listener(message.ended);
    }
  }
}

/** This process's bus. Publishing with nobody listening costs nothing; with a relay (several
 * processes on PostgreSQL), one NOTIFY on the relay's own connection. */
export const liveEvents = new LiveEventBus();
