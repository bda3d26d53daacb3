// Two processes' buses on one PostgreSQL server, each with its own pool and listening
// connection (as two server processes have them): what one publishes, the other's streams
// hear; work that follows an event stays in the process that made it; a listening connection
// killed by the server is made again. Runs where DATABASE_URL names a server (PGlite serves
// one process, where the bus stays in memory).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { eventually } from '../test-support/eventually.js';
import { LiveEventBus, type LiveEvent, type SessionEnded } from './live-events.js';
import { parseRelayedMessage, startLiveEventsRelay, type LiveEventsRelay } from './live-events-relay.js';

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
});

describe.runIf(process.env.DATABASE_URL)('live events across processes on one PostgreSQL server', () => {
  let database: TestDatabase;
  const buses = [new LiveEventBus(), new LiveEventBus()];
  const relays: LiveEventsRelay[] = [];
  const heard: { bus: number; event?: LiveEvent; ended?: SessionEnded; thisProcessOnly?: boolean }[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    for (const [index, bus] of buses.entries()) {
      relays.push(await startLiveEventsRelay(bus, database.url!, silent));
      bus.subscribe((e) => void heard.push({ bus: index, event: e }), (ended) => void heard.push({ bus: index, ended }));
      bus.subscribe((e) => void heard.push({ bus: index, event: e, thisProcessOnly: true }), () => undefined, { thisProcessOnly: true });
    }
  });

  afterAll(async () => {
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
