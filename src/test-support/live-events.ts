// A real HTTP client of GET /api/v1/events for tests: it reads the stream as a browser's
// EventSource would (data lines, blank line ends an event) and hands out each event's data.
import { request, type IncomingMessage } from 'node:http';
import { sessionCookie } from '../http/authenticate.js';

export interface LiveEventData {
  type: string;
  subject?: { type: string; id: string };
}

export interface EventStream {
  status: number;
  contentType: string;
  /** The next event's data; rejects once the stream has ended without one. */
  next(): Promise<LiveEventData>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens the stream with a session cookie (or none) and waits for the response's head. */
export function openEventStream(baseUrl: string, cookie: string | null): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/api/v1/events', baseUrl), { headers: { accept: 'text/event-stream', ...(cookie ? { cookie: `${sessionCookie}=${cookie}` } : {}) } }, (res: IncomingMessage) => {
      const queued: LiveEventData[] = [];
      const waiting: { resolve: (data: LiveEventData) => void; reject: (error: Error) => void }[] = [];
      let buffer = '';
      let done = false;
      let markEnded: () => void = () => {};
      const ended = new Promise<void>((resolveEnded) => (markEnded = resolveEnded));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (data) {
            const parsed = JSON.parse(data) as LiveEventData;
            const waiter = waiting.shift();
            if (waiter) waiter.resolve(parsed);
            else queued.push(parsed);
          }
          boundary = buffer.indexOf('\n\n');
        }
      });
      const finish = () => {
        if (done) return;
        done = true;
        for (const waiter of waiting.splice(0)) waiter.reject(new Error('the event stream ended'));
        markEnded();
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        next: () => {
          const first = queued.shift();
          if (first) return Promise.resolve(first);
          if (done) return Promise.reject(new Error('the event stream ended'));
          return new Promise((resolveNext, rejectNext) => waiting.push({ resolve: resolveNext, reject: rejectNext }));
        },
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
