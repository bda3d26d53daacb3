// One stream of live events for the signed-in session: opened when the app shell shows a
// signed-in person and closed when it goes (sign-out unmounts it). EventSource reconnects by
// itself after a dropped connection, but gives up for good on an HTTP error (429 for too
// many streams, 401): then this waits, longer each time, and opens a new one.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { applyLiveEvent, parseLiveEvent, reconnectDelayMs } from './live-events';

const eventsPath = '/api/v1/events';
/** notification.created is sent inside the transaction that creates it: look again later,
 * twice, since under load the commit can come after the first look. */
export const notificationRechecksMs = [2_000, 8_000] as const;

export function useLiveEvents(personId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    let closed = false;
    let connectedBefore = false;
    const root = document.documentElement;

    const received = (message: MessageEvent<string>) => {
      const event = parseLiveEvent(message.data);
      if (!event) return;
      attempt = 0;
      if (event.type === 'ready') {
        // Whatever happened while the stream was down was missed: everything shown is stale.
        if (connectedBefore) void queryClient.invalidateQueries();
        connectedBefore = true;
        // Says the stream is open (browser tests wait for it before making a purchase).
        root.dataset.liveEvents = 'open';
      }
      void applyLiveEvent(queryClient, event);
      if (event.type === 'notification.created') {
        for (const delayMs of notificationRechecksMs) setTimeout(() => void applyLiveEvent(queryClient, event), delayMs);
      }
    };
    const open = () => {
      if (closed) return;
      source = new EventSource(eventsPath, { withCredentials: true });
      source.onmessage = received;
      source.onerror = () => {
        root.dataset.liveEvents = 'down';
        if (source?.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(open, reconnectDelayMs(attempt));
        attempt += 1;
      };
    };
    open();
    return () => {
      closed = true;
      delete root.dataset.liveEvents;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [queryClient, personId]);
}
