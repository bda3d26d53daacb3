// Live events: what just happened in a company, told to the people it matters to while their
// pages are open (GET /api/v1/events, server-sent events). A feature publishes once its
// change is committed; an event carries only its type and the id of its item, and says who
// may hear it: named people, and everyone holding a permission that shows every such item.
//
// The bus is in memory, so it reaches the streams of this process only. Several server
// processes need a shared bus (PostgreSQL LISTEN/NOTIFY or a broker) in its place: issue 14.

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

export class LiveEventBus {
  private readonly eventListeners = new Set<Listener<LiveEvent>>();
  private readonly endListeners = new Set<Listener<SessionEnded>>();

  /** Tells every listener; resolves once those that work asynchronously (a notification
   * written because of the event) are done. A listener's failure is its own to report. */
  async publish(event: LiveEvent): Promise<void> {
    await Promise.allSettled([...this.eventListeners].map(async (listener) => listener(event)));
  }

  endSessions(ended: SessionEnded): void {
    for (const listener of this.endListeners) void listener(ended);
  }

  /** Listens until the function returned is called. */
  subscribe(onEvent: Listener<LiveEvent>, onSessionEnded: Listener<SessionEnded>): () => void {
    this.eventListeners.add(onEvent);
    this.endListeners.add(onSessionEnded);
    return () => {
      this.eventListeners.delete(onEvent);
      this.endListeners.delete(onSessionEnded);
    };
  }
}

/** This process's bus. Publishing with nobody listening costs nothing. */
export const liveEvents = new LiveEventBus();
