// One stream of live events for the signed-in session: opened when the app shell shows a
// signed-in person and closed when it goes (sign-out unmounts it). EventSource reconnects by
// itself after a dropped connection, but gives up for good on an HTTP error (429 for too
// many streams, 401): then this waits, longer each time, and opens a new one.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { applyLiveEvent, parseLiveEvent, reconnectDelayMs, type LiveEvent } from './live-events';

const eventsPath = '/api/v1/events';
/** notification.created is sent inside the transaction that creates it: look once more later. */
export const notificationRecheckMs = 2_000;

type Listener = (event: LiveEvent) => void;
const listeners = new Set<Listener>();

/** Lets a component react to events itself (the receipt prompt); returns the unsubscribe. */
export function onLiveEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLiveEvents(personId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    let closed = false;

    const received = (message: MessageEvent<string>) => {
      const event = parseLiveEvent(message.data);
      if (!event) return;
      attempt = 0;
      void applyLiveEvent(queryClient, event);
      if (event.type === 'notification.created') setTimeout(() => void applyLiveEvent(queryClient, event), notificationRecheckMs);
      for (const listener of listeners) listener(event);
    };
    const open = () => {
      if (closed) return;
      source = new EventSource(eventsPath, { withCredentials: true });
      source.onmessage = received;
      source.onerror = () => {
        if (source?.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(open, reconnectDelayMs(attempt));
        attempt += 1;
      };
    };
    open();
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [queryClient, personId]);
}
