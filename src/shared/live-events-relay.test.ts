// Two processes' buses on one PostgreSQL server, each with its own pool and listening
// connection (as two server processes have them): what one publishes, the other's streams
// hear; work that follows an event stays in the process that made it; a listening connection
// killed by the server is made again. Runs where DATABASE_URL names a server (PGlite serves
// one process, where the bus stays in memory).
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { eventually } from '../test-support/eventually.js';
import { LiveEventBus, type LiveEvent, type SessionEnded } from './live-events.js';
import { liveEventsChannel, parseRelayedMessage, parseRelayedPayload, startLiveEventsRelay, type LiveEventsRelay } from './live-events-relay.js';

const silent = { warn: () => undefined, error: () => undefined };
const event = (id: string): LiveEvent => ({ companyId: 'company_1', type: 'card_transaction.authorized', subject: { type: 'card_transaction', id }, audience: { userIds: ['user_1'], permission: 'transactions:read' } });

describe('parsing a relayed message', () => {
  it('takes events and ended sessions, and nothing else', () => {
    expect(parseRelayedMessage(JSON.stringify({ origin: 'a', event: event('t1') }))).toEqual({ origin: 'a', event: event('t1') });
    expect(parseRelayedMessage(JSON.stringify({ origin: 'a', ended: { companyId: 'c', userId: 'u' } }))).toEqual({ origin: 'a', ended: { companyId: 'c', userId: 'u' } });
    expect(parseRelayedMessage('not json')).toBeNull();
    expect(parseRelayedMessage(JSON.stringify({ origin: 'a', event: { ...event('t1'), type: 'made.up' } }))).toBeNull();
    expect(parseRelayedMessage(JSON.stringify({ event: event('t1') }))).toBeNull();
  });

  it('takes several messages sent together as an array, leaving out what is not one', () => {
    const together = JSON.stringify([{ origin: 'a', event: event('t1') }, { origin: 'a', event: { ...event('t2'), type: 'made.up' } }, { origin: 'b', ended: { companyId: 'c', userId: 'u' } }]);
    expect(parseRelayedPayload(together)).toEqual([{ origin: 'a', event: event('t1') }, { origin: 'b', ended: { companyId: 'c', userId: 'u' } }]);
    expect(parseRelayedPayload(JSON.stringify({ origin: 'a', event: event('t3') }))).toEqual([{ origin: 'a', event: event('t3') }]);
    expect(parseRelayedPayload('[not json')).toEqual([]);
    expect(parseRelayedPayload('{"origin": 1}')).toEqual([]);
  });
});

describe.runIf(process.env.DATABASE_URL)('live events across processes on one PostgreSQL server', () => {
  let database: TestDatabase;
  const buses = [new LiveEventBus(), new LiveEventBus()];
  const relays: LiveEventsRelay[] = [];
  const heard: { bus: number; event?: LiveEvent; ended?: SessionEnded; thisProcessOnly?: boolean }[] = [];

  let counter: pg.Client;
  let notified = 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    counter = new pg.Client({ connectionString: database.url! });
    await counter.connect();
    counter.on('notification', (notification) => void (notification.channel === liveEventsChannel && (notified += 1)));
    await counter.query(`LISTEN ${liveEventsChannel}`);
    for (const [index, bus] of buses.entries()) {
      relays.push(await startLiveEventsRelay(bus, (extra) => new pg.Client({ connectionString: database.url!, ...extra }), silent));
      bus.subscribe((e) => void heard.push({ bus: index, event: e }), (ended) => void heard.push({ bus: index, ended }));
      bus.subscribe((e) => void heard.push({ bus: index, event: e, thisProcessOnly: true }), () => undefined, { thisProcessOnly: true });
    }
  });

  afterAll(async () => {
    await counter?.end();
    for (const relay of relays) await relay.close();
    await database?.close();
  });

  const heardOn = (bus: number, id: string) => heard.filter((item) => item.bus === bus && item.event?.subject.id === id);

  it('tells a stream on the other process, and work that follows the event only where it was published', async () => {
    await buses[0]!.publish(event('tx-across'));
    await eventually('the event on the other process', async () => (heardOn(1, 'tx-across').length > 0 ? true : undefined));
    // Once more through the channel so anything still travelling has arrived.
    await buses[0]!.publish(event('tx-marker'));
    await eventually('the marker on the other process', async () => (heardOn(1, 'tx-marker').length > 0 ? true : undefined));
    expect(heardOn(1, 'tx-across')).toEqual([{ bus: 1, event: event('tx-across') }]);
    expect(heardOn(0, 'tx-across')).toEqual([
      { bus: 0, event: event('tx-across') },
      { bus: 0, event: event('tx-across'), thisProcessOnly: true },
    ]);
  });

  it('carries a burst of events published at once in few notifications, every one arriving', async () => {
    const notifiesBefore = await notifyCount();
    await Promise.all(Array.from({ length: 400 }, (_, index) => buses[0]!.publish(event(`tx-burst-${index}`))));
    await eventually('the whole burst on the other process', async () => (heard.filter((item) => item.bus === 1 && item.event?.subject.id.startsWith('tx-burst-')).length === 400 ? true : undefined));
    // Each event is heard once, and they went in far fewer notifications than events.
    expect(new Set(heard.filter((item) => item.bus === 1 && item.event?.subject.id.startsWith('tx-burst-')).map((item) => item.event!.subject.id)).size).toBe(400);
    expect((await notifyCount()) - notifiesBefore).toBeLessThan(100);
  });

  /** Notifications on the channel so far, as a third listener hears them. */
  async function notifyCount(): Promise<number> {
    await counter.query('select 1');
    return notified;
  }

  it('ends sessions on the other process too', async () => {
    buses[1]!.endSessions({ companyId: 'company_1', userId: 'user_gone' });
    await eventually('the ended session on the other process', async () => (heard.some((item) => item.bus === 0 && item.ended?.userId === 'user_gone') ? true : undefined));
  });

  it('listens again after the server drops the listening connection', async () => {
    const listeners = async () =>
      (await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = 'outlay-live-events' and datname = current_database()`.execute(database.db)).rows.map((row) => row.pid);
    const before = await listeners();
    expect(before).toHaveLength(2);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'outlay-live-events' and datname = current_database()`.execute(database.db);
    await eventually('two new listening connections', async () => {
      const now = await listeners();
      return now.length === 2 && now.every((pid) => !before.includes(pid)) && relays.every((relay) => relay.listening) ? true : undefined;
    });
    await buses[1]!.publish(event('tx-after-drop'));
    await eventually('the event after the drop', async () => (heardOn(0, 'tx-after-drop').length > 0 ? true : undefined));
  });
});
