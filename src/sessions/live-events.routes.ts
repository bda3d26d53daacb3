// GET /api/v1/events: the live events of the company that matter to the signed-in person, as
// server-sent events (WHATWG HTML, "Server-sent events"), so that open pages update without
// Refresh. Each event is `data: {"type", "subject": {"type", "id"}}`; the page reads the item
// again through the API, which checks access as always. A comment line every heartbeatMs
// keeps proxies from closing the stream, and there the session is checked again: a stream
// ends when its session is signed out, expires or its person is deactivated, and when the
// server closes.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { problemResponses } from '../http/schemas.js';
import { DomainError } from '../shared/errors.js';
import { liveEvents, liveEventTypes } from '../shared/live-events.js';
import { endsStream, hearing, type Listener } from './live-event-audience.js';
import { isSessionLive } from './sessions.service.js';

/** Open streams per person at once (tabs, devices); one more is refused with 429. */
export const liveStreamsPerPersonMax = 5;
export const heartbeatMs = 25_000;
/** How long a browser waits before it reconnects a dropped stream (the SSE retry field). */
const reconnectMs = 5_000;
/** Bytes a stream may hold unsent for a reader that does not read (a stalled connection):
 * beyond it the stream is closed rather than kept growing in memory; the page reconnects and
 * reads everything again. */
export const liveStreamBufferMax = 64 * 1024;

/** A sender of events; false when the reader fell so far behind that the stream must end. */
function openStream(reply: FastifyReply): (data: unknown) => boolean {
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  reply.raw.write(`retry: ${reconnectMs}\n\n`);
  let sequence = 0;
  return (data) => {
    if (reply.raw.writableLength > liveStreamBufferMax) return false;
    sequence += 1;
    reply.raw.write(`id: ${sequence}\ndata: ${JSON.stringify(data)}\n\n`);
    return true;
  };
}

export function liveEventsRoutes({ app: base, database: { db }, clock }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const openByPerson = new Map<string, number>();
  const closers = new Set<() => void>();
  // Before the server stops listening: an open stream would keep it waiting for ever.
  app.addHook('preClose', (done) => {
    for (const close of [...closers]) close();
    done();
  });

  app.get('/api/v1/events', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'streamEvents',
      tags: ['Live events'],
      summary: `Server-sent events (text/event-stream) for a signed-in person: first {"type":"ready"}, then each of ${liveEventTypes.join(', ')} that concerns you, as {"type","subject":{"type","id"}}; at most ${liveStreamsPerPersonMax} streams per person`,
      response: { 200: Type.String({ description: 'text/event-stream' }), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'live events are for people signed in; an API key has none');
    const personKey = `${principal.companyId}/${principal.userId}`;
    const open = openByPerson.get(personKey) ?? 0;
    if (open >= liveStreamsPerPersonMax) throw new DomainError('rate_limited', `at most ${liveStreamsPerPersonMax} live streams per person are open at once; close one first`);
    openByPerson.set(personKey, open + 1);
    const listener: Listener = { companyId: principal.companyId, userId: principal.userId, sessionId: principal.sessionId, permissions: principal.permissions };
    const send = openStream(reply);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      stopListening();
      clearInterval(heartbeat);
      closers.delete(close);
      const left = (openByPerson.get(personKey) ?? 1) - 1;
      if (left > 0) openByPerson.set(personKey, left);
      else openByPerson.delete(personKey);
      reply.raw.end();
    };
    const stopListening = liveEvents.subscribe(
      (event) => {
        if (hearing(listener, event).hears && !send({ type: event.type, subject: event.subject })) close();
      },
      (ended) => {
        if (endsStream(listener, ended)) close();
      },
    );
    const heartbeat = setInterval(() => {
      void isSessionLive(db, principal.companyId, principal.sessionId, clock.now()).then(
        (live) => (live ? reply.raw.write(': heartbeat\n\n') : close()),
        () => close(),
      );
    }, heartbeatMs);
    closers.add(close);
    request.raw.on('close', close);
    send({ type: 'ready' });
  });
}
